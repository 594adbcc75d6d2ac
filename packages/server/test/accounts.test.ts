import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/index';
import { AccountService } from '../src/domain/accounts';
import { IdentityService } from '../src/domain/identity';
import { ServerSettings } from '../src/domain/invites';
import { hashToken } from '../src/domain/ids';
import { argon2idHasher } from '../src/security/argon2';
import { SqlStore } from '../src/storage/store';
import { RecordingMediaEngine } from './fake-media';
import { apiAt, sessionCookieOf } from './http-helpers';
import { linkIn, MailSink } from './mail-sink';

/**
 * Accounts over real HTTP against the whole server (PGlite in memory), with a real SMTP server
 * in-process receiving the mail: sign-up and the invite rules, sign-in, sessions, emailed links,
 * enumeration, rate limits.
 */

let server: RunningServer;
let sink: MailSink;
const api = apiAt(() => server.url);
const publicUrl = 'http://parley.test';

beforeAll(async () => {
  sink = await MailSink.start();
  server = await startServer(
    { port: 0, host: '127.0.0.1', dataDir: 'memory://', logLevel: 'silent', smtpUrl: sink.url, publicUrl, inviteQuota: 2, authRateLimit: 1000 },
    { mediaEngine: new RecordingMediaEngine() },
  );
});
afterAll(async () => {
  await server?.close();
  await sink?.close();
});

const password = 'a long enough passphrase';
const person = (username: string, extra: Record<string, unknown> = {}) => ({
  email: `${username.toLowerCase()}@example.org`,
  password,
  username,
  displayName: `${username} Display`,
  ...extra,
});

async function signUp(body: Record<string, unknown>) {
  const res = await api('/api/accounts', { method: 'POST', json: body });
  return { ...res, cookie: res.status === 201 ? sessionCookieOf(res.headers) : '' };
}

async function signIn(email: string, pass: string) {
  const res = await api('/api/sign-in', { method: 'POST', json: { email, password: pass } });
  return { ...res, cookie: res.status === 200 ? sessionCookieOf(res.headers) : '' };
}

async function inviteCode(cookie: string, email?: string): Promise<string> {
  const res = await api('/api/invites', { method: 'POST', cookie, json: email ? { email } : {} });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.invite.code as string;
}

let admin: { cookie: string; id: string };

