import nodemailer from "nodemailer";
import type { Channel, OutgoingEmail } from "../application/ports.ts";

/**
 * Email over SMTP (nodemailer). The delivery id is the Message-ID, so a resend after a crash
 * between the server's acceptance and our record is recognisable as the same message.
 */
export function smtpEmail(url: string, from: string): Channel<OutgoingEmail> & { close(): void } {
  const u = new URL(url);
  const transport = nodemailer.createTransport({
    host: u.hostname,
    port: Number(u.port || (u.protocol === "smtps:" ? 465 : 587)),
    secure: u.protocol === "smtps:",
    auth: u.username
      ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) }
      : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail) {
      const info = await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: mail.headers,
        messageId: `<${mail.id}@notification.toko>`,
      });
      return { providerId: String(info.messageId ?? mail.id) };
    },
    close: () => transport.close(),
  };
}
