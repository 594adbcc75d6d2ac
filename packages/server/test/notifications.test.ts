import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/index';
import { RecordingMediaEngine } from './fake-media';
import type { Member } from './http-helpers';
import { MailSink } from './mail-sink';
import { eventually, inMinutes, nextNotification, notificationsOn, publicUrl, SchedulingWorld } from './scheduling-helpers';

/**
 * Notifications over real HTTP and WebSocket with a real SMTP sink: pushed live with the unread count,
 * marked read across tabs, switched per kind and channel; "someone I follow went live"; and the
 * reminders' durability: a reminder scheduled before a restart fires once after it, and with several
 * server processes on one Postgres every job runs once.
 */

describe('notifications', () => {
  let world: SchedulingWorld;
  let ada: Member;
  let ben: Member;
  let dee: Member;
  let eventId: string;

  beforeAll(async () => {
    world = await SchedulingWorld.start();
    ada = await world.member('Ada');
    ben = await world.member('Ben');
    dee = await world.member('Dee');
    eventId = (await world.as(ada)('/api/events', { method: 'POST', json: { title: 'Notify', startsAt: inMinutes(120), timeZone: 'UTC' } })).body.event.id;
  });
  afterAll(async () => {
    await world?.close();
  });

  const invite = (who: Member) => world.as(ada)('/api/invitations', { method: 'POST', json: { eventId, username: who.username, topic: 'x', recorded: false } });

  it('reach every open tab with the unread count; reading on one tab updates the others', async () => {
    const [tab1, tab2] = await Promise.all([world.socket(ben.cookie), world.socket(ben.cookie)]);
    await Promise.all([tab1, tab2].map((tab) => tab.waitFor((m) => m.type === 'notifications.unread' && m.unreadCount === 0)));
    await invite(ben);
    const [first, second] = await Promise.all([nextNotification(tab1, 'invitation.received'), nextNotification(tab2, 'invitation.received')]);
    expect(first.unreadCount).toBe(1);
    expect(second.notification.id).toBe(first.notification.id);

    const listed = await world.as(ben)('/api/notifications');
    expect(listed.body).toMatchObject({ unreadCount: 1, nextBefore: null, notifications: [{ id: first.notification.id, readAt: null }] });
    const read = await world.as(ben)('/api/notifications/read', { method: 'POST', json: { ids: [first.notification.id] } });
    expect(read.body).toEqual({ unreadCount: 0 });
    await tab2.waitFor((m) => m.type === 'notifications.unread' && m.unreadCount === 0 && tab2.received.indexOf(m) > tab2.received.indexOf(second));
    expect((await world.as(ben)('/api/notifications?unread=true')).body.notifications).toEqual([]);
    expect((await world.as(ben)('/api/notifications/read', { method: 'POST', json: {} })).status).toBe(400);
    const guest = await world.guest('Gus');
    expect((await world.api('/api/notifications', { cookie: guest.cookie })).status).toBe(403);
  });

  it('are listed newest first in pages', async () => {
    await world.as(dee)(`/api/users/${ada.username}/follow`, { method: 'PUT' });
    const room = async (title: string) => (await world.as(ada)('/api/rooms', { method: 'POST', json: { title } })).body.room;
    await room('One');
    await room('Two');
    await room('Three');
    const all = await eventually(async () => {
      const list = (await world.as(dee)('/api/notifications?limit=2')).body;
      return list.unreadCount === 3 ? list : undefined;
    });
    expect(all.notifications.map((n: { text: string }) => n.text)).toEqual(['Ada is live: “Three”.', 'Ada is live: “Two”.']);
    const next = (await world.as(dee)(`/api/notifications?limit=2&before=${all.nextBefore}`)).body;
    expect(next.notifications.map((n: { text: string }) => n.text)).toEqual(['Ada is live: “One”.']);
    expect(next.nextBefore).toBeNull();
    // Someone I follow went live: in the app by default, not by email.
    expect(world.sink.received.filter((m) => m.to.includes(dee.email) && /is live/.test(m.subject))).toEqual([]);
    // Closed rooms admit only their list: their going live is not announced.
    await world.as(ada)('/api/rooms', { method: 'POST', json: { title: 'Behind doors', type: 'closed' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await world.as(dee)('/api/notifications')).body.unreadCount).toBe(3);
    await world.as(dee)('/api/notifications/read', { method: 'POST', json: { all: true } });
  });

  it('are switched per kind: off in the app means not kept nor pushed, off by email means no mail', async () => {
    const defaults = (await world.as(dee)('/api/account/notification-preferences')).body.preferences;
    expect(defaults['invitation.received']).toEqual({ inApp: true, email: true });
    expect(defaults['followee.live']).toEqual({ inApp: true, email: false });
    const changed = await world.as(dee)('/api/account/notification-preferences', { method: 'PATCH', json: { 'invitation.received': { email: false }, 'followee.live': { inApp: false } } });
    expect(changed.body.preferences['invitation.received']).toEqual({ inApp: true, email: false });
    expect(changed.body.preferences['followee.live']).toEqual({ inApp: false, email: false });
    expect((await world.as(dee)('/api/account/notification-preferences', { method: 'PATCH', json: { 'no.such': { email: true } } })).status).toBe(400);

    const socket = await world.socket(dee.cookie);
    const mailsBefore = world.sink.received.length;
    await invite(dee);
    await nextNotification(socket, 'invitation.received');
    // Ben's switches are the defaults: his copy of a later invitation is mailed; Dee's never is.
    const other = await world.as(ada)('/api/events', { method: 'POST', json: { title: 'Control', startsAt: inMinutes(120), timeZone: 'UTC' } });
    await world.as(ada)('/api/invitations', { method: 'POST', json: { eventId: other.body.event.id, username: ben.username, topic: 'x', recorded: false } });
    await world.sink.waitForMailTo(ben.email, /Control/, mailsBefore);
    expect(world.sink.received.slice(mailsBefore).filter((m) => m.to.includes(dee.email))).toEqual([]);

    await world.as(ada)('/api/rooms', { method: 'POST', json: { title: 'Unannounced' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(notificationsOn(socket).filter((n) => n.notification.kind === 'followee.live')).toEqual([]);
    expect((await world.as(dee)('/api/notifications')).body.notifications.some((n: { text: string }) => n.text.includes('Unannounced'))).toBe(false);
  });
});

describe('reminders survive a restart', () => {
  let dataDir: string;
  let world: SchedulingWorld;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-restart-'));
    world = await SchedulingWorld.start({ dataDir });
  });
  afterAll(async () => {
    await world?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a reminder scheduled before a restart fires once after it', async () => {
    const ada = await world.member('Ada');
    const dee = await world.member('Dee');
    const dueAt = Date.now() + 6000;
    const event = (await world.as(ada)('/api/events', { method: 'POST', json: { title: 'Across a restart', startsAt: new Date(dueAt + 10 * 60_000).toISOString(), timeZone: 'UTC' } })).body.event;
    await world.as(dee)(`/api/events/${event.id}/rsvp`, { method: 'PUT' });

    await world.restart({ dataDir });
    const restartedAt = Date.now();
    expect(restartedAt).toBeLessThan(dueAt);
    // The same account still signs in from the data on disk, and has nothing yet.
    const socket = await world.socket(dee.cookie);
    expect((await world.as(dee)('/api/notifications')).body.notifications).toEqual([]);

    const reminder = await nextNotification(socket, 'event.starting');
    expect(reminder.notification).toMatchObject({ eventId: event.id, text: '“Across a restart” starts in 10 minutes.' });
    expect(Date.parse(reminder.notification.createdAt)).toBeGreaterThanOrEqual(dueAt - 50);
    await world.sink.waitForMailTo(dee.email, /Across a restart/);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await world.as(dee)('/api/notifications')).body.notifications.filter((n: { eventId: string }) => n.eventId === event.id)).toHaveLength(1);
    expect(world.sink.received.filter((m) => m.to.includes(dee.email) && /Across a restart/.test(m.subject))).toHaveLength(1);
  });
});

