import { prefix, renderLine } from "./log-format.ts";

/** Where the launcher writes: its own messages and every service's rendered log lines. */
export interface Output {
  /** A launcher message. */
  info(message: string): void;
  /** A launcher problem; still one line. */
  error(message: string): void;
  /** One raw line from a process's stdout or stderr. */
  line(name: string, raw: string): void;
  /** Lets prefixes line up once the service names are known. */
  setPrefixWidth(width: number): void;
}

/** Writes to a stream, colouring only when `color` (a TTY without NO_COLOR). */
export function createOutput(stream: NodeJS.WritableStream, color: boolean): Output {
  let prefixWidth = "launcher".length;
  const write = (name: string, text: string) => {
    const p = prefix(name, { color, prefixWidth });
    stream.write(
      `${text
        .split("\n")
        .map((l) => p + l)
        .join("\n")}\n`,
    );
  };
  return {
    info: (message) => write("launcher", message),
    error: (message) => write("launcher", color ? `\x1b[31m${message}\x1b[0m` : message),
    line: (name, raw) => write(name, renderLine(raw, { color })),
    setPrefixWidth: (width) => {
      prefixWidth = Math.max(prefixWidth, width);
    },
  };
}
