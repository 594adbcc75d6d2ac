import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mailer } from '../domain/ports';
import type { MailLog } from './compose';
import { FileOutbox } from './outbox';
import { SmtpMailer } from './smtp';

export { FileOutbox } from './outbox';
export { SmtpMailer } from './smtp';
export type { MailLog } from './compose';

/** Where mail goes: SMTP when a URL is given, else `.eml` files in `DATA_DIR/outbox`. */
export interface MailOptions {
  smtpUrl: string | undefined;
  from: string;
  dataDir: string;
  log: MailLog;
}

/** The outbox directory for a data directory (an in-memory database keeps its outbox in the temp dir). */
export function outboxDirectory(dataDir: string): string {
  return dataDir.startsWith('memory://') ? join(tmpdir(), 'parley-outbox') : join(dataDir, 'outbox');
}

/** Pick the transport. */
export function createMailer(options: MailOptions): Mailer {
  if (options.smtpUrl) return new SmtpMailer(options.smtpUrl, options.from, options.log);
  return new FileOutbox(outboxDirectory(options.dataDir), options.from, options.log);
}