describe('sign-up and the invite rules', () => {
  it('on a fresh server the first person signs up without a code and becomes admin', async () => {
    expect((await api('/api/server')).body).toEqual({ inviteOnly: true, firstAccount: true });
    const res = await signUp(person('Ada'));
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ displayName: 'Ada Display', kind: 'member' });
    expect(res.body.account).toMatchObject({ email: 'ada@example.org', username: 'Ada', role: 'admin', emailVerified: false });
    const setCookie = res.headers.getSetCookie().join('\n');
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    admin = { cookie: res.cookie, id: res.body.user.id };
    expect((await api('/api/account', { cookie: admin.cookie })).body.account.role).toBe('admin');
    expect((await api('/api/server')).body).toEqual({ inviteOnly: true, firstAccount: false });
  });

  it('after that, sign-up needs an invite code (403); an unknown code is refused (409)', async () => {
    const none = await signUp(person('Ben'));
    expect(none.status).toBe(403);
    expect(none.body.error.message).toMatch(/invite-only/);
    const unknown = await signUp(person('Ben', { inviteCode: 'ABCD-EFGH-JKMN' }));
    expect(unknown.status).toBe(409);
    expect(unknown.body.error.message).toMatch(/unknown or has already been used/);
  });

  it('redeeming a code creates the account and records the referral; the code works once', async () => {
    const code = await inviteCode(admin.cookie);
    expect((await api(`/api/invites/${code}`)).body.inviter).toMatchObject({ username: 'Ada', displayName: 'Ada Display' });
    // Codes are accepted in any case and without dashes.
    const ben = await signUp(person('Ben', { inviteCode: code.toLowerCase().replaceAll('-', '') }));
    expect(ben.status, JSON.stringify(ben.body)).toBe(201);
    expect(ben.body.account.role).toBe('member');
    expect((await api('/api/users/ben')).body.profile.invitedBy).toMatchObject({ id: admin.id, username: 'Ada' });

    const reused = await signUp(person('Cyd', { inviteCode: code }));
    expect(reused.status).toBe(409);
    expect(reused.body.error.message).toMatch(/already been used/);
    expect((await api(`/api/invites/${code}`)).status).toBe(404);
    const mine = (await api('/api/invites', { cookie: admin.cookie })).body;
    expect(mine.invites.find((i: { code: string }) => i.code === code)).toMatchObject({ redeemedBy: { username: 'Ben' }, link: `${publicUrl}/sign-up?invite=${code}` });
  });

  it('validates every field with messages a person can act on', async () => {
    const res = await signUp({ email: 'not-an-email', password: 'short', username: '9lives', displayName: '' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_message');
    const issues = (res.body.error.issues as string[]).join('\n');
    expect(issues).toMatch(/email: enter an email address/);
    expect(issues).toMatch(/password: password must be at least 8 characters/);
    expect(issues).toMatch(/username: username may use only letters, digits and _, and must start with a letter/);
    expect(issues).toMatch(/displayName: display name is required/);
    const reserved = await signUp(person('Admin'));
    expect(reserved.body.error.issues).toContain('username: this username is reserved');
  });

  it('a taken email or username (in any case) is a conflict, and does not use up the invite', async () => {
    const code = await inviteCode(admin.cookie);
    const email = await signUp(person('Dee', { email: 'BEN@example.org', inviteCode: code }));
    expect(email.status).toBe(409);
    expect(email.body.error.message).toMatch(/already exists/);
    const name = await signUp(person('bEN', { email: 'other@example.org', inviteCode: code }));
    expect(name.status).toBe(409);
    expect(name.body.error.message).toMatch(/username is taken/);
    expect((await signUp(person('Dee', { inviteCode: code }))).status).toBe(201);
  });

  it('an admin switches invite-only off and on; members may not', async () => {
    const ben = await signIn('ben@example.org', password);
    expect((await api('/api/admin/settings', { method: 'PATCH', cookie: ben.cookie, json: { inviteOnly: false } })).status).toBe(403);
    const off = await api('/api/admin/settings', { method: 'PATCH', cookie: admin.cookie, json: { inviteOnly: false } });
    expect(off.body).toEqual({ inviteOnly: false, firstAccount: false });
    const open = await signUp(person('Eve'));
    expect(open.status).toBe(201);
    expect((await api('/api/users/eve')).body.profile.invitedBy).toBeNull();
    await api('/api/admin/settings', { method: 'PATCH', cookie: admin.cookie, json: { inviteOnly: true } });
    expect((await signUp(person('Fay'))).status).toBe(403);
  });
});