const databaseUrl = process.env.DATABASE_URL;

describe.skipIf(!databaseUrl)('several server processes on one Postgres', () => {
  const name = `parley_jobs_${randomUUID().replaceAll('-', '')}`;
  const servers: RunningServer[] = [];
  let sink: MailSink;
  let world: SchedulingWorld;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(databaseUrl!);
    url.pathname = `/${name}`;
    world = await SchedulingWorld.start({ databaseUrl: url.toString() });
    sink = world.sink;
    // Two more processes' worth of servers on the same database: each runs its own job runner.
    for (let i = 0; i < 2; i++) {
      servers.push(
        await startServer(
          { port: 0, host: '127.0.0.1', databaseUrl: url.toString(), logLevel: 'silent', smtpUrl: sink.url, publicUrl, authRateLimit: 1000, rateLimitFactor: 100, jobPollMs: 50 },
          { mediaEngine: new RecordingMediaEngine() },
        ),
      );
    }
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await world?.close();
    const again = new pg.Client({ connectionString: databaseUrl });
    await again.connect();
    await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await again.end();
  });

  it('runs each reminder once, whichever process claims it', async () => {
    const ada = await world.member('Ada');
    const dee = await world.member('Dee');
    // Mail only, no stored copy: every run of a reminder job would send one more mail.
    await world.as(dee)('/api/account/notification-preferences', { method: 'PATCH', json: { 'event.starting': { inApp: false, email: true } } });
    const due = Date.now() + 2000;
    const titles = Array.from({ length: 8 }, (_, i) => `Reminder ${i + 1}`);
    for (const title of titles) {
      const event = (await world.as(ada)('/api/events', { method: 'POST', json: { title, startsAt: new Date(due + 10 * 60_000).toISOString(), timeZone: 'UTC' } })).body.event;
      await world.as(dee)(`/api/events/${event.id}/rsvp`, { method: 'PUT' });
    }
    const mails = () => sink.received.filter((m) => m.to.includes(dee.email) && /^“Reminder \d+”/.test(m.subject));
    await eventually(async () => (mails().length >= titles.length ? true : undefined), 15_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(mails().map((m) => m.subject.replace(/ starts.*/, '')).sort()).toEqual(titles.map((t) => `“${t}”`).sort());
  });
});
