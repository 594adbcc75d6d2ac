import type { ServerMessage } from '@parley/protocol';
import { startServer, type RunningServer } from '../src/index';
import type { Config } from '../src/config';
import { RecordingMediaEngine } from './fake-media';
import { accountFactory, apiAt, type ApiInit, type Member } from './http-helpers';
import { linkIn, MailSink } from './mail-sink';
import { TestSocket } from './ws-client';

/** Where emailed links point in these tests. */
export const publicUrl = 'http://parley.test';

/**
 * A whole server (PGlite in memory unless told otherwise) with a real SMTP sink, fast job polling and
 * the recording media engine, plus the conveniences the scheduling suites share: members with
 * confirmed emails, JSON calls as one of them, and sockets that collect notifications.
 */
export class SchedulingWorld {
  private readonly sockets: TestSocket[] = [];
  readonly api = apiAt(() => this.server.url);
  readonly accounts = accountFactory(this.api);

  private constructor(
    public server: RunningServer,
    readonly sink: MailSink,
    /** The media engine of the running server: records who may be heard in each room. */
    public media: RecordingMediaEngine,
  ) {}

  static async start(config: Partial<Config> = {}): Promise<SchedulingWorld> {
    const sink = await MailSink.start();
    const media = new RecordingMediaEngine();
    const server = await startServer(
      { port: 0, host: '127.0.0.1', dataDir: 'memory://', logLevel: 'silent', smtpUrl: sink.url, publicUrl, authRateLimit: 1000, rateLimitFactor: 100, jobPollMs: 100, ...config },
      { mediaEngine: media },
    );
    return new SchedulingWorld(server, sink, media);
  }

  /** A member with a confirmed email (notification mail goes to confirmed addresses only). */
  async member(displayName: string): Promise<Member> {
    const member = await this.accounts.member(displayName);
    await this.confirm(member);
    return member;
  }

  /** The server's admin (first account), with a confirmed email. */
  async admin(): Promise<Member> {
    const admin = await this.accounts.admin();
    if (!this.confirmed.has(admin.email)) await this.confirm(admin);
    return admin;
  }

  private readonly confirmed = new Set<string>();

  private async confirm(member: Member): Promise<void> {
    const mail = await this.sink.waitForMailTo(member.email, /Confirm your email address/);
    const token = linkIn(mail, '/verify-email').searchParams.get('token');
    const res = await this.api('/api/account/verify', { method: 'POST', json: { token } });
    if (res.status !== 204) throw new Error(`verification of ${member.email} failed: ${res.status}`);
    this.confirmed.add(member.email);
  }

  /** A JSON call as a member (or anonymously with null). */
  as(member: Member | null) {
    return (path: string, init: ApiInit = {}) => this.api(path, member ? { ...init, cookie: member.cookie } : init);
  }

  /** A guest session. */
  async guest(displayName: string): Promise<{ cookie: string; user: { id: string } }> {
    const res = await this.api('/api/session', { method: 'POST', json: { displayName } });
    return { cookie: res.headers.getSetCookie()[0]!.split(';')[0]!, user: res.body.user };
  }

  /** An open signalling socket (it collects every notification pushed to its person). */
  async socket(cookie: string): Promise<TestSocket> {
    const socket = await TestSocket.open(this.server.url, cookie);
    this.sockets.push(socket);
    return socket;
  }

  /** Restart the server on the same configuration (a data directory on disk survives). */
  async restart(config: Partial<Config>): Promise<void> {
    for (const socket of this.sockets.splice(0)) socket.close();
    await this.server.close();
    this.media = new RecordingMediaEngine();
    this.server = await startServer(
      { port: 0, host: '127.0.0.1', logLevel: 'silent', smtpUrl: this.sink.url, publicUrl, authRateLimit: 1000, rateLimitFactor: 100, jobPollMs: 100, ...config },
      { mediaEngine: this.media },
    );
  }

  async close(): Promise<void> {
    for (const socket of this.sockets.splice(0)) socket.close();
    await this.server.close();
    await this.sink.close();
  }
}

/** The `notification` messages a socket received so far. */
export function notificationsOn(socket: TestSocket): Extract<ServerMessage, { type: 'notification' }>[] {
  return socket.received.filter((m): m is Extract<ServerMessage, { type: 'notification' }> => m.type === 'notification');
}

/** Wait for a notification of this kind on a socket. */
export async function nextNotification(socket: TestSocket, kind: string, match: (text: string) => boolean = () => true) {
  const message = await socket.waitFor((m) => m.type === 'notification' && m.notification.kind === kind && match(m.notification.text), 8000);
  if (message.type !== 'notification') throw new Error('not a notification');
  return message;
}

/** An ISO time `minutes` from now (fractions allowed). */
export function inMinutes(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000).toISOString();
}

/** Poll until `check` returns a value (not undefined), or fail after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 8000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
