export {
  type DueTimer,
  startTimerRunner,
  type TimerCall,
  type TimerHandler,
  type TimerRunnerOptions,
  type TimerTransaction,
} from "./timer-runner.ts";
export { cancel as cancelTimer, schedule as scheduleTimer, TIMER_CHANNEL, type TimerSpec } from "./timers.ts";
