import type { MailMessage } from '../domain/ports';

/** Logging the mail transports need (pino fits). */
export interface MailLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** The nodemailer message for a {@link MailMessage}: plain UTF-8 text, from the configured sender. */
export function toNodemailer(message: MailMessage, from: string) {
  return { from, to: message.to, subject: message.subject, text: message.text, textEncoding: 'quoted-printable' as const };
}
