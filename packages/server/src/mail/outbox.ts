import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Mailer } from '../domain/ports';
import { toNodemailer, type MailLog } from './compose';

/**
 * The default transport: every message becomes an RFC 5322 `.eml` file in `directory` (open it with
 * any mail client) and a log line saying where. A server without SMTP still hands out working links:
 * the operator finds them there.
 */
export class FileOutbox implements Mailer {
  private readonly composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(
    private readonly directory: string,
    private readonly from: string,
    private readonly log: MailLog,
  ) {}

  async send(message: Parameters<Mailer['send']>[0]): Promise<void> {
    const composed = await this.composer.sendMail(toNodemailer(message, this.from));
    await mkdir(this.directory, { recursive: true });
    // Sortable by time, unique within it.
    const file = join(this.directory, `${new Date().toISOString().replaceAll(':', '-')}-${randomBytes(4).toString('hex')}.eml`);
    await writeFile(file, composed.message as Buffer, { mode: 0o600 });
    this.log.info({ to: message.to, subject: message.subject, file }, 'mail written to the outbox');
  }

  async close(): Promise<void> {
    this.composer.close();
  }
}
