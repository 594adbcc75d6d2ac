import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailSink } from '../../test/mail-sink';
import { createMailer, FileOutbox, outboxDirectory, SmtpMailer } from './index';

const message = { to: 'zoë@example.org', subject: 'Grüße from Parley', text: `Hello,\n\nhttps://parley.test/verify-email?token=${'x'.repeat(60)}\n` };
const quiet = { info: () => undefined, error: () => undefined };

describe('mail transports', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-outbox-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('FileOutbox.send() writes one .eml file a mail client can read, and logs where', async () => {
    const logged: object[] = [];
    const outbox = new FileOutbox(join(dir, 'outbox'), 'Parley <parley@example.org>', { info: (obj) => logged.push(obj), error: () => undefined });
    await outbox.send(message);
    const files = await readdir(join(dir, 'outbox'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.eml$/);
    const parsed = await simpleParser(await readFile(join(dir, 'outbox', files[0]!)));
    expect(parsed.subject).toBe(message.subject);
    expect(parsed.from?.value[0]).toMatchObject({ name: 'Parley', address: 'parley@example.org' });
    expect(parsed.text?.trim()).toBe(message.text.trim());
    expect(logged).toEqual([{ to: message.to, subject: message.subject, file: join(dir, 'outbox', files[0]!) }]);
    await outbox.close();
  });

  it('SmtpMailer.send() delivers through a real SMTP server', async () => {
    const sink = await MailSink.start();
    const mailer = new SmtpMailer(sink.url, 'Parley <parley@example.org>', quiet);
    try {
      await mailer.send(message);
      const received = await sink.waitForMailTo(message.to, /Grüße/);
      expect(received.text.trim()).toBe(message.text.trim());
      expect(received.from).toContain('<parley@example.org>');
    } finally {
      await mailer.close();
      await sink.close();
    }
  });

  it('createMailer() picks SMTP with a URL and the outbox under DATA_DIR otherwise', () => {
    expect(createMailer({ smtpUrl: 'smtp://127.0.0.1:2525', from: 'a@b.c', dataDir: dir, log: quiet })).toBeInstanceOf(SmtpMailer);
    expect(createMailer({ smtpUrl: undefined, from: 'a@b.c', dataDir: dir, log: quiet })).toBeInstanceOf(FileOutbox);
    expect(outboxDirectory('/srv/parley')).toBe('/srv/parley/outbox');
  });
});