describe('invites', () => {
  it('a member has a quota (2 here); withdrawing an unused invite frees it; admins have no limit', async () => {
    const ben = await signIn('ben@example.org', password);
    const first = await inviteCode(ben.cookie);
    await inviteCode(ben.cookie);
    const over = await api('/api/invites', { method: 'POST', cookie: ben.cookie, json: {} });
    expect(over.status).toBe(403);
    expect(over.body.error.message).toMatch(/used all 2 of your invites/);
    expect((await api('/api/invites', { cookie: ben.cookie })).body.quota).toEqual({ limit: 2, used: 2 });
    expect((await api(`/api/invites/${first}`, { method: 'DELETE', cookie: ben.cookie })).status).toBe(204);
    expect((await api(`/api/invites/${first}`)).status).toBe(404);
    await inviteCode(ben.cookie);
    for (let i = 0; i < 3; i++) await inviteCode(admin.cookie);
    expect((await api('/api/invites', { cookie: admin.cookie })).body.quota.limit).toBeNull();
  });

  it('inviting by email needs a confirmed address, then mails a sign-up link that carries the code', async () => {
    const refused = await api('/api/invites', { method: 'POST', cookie: admin.cookie, json: { email: 'gus@example.org' } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/Confirm your own email address/);

    const verification = await sink.waitForMailTo('ada@example.org', /Confirm your email address/);
    const link = linkIn(verification, '/verify-email');
    expect(link.origin).toBe(publicUrl);
    const token = link.searchParams.get('token')!;
    expect((await api('/api/account/verify', { method: 'POST', json: { token } })).status).toBe(204);
    expect((await api('/api/account', { cookie: admin.cookie })).body.account.emailVerified).toBe(true);
    const again = await api('/api/account/verify', { method: 'POST', json: { token } });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toMatch(/expired or was already used/);

    const code = await inviteCode(admin.cookie, 'Gus@Example.org');
    const mail = await sink.waitForMailTo('gus@example.org', /Ada Display invited you to Parley/);
    const signUpLink = linkIn(mail, '/sign-up');
    expect(signUpLink.searchParams.get('invite')).toBe(code);
    expect(mail.text).toContain(code);
    const gus = await signUp(person('Gus', { inviteCode: signUpLink.searchParams.get('invite') }));
    expect(gus.status).toBe(201);
    expect((await api('/api/users/gus')).body.profile.invitedBy.username).toBe('Ada');
  });
});

describe('sign-in and sessions', () => {
  it('a wrong password and an unknown email get the identical answer', async () => {
    const wrong = await signIn('ben@example.org', 'not the password');
    const unknown = await signIn('nobody@example.org', 'not the password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.message).toBe('The email or password is not right.');
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });

  it('and take about as long: both verify one argon2id hash (medians within a factor of 2, where skipping it would be 10)', async () => {
    const time = async (email: string) => {
      const started = performance.now();
      await signIn(email, 'not the password');
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    await time('ben@example.org');
    for (let i = 0; i < 12; i++) {
      known.push(await time('ben@example.org'));
      unknown.push(await time(`nobody${i}@example.org`));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
    // One argon2id verification (19 MiB, 2 passes) costs ~15–20 ms here; a path that skipped it would
    // answer in ~2 ms, a ratio near 0.1.
    expect(median(known)).toBeGreaterThan(5);
    const ratio = median(unknown) / median(known);
    console.log(`[accounts] sign-in median: known email ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms (ratio ${ratio.toFixed(2)})`);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it('sign-in rotates the session: the cookie from before stops working', async () => {
    const guest = await api('/api/session', { method: 'POST', json: { displayName: 'Visitor' } });
    const guestCookie = sessionCookieOf(guest.headers);
    const res = await api('/api/sign-in', { method: 'POST', cookie: guestCookie, json: { email: 'BEN@example.org', password } });
    expect(res.status).toBe(200);
    const memberCookie = sessionCookieOf(res.headers);
    expect(memberCookie).not.toBe(guestCookie);
    expect((await api('/api/session', { cookie: guestCookie })).status).toBe(401);
    expect((await api('/api/session', { cookie: memberCookie })).body.user).toMatchObject({ displayName: 'Ben Display', kind: 'member' });
  });

  it('sign out everywhere ends every session of the account at once', async () => {
    const one = await signIn('dee@example.org', password);
    const two = await signIn('dee@example.org', password);
    expect((await api('/api/account/sessions', { method: 'DELETE', cookie: one.cookie })).status).toBe(204);
    expect((await api('/api/session', { cookie: one.cookie })).status).toBe(401);
    expect((await api('/api/session', { cookie: two.cookie })).status).toBe(401);
  });

  it('cookie-authenticated writes from another origin are refused (CSRF)', async () => {
    const res = await api('/api/sign-in', { method: 'POST', json: { email: 'ben@example.org', password }, headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
  });
});

describe('password reset', () => {
  it('a request answers the same for a known and an unknown address; only the known one gets mail', async () => {
    const before = sink.received.length;
    const known = await api('/api/password-reset', { method: 'POST', json: { email: 'ben@example.org' } });
    const unknown = await api('/api/password-reset', { method: 'POST', json: { email: 'nobody@example.org' } });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    await sink.waitForMailTo('ben@example.org', /Reset your Parley password/, before);
    // Give a mail to the unknown address every chance to arrive, then check none did.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.received.slice(before).map((m) => m.to[0])).toEqual(['ben@example.org']);
  });

  it('the link sets a new password once, ends every session, and the old password stops working', async () => {
    const session = await signIn('ben@example.org', password);
    const before = sink.received.length;
    await api('/api/password-reset', { method: 'POST', json: { email: 'ben@example.org' } });
    const mail = await sink.waitForMailTo('ben@example.org', /Reset your Parley password/, before);
    const token = linkIn(mail, '/reset-password').searchParams.get('token')!;

    const weak = await api('/api/password-reset/complete', { method: 'POST', json: { token, password: 'short' } });
    expect(weak.status).toBe(400);
    const done = await api('/api/password-reset/complete', { method: 'POST', json: { token, password: 'a brand new passphrase' } });
    expect(done.status).toBe(204);
    expect((await api('/api/session', { cookie: session.cookie })).status).toBe(401);
    expect((await signIn('ben@example.org', password)).status).toBe(401);
    expect((await signIn('ben@example.org', 'a brand new passphrase')).status).toBe(200);
    const reused = await api('/api/password-reset/complete', { method: 'POST', json: { token, password: 'yet another passphrase' } });
    expect(reused.status).toBe(400);
    expect(reused.body.error.message).toMatch(/expired or was already used/);
  });

  it('an expired link is refused (an hour later, with a clock that moves)', async () => {
    const store = await SqlStore.open({ dataDir: 'memory://' });
    let now = new Date('2026-03-01T10:00:00Z');
    const clock = () => now;
    const identity = new IdentityService(store, 30, clock);
    const sent: string[] = [];
    const service = new AccountService({
      store,
      identity,
      settings: new ServerSettings(store),
      hasher: argon2idHasher,
      mailer: { send: async (m) => void sent.push(m.text), close: async () => undefined },
      links: (path) => `${publicUrl}${path}`,
      background: () => undefined,
      clock,
    });
    try {
      await service.createUser({ email: 'old@example.org', username: 'old', displayName: 'Old', password: 'first passphrase', admin: false });
      await service.requestPasswordReset('old@example.org');
      expect(sent).toHaveLength(1);
      const token = new URL(sent[0]!.split('\n').find((l) => l.startsWith('http'))!).searchParams.get('token')!;
      now = new Date(now.getTime() + 61 * 60_000);
      await expect(service.completePasswordReset(token, 'second passphrase')).rejects.toMatchObject({ code: 'invalid_message', message: expect.stringMatching(/expired/) });
      // Only the hash was stored: the token itself is nowhere in the database.
      expect(await store.emailTokens.consume(token, 'reset', new Date('2026-03-01T10:00:01Z'))).toBeNull();
      expect(await store.emailTokens.consume(hashToken(token), 'reset', new Date('2026-03-01T10:00:01Z'))).not.toBeNull();
    } finally {
      await store.close();
    }
  });

  it('passwords are stored as argon2id hashes', async () => {
    const hash = await argon2idHasher.hash('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await argon2idHasher.verify(hash, 'correct horse battery staple')).toBe(true);
    expect(await argon2idHasher.verify(hash, 'wrong')).toBe(false);
    expect(await argon2idHasher.verify('not a hash', 'wrong')).toBe(false);
  });
});

describe('rate limits', () => {
  it('sign-in, sign-up, reset and invite look-up are limited per IP (3 per minute here)', async () => {
    const limited = await startServer({ port: 0, host: '127.0.0.1', dataDir: 'memory://', logLevel: 'silent', authRateLimit: 3 }, { mediaEngine: new RecordingMediaEngine() });
    const at = apiAt(() => limited.url);
    try {
      for (const [path, json] of [
        ['/api/sign-in', { email: 'x@example.org', password: 'whatever' }],
        ['/api/password-reset', { email: 'x@example.org' }],
        ['/api/accounts', { email: 'bad' }],
      ] as const) {
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++) statuses.push((await at(path, { method: 'POST', json })).status);
        expect(statuses.slice(0, 3)).not.toContain(429);
        expect(statuses[3], path).toBe(429);
      }
      const lookups: number[] = [];
      for (let i = 0; i < 4; i++) lookups.push((await at('/api/invites/ABCD-EFGH-JKMN')).status);
      expect(lookups).toEqual([404, 404, 404, 429]);
      const last = await at('/api/sign-in', { method: 'POST', json: { email: 'x@example.org', password: 'whatever' } });
      expect(last.body.error.code).toBe('rate_limited');
    } finally {
      await limited.close();
    }
  });
});
