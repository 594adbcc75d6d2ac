import type { Notification } from '@parley/protocol';
import { startServer, type RunningServer } from '@parley/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/logger';
import type { MediaAdapter } from '../src/media';
import { ParleyClient } from '../src/ParleyClient';

/** No media in these flows: any media call is a bug in the test. */
const noMedia: MediaAdapter = {
  publish: () => Promise.reject(new Error('media is not part of this test')),
  subscribe: () => Promise.reject(new Error('media is not part of this test')),
  close: () => undefined,
};

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

/**
 * The SDK's events, invitations, delegations, speaker links and notifications against the real
 * server. Every reply is parsed with its protocol schema by the SDK, so this also checks that the
 * server answers what docs/protocol.md promises.
 */
describe('ParleyClient: events, invitations, delegates, speaker links, notifications', () => {
  let server: RunningServer;
  const clients: ParleyClient[] = [];
  let ada: ParleyClient;
  let ben: ParleyClient;
  let cy: ParleyClient;
  const received = new Map<ParleyClient, Notification[]>();

  function newClient(): ParleyClient {
    const client = new ParleyClient({ baseUrl: server.url, logger: silentLogger, pingIntervalMs: 0 });
    clients.push(client);
    return client;
  }

  async function member(username: string, inviter: ParleyClient | null): Promise<ParleyClient> {
    const client = newClient();
    const inviteCode = inviter ? (await inviter.invites.create()).code : undefined;
    await client.accounts.signUp({ email: `${username}@example.org`, password: `${username} has a passphrase`, username, displayName: username[0]!.toUpperCase() + username.slice(1), inviteCode });
    const list: Notification[] = [];
    received.set(client, list);
    client.on('notification', (notification) => list.push(notification));
    await client.connect();
    return client;
  }

  async function notified(client: ParleyClient, kind: Notification['kind']): Promise<Notification> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const found = received.get(client)?.find((n) => n.kind === kind);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${kind} notification`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeAll(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', dataDir: 'memory://', logLevel: 'warn', jobPollMs: 100 });
    ada = await member('ada', null);
    ben = await member('ben', ada);
    cy = await member('cyd', ada);
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await server?.close();
  });

  it('an invitation, asked about by a delegate, answered, accepted for the principal; exactly one accept wins', async () => {
    await ben.delegations.grant('cyd', ['invitations']);
    const event = await ada.events.create({ title: 'Stateside', startsAt: '2031-03-01T19:00:00-05:00', timeZone: 'America/New_York' });
    expect(event).toMatchObject({ startsAt: '2031-03-02T00:00:00.000Z', status: 'scheduled', viewer: { host: true } });
    const invitation = await ada.invitations.create({ eventId: event.id, username: 'ben', topic: 'The year ahead', expectedAudience: 'The press', recorded: true });
    expect((await notified(ben, 'invitation.received')).invitationId).toBe(invitation.id);
    expect((await notified(cy, 'invitation.received')).onBehalfOf?.username).toBe('ben');

    const [seen] = await cy.invitations.list({ box: 'received' });
    expect(seen?.viewer).toMatchObject({ side: 'invitee', principal: { username: 'ben' }, canAccept: true });
    await cy.invitations.reply(invitation.id, 'What exactly is proposed?');
    expect((await notified(ada, 'invitation.question')).text).toContain('Cyd (for Ben)');
    await ada.invitations.reply(invitation.id, 'A forty-minute conversation.');
    await notified(cy, 'invitation.answer');

    const outcomes = await Promise.allSettled([cy.invitations.accept(invitation.id), ben.invitations.accept(invitation.id)]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const lost = outcomes.find((o) => o.status === 'rejected');
    expect(lost?.status === 'rejected' && lost.reason).toMatchObject({ name: 'ParleyError', code: 'conflict' });
    const detail = await ben.invitations.get(invitation.id);
    expect(detail.status).toBe('accepted');
    expect(detail.thread.map((m) => m.by.actor.username)).toEqual(['cyd', 'ada']);
    expect((await ada.events.get(event.id)).speakers.map((s) => s.username)).toEqual(['ben']);
    expect((await ben.delegations.activity()).some((a) => a.actor?.username === 'cyd' && a.principal?.username === 'ben')).toBe(true);
  });

  it('notifications: listed, read, the count pushed; preferences switched', async () => {
    const counts: number[] = [];
    ben.on('unreadCount', (count) => counts.push(count));
    const page = await ben.notifications.list();
    expect(page.unreadCount).toBeGreaterThan(0);
    expect(await ben.notifications.markAllRead()).toBe(0);
    const deadline = Date.now() + 3000;
    while (!counts.includes(0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(counts).toContain(0);
    const preferences = await ben.notifications.updatePreferences({ 'event.starting': { email: false } });
    expect(preferences['event.starting']).toEqual({ inApp: true, email: false });
  });

  it('going live, the hallway, and a guest on stage by a one-time link', async () => {
    const event = await ada.events.create({ title: 'Now-ish', startsAt: inMinutes(5), timeZone: 'UTC' });
    const hallwayChanged = new Promise<void>((resolve) => ben.once('hallwayChanged', () => resolve()));
    const { room } = await ada.events.goLive(event.id);
    await hallwayChanged;
    const host = await ada.joinRoom(room.id, { media: noMedia });
    expect(host.state.participants[0]?.role).toBe('host');
    expect((await ben.events.hallway()).rooms.map((r) => r.room.id)).toContain(room.id);

    const { url, link } = await ada.speakerLinks.create({ roomId: room.id, guestName: 'Gia Guest' });
    const token = url.split('/').pop()!;
    const guest = newClient();
    expect((await guest.speakerLinks.preview(token)).guestName).toBe('Gia Guest');
    const redeemed = await guest.speakerLinks.redeem(token);
    expect(redeemed).toMatchObject({ user: { displayName: 'Gia Guest', kind: 'guest' }, roomId: room.id });
    const session = await guest.joinRoom(room.id, { media: noMedia });
    expect(session.state.participants.find((p) => p.id === redeemed.user.id)).toMatchObject({ role: 'speaker', guest: true, speakerLink: true });
    await expect(newClient().speakerLinks.redeem(token)).rejects.toMatchObject({ code: 'conflict' });
    expect((await ada.speakerLinks.list({ roomId: room.id })).find((l) => l.id === link.id)?.status).toBe('used');

    const feed = await ben.events.createCalendarFeed();
    expect(feed.url).toMatch(/\/api\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    expect((await ben.events.calendarFeed()).feed?.createdAt).toBe(feed.createdAt);
  });
});
