export {
  type DueTimer,
  startTimerRunner,
  type TimerHandler,
  type TimerRunnerOptions,
} from "./timer-runner.ts";
export { cancel as cancelTimer, schedule as scheduleTimer, TIMER_CHANNEL, type TimerSpec } from "./timers.ts";
