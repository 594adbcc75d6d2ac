import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

/** A message as it arrived at the sink. */
export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

/**
 * A real SMTP server on 127.0.0.1 (smtp-server, no TLS, no auth) that keeps every message it
 * receives, parsed with mailparser: the server under test talks to it through `SMTP_URL`.
 */
export class MailSink {
  readonly received: ReceivedMail[] = [];
  private waiters: { match: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }[] = [];

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  /** Listen on a free port. */
  static async start(): Promise<MailSink> {
    // The data handler needs the sink, which needs the listening server: a holder breaks the cycle.
    const holder: { sink?: MailSink } = {};
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((parsed) => {
            holder.sink?.deliver({
              from: parsed.from?.text ?? '',
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.server.address();
    holder.sink = new MailSink(server, typeof address === 'object' && address ? address.port : 0);
    return holder.sink;
  }

  /** `smtp://127.0.0.1:<port>` for the server's SMTP_URL. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The first message (already here, from index `since` on, or still to come) that matches. */
  waitFor(match: (mail: ReceivedMail) => boolean, timeoutMs = 10_000, since = 0): Promise<ReceivedMail> {
    const already = this.received.slice(since).find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no such mail arrived in time')), timeoutMs);
      this.waiters.push({
        match,
        resolve: (mail) => {
          clearTimeout(timer);
          resolve(mail);
        },
      });
    });
  }

  /** The first message to `address` whose subject matches, among those from index `since` on. */
  waitForMailTo(address: string, subject: RegExp, since = 0): Promise<ReceivedMail> {
    return this.waitFor((m) => m.to.includes(address) && subject.test(m.subject), 10_000, since);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private deliver(mail: ReceivedMail): void {
    this.received.push(mail);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(mail)) return true;
      w.resolve(mail);
      return false;
    });
  }
}

/** The first link in a mail's text that contains `path`. */
export function linkIn(mail: ReceivedMail, path: string): URL {
  const found = mail.text.split(/\s+/).find((word) => word.startsWith('http') && word.includes(path));
  if (!found) throw new Error(`no ${path} link in: ${mail.text}`);
  return new URL(found);
}
