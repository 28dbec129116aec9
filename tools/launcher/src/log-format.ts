/** How to render lines: colour only when a person is watching a terminal. */
export interface FormatOptions {
  color: boolean;
  /** Width the prefix is padded to, so columns line up. */
  prefixWidth: number;
}

const RESET = "\x1b[0m";
const DIM = "\x1b[2m";
const BOLD = "\x1b[1m";
/** Distinct, readable-on-dark-and-light foreground colours, one per service. */
const PALETTE = [36, 35, 34, 33, 32, 96, 95, 94, 93, 92, 31, 91];

const LEVELS: Record<number, string> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warn",
  50: "error",
  60: "fatal",
};
const LEVEL_COLOURS: Record<string, string> = {
  trace: "\x1b[90m",
  debug: "\x1b[90m",
  info: "\x1b[32m",
  warn: "\x1b[33m",
  error: "\x1b[31m",
  fatal: "\x1b[41m\x1b[97m",
};
/** pino's own bookkeeping, already shown (time, level, msg) or noise for a person (pid, hostname). */
const HIDDEN = new Set(["level", "time", "msg", "message", "service", "pid", "hostname", "v"]);

/** A stable colour per prefix, so a service keeps its colour across runs. */
export function prefixColour(name: string): number {
  let h = 0;
  for (const ch of name) h = (h * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return PALETTE[h % PALETTE.length] ?? 36;
}

/** `name | ` padded and coloured. */
export function prefix(name: string, options: FormatOptions): string {
  const padded = name.padEnd(options.prefixWidth);
  return options.color ? `\x1b[${prefixColour(name)}m${padded} |${RESET} ` : `${padded} | `;
}

function clock(time: unknown): string | undefined {
  const date = typeof time === "number" || typeof time === "string" ? new Date(time) : undefined;
  if (!date || Number.isNaN(date.getTime())) return undefined;
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}.${p(date.getMilliseconds(), 3)}`;
}

function levelName(level: unknown): string {
  if (typeof level === "number") return LEVELS[level] ?? String(level);
  return typeof level === "string" ? level : "info";
}

function value(v: unknown): string {
  if (typeof v === "string") return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean" || v === null) return String(v);
  return JSON.stringify(v) ?? String(v);
}

interface SerializedError {
  type?: string;
  message?: string;
  stack?: string;
}

/**
 * Renders one pino JSON line as `time LEVEL msg key=value …` (an error's stack on the lines
 * after); anything that is not a JSON object passes through unchanged.
 */
export function renderLine(line: string, options: Pick<FormatOptions, "color">): string {
  const trimmed = line.trim();
  if (!trimmed.startsWith("{")) return line;
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return line;
    record = parsed as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = levelName(record.level);
  const c = (code: string, text: string) => (options.color ? `${code}${text}${RESET}` : text);
  const parts: string[] = [];
  const time = clock(record.time);
  if (time) parts.push(c(DIM, time));
  parts.push(c(LEVEL_COLOURS[level] ?? "", level.toUpperCase().padEnd(5)));
  const msg = record.msg ?? record.message;
  if (msg !== undefined) parts.push(c(BOLD, typeof msg === "string" ? msg : value(msg)));
  let stack: string | undefined;
  for (const [key, v] of Object.entries(record)) {
    if (HIDDEN.has(key) || v === undefined) continue;
    if ((key === "err" || key === "error") && typeof v === "object" && v !== null) {
      const e = v as SerializedError;
      parts.push(`${c(DIM, `${key}=`)}${value(e.message ?? e.type ?? v)}`);
      if (e.stack) stack = e.stack;
      continue;
    }
    parts.push(`${c(DIM, `${key}=`)}${value(v)}`);
  }
  const head = parts.join(" ");
  if (!stack) return head;
  // The first stack line repeats the message; the frames are what a person needs.
  const frames = stack.split("\n").filter((l) => /^\s+at\s/.test(l));
  return frames.length > 0 ? `${head}\n${frames.map((f) => c(DIM, `    ${f.trim()}`)).join("\n")}` : head;
}
