import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** One received email. */
export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** Raw header values by lower-case name (unfolded). */
  headers: Map<string, string>;
}

const address = (m: ParsedMail): string => {
  const to = Array.isArray(m.to) ? m.to[0] : m.to;
  return to?.value[0]?.address ?? "";
};

/**
 * A real SMTP server (the `smtp-server` package) on a local port, keeping what it receives.
 * `stop()` then `start()` again on the same port simulates an outage and its recovery.
 */
export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  private server: SMTPServer | undefined;
  port = 0;

  async start(port = 0): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((m) => {
            this.mails.push({
              to: address(m),
              subject: m.subject ?? "",
              text: m.text ?? "",
              html: typeof m.html === "string" ? m.html : "",
              messageId: m.messageId ?? "",
              headers: new Map(
                m.headerLines.map((l) => [
                  l.key,
                  l.line
                    .slice(l.line.indexOf(":") + 1)
                    .replace(/\r?\n\s+/g, " ")
                    .trim(),
                ]),
              ),
            });
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    const addr = server.server.address();
    this.port = typeof addr === "object" && addr ? addr.port : port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): ReceivedMail[] {
    return this.mails.filter((m) => m.to === address);
  }
}
