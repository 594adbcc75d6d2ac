import nodemailer, { type Transporter } from 'nodemailer';
import type { Mailer } from '../domain/ports';
import { toNodemailer, type MailLog } from './compose';

/**
 * Mail through an SMTP server (`SMTP_URL`, e.g. `smtps://user:pass@mail.example.org:465` or
 * `smtp://127.0.0.1:2525`), over a small connection pool.
 */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
    private readonly log: MailLog,
  ) {
    const parsed = new URL(url);
    this.transport = nodemailer.createTransport({
      url,
      pool: true,
      maxConnections: 2,
      // Plain smtp:// to a local relay (or a test sink) must not insist on STARTTLS.
      ignoreTLS: parsed.protocol === 'smtp:' && parsed.searchParams.get('starttls') !== 'required',
    });
  }

  async send(message: Parameters<Mailer['send']>[0]): Promise<void> {
    const info = await this.transport.sendMail(toNodemailer(message, this.from));
    this.log.info({ to: message.to, subject: message.subject, messageId: info.messageId }, 'mail sent');
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
