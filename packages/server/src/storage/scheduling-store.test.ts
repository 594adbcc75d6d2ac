import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActRecord, InvitationRecord, ScheduledEventRecord, SpeakerLinkRecord } from '../domain/scheduling-ports';
import { contractTargets } from './contract-targets';
import type { SqlStore } from './store';

/**
 * The storage contract of scheduling (events, invitations, delegations, acts, speaker links, stage
 * grants, calendar feeds), notifications and jobs. PGlite always; Postgres with DATABASE_URL, where
 * the races are real (a pool of connections): exactly one of concurrent accepts, go-lives, link
 * redemptions and job claims wins.
 */

const t0 = new Date('2026-04-01T10:00:00Z');
const t = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const ids = { ada: 'user-ada-0001', ben: 'user-ben-0001', cy: 'user-cy-0001', dee: 'user-dee-0001' };
let actCounter = 0;
const act = (action: ActRecord['action'], subjectId: string, actorId: string | null = ids.ada, principalId: string | null = actorId): ActRecord => ({
  id: `act-${String(++actCounter).padStart(8, '0')}`,
  action,
  subjectId,
  at: t0,
  actorId,
  principalId,
});

describe.each(contractTargets())('storage contract, scheduling: $name', ({ open }) => {
  let store: SqlStore;
  let drop: () => Promise<void>;

  const event = (id: string, extra: Partial<ScheduledEventRecord> = {}): ScheduledEventRecord => ({
    id,
    title: `Event ${id}`,
    description: 'About things',
    startsAt: t(60),
    durationMinutes: 60,
    timeZone: 'Europe/Paris',
    roomType: 'open',
    createdBy: ids.ada,
    createdAt: t0,
    updatedAt: t0,
    cancelledAt: null,
    roomId: null,
    liveAt: null,
    ...extra,
  });
  const invitation = (id: string, extra: Partial<InvitationRecord> = {}): InvitationRecord => ({
    id,
    kind: 'event',
    status: 'pending',
    eventId: 'event-0000-0001',
    roomId: null,
    inviterId: ids.ada,
    inviteeId: ids.ben,
    inviteeEmail: null,
    inviteCode: null,
    topic: 'The future',
    startsAt: t(60),
    expectedAudience: 'Thousands',
    recorded: true,
    createdAt: t0,
    createdBy: ids.ada,
    expiresAt: t(60),
    decidedAt: null,
    decidedBy: null,
    decidedFor: null,
    ...extra,
  });

  beforeAll(async () => {
    ({ store, drop } = await open());
    for (const [name, id] of Object.entries(ids)) {
      await store.accounts.register({
        user: { id, displayName: `${name} Person`, kind: 'member', createdAt: t0 },
        account: { userId: id, email: `${name}@example.org`, passwordHash: 'hash', emailVerifiedAt: name === 'ada' ? t0 : null, createdAt: t0 },
        profile: { userId: id, username: name[0]!.toUpperCase() + name.slice(1), bio: '', avatarVersion: null, joinedAt: t0 },
        inviteCode: null,
        inviteRequired: false,
        admin: false,
        bootstrap: false,
      });
    }
    await store.users.create({ id: 'user-guest-0001', displayName: 'Visitor', kind: 'guest', createdAt: t0 });
  });
  afterAll(async () => {
    await store.close();
    await drop();
  });

  it('events: create() with hosts in order, get() with the viewer’s RSVP, update() replaces hosts, related() finds them', async () => {
    const events = store.scheduling.events;
    await events.create(event('event-0000-0001'), [ids.ada, ids.cy], act('event.created', 'event-0000-0001'));
    const view = await events.get('event-0000-0001', ids.dee);
    expect(view).toMatchObject({ hosts: [{ username: 'Ada' }, { username: 'Cy' }], speakers: [], rsvpCount: 0, roomStatus: null, viewerRsvp: false });
    expect(view!.event).toMatchObject({ title: 'Event event-0000-0001', startsAt: t(60), timeZone: 'Europe/Paris' });
    expect(await events.get('event-none-0001', null)).toBeNull();

    expect(await events.setRsvp('event-0000-0001', ids.dee, true, t0)).toBe(true);
    expect(await events.setRsvp('event-0000-0001', ids.dee, true, t0)).toBe(false);
    expect(await events.get('event-0000-0001', ids.dee)).toMatchObject({ rsvpCount: 1, viewerRsvp: true });
    expect(await events.isHost('event-0000-0001', ids.cy)).toBe(true);
    expect(await events.isHost('event-0000-0001', ids.dee)).toBe(false);

    expect(await events.update('event-0000-0001', { title: 'Renamed', hostIds: [ids.ada, ids.ben] }, t(1), act('event.updated', 'event-0000-0001'))).toBe(true);
    expect(await events.get('event-0000-0001', null)).toMatchObject({ event: { title: 'Renamed', updatedAt: t(1) }, hosts: [{ username: 'Ada' }, { username: 'Ben' }] });
    expect((await events.audience('event-0000-0001')).sort()).toEqual([ids.ada, ids.ben, ids.dee].sort());

    await store.follows.add(ids.dee, ids.ben, t0);
    const related = await events.related({ userIds: [ids.dee], from: t0, following: true, limit: 10 });
    expect(related.map((r) => [r.view.event.id, r.relation])).toEqual([['event-0000-0001', { hosting: false, speaking: false, rsvp: true, following: true }]]);
    expect(await events.related({ userIds: [ids.dee], from: t(61), following: true, limit: 10 })).toEqual([]);
  });

  it('events: claimRoom() — of concurrent go-lives exactly one wins and all get its room; then no edits or cancel', async () => {
    const events = store.scheduling.events;
    await events.create(event('event-0000-0002'), [ids.ada], act('event.created', 'event-0000-0002'));
    const results = await Promise.all([1, 2, 3, 4].map((n) => events.claimRoom('event-0000-0002', `room-claim-000${n}`, t(1), act('event.live', 'event-0000-0002'))));
    const winners = results.filter((r) => r?.won);
    expect(winners).toHaveLength(1);
    expect(new Set(results.map((r) => r?.roomId)).size).toBe(1);
    expect((await events.findByRoom(winners[0]!.roomId))?.id).toBe('event-0000-0002');
    expect(await events.update('event-0000-0002', { title: 'Too late' }, t(2), act('event.updated', 'event-0000-0002'))).toBe(false);
    expect(await events.cancel('event-0000-0002', t(2), act('event.cancelled', 'event-0000-0002'))).toBe(false);
    await events.releaseRoom('event-0000-0002', winners[0]!.roomId);
    expect((await events.get('event-0000-0002', null))?.event.roomId).toBeNull();
  });

  it('invitations: create() refuses a second pending one for the same person and event; list() by box; threads only while open', async () => {
    const invitations = store.scheduling.invitations;
    expect(await invitations.create(invitation('invite-0000-0001'), { id: 'msg-0000-0001', invitationId: 'invite-0000-0001', side: 'inviter', body: 'Hello', authorId: ids.ada, principalId: ids.ada, createdAt: t0 }, act('invitation.created', 'invite-0000-0001'))).toBe('created');
    expect(await invitations.create(invitation('invite-0000-0002'), null, act('invitation.created', 'invite-0000-0002'))).toBe('duplicate');
    const view = await invitations.get('invite-0000-0001');
    expect(view).toMatchObject({ inviter: { username: 'Ada' }, invitee: { username: 'Ben' }, createdBy: { username: 'Ada' }, event: { id: 'event-0000-0001', title: 'Renamed', roomStatus: null }, room: null, messageCount: 1 });
    expect((await invitations.list({ principalIds: [ids.ben], box: 'received', limit: 10 })).map((v) => v.invitation.id)).toEqual(['invite-0000-0001']);
    expect(await invitations.list({ principalIds: [ids.ben], box: 'sent', limit: 10 })).toEqual([]);
    expect(await invitations.list({ principalIds: [ids.ada], box: 'all', status: 'accepted', limit: 10 })).toEqual([]);

    const question = { id: 'msg-0000-0002', invitationId: 'invite-0000-0001', side: 'invitee' as const, body: 'What exactly?', authorId: ids.cy, principalId: ids.ben, createdAt: t(1) };
    expect(await invitations.addMessage(question, ['pending'], act('invitation.message', 'invite-0000-0001', ids.cy, ids.ben))).toBe(true);
    const thread = await invitations.thread('invite-0000-0001');
    expect(thread.map((m) => [m.message.body, m.author.username, m.principal.username])).toEqual([
      ['Hello', 'Ada', 'Ada'],
      ['What exactly?', 'Cy', 'Ben'],
    ]);
  });

  it('invitations: transition() — of concurrent accepts and declines exactly one wins; accepting puts the invitee on the speaker list', async () => {
    const invitations = store.scheduling.invitations;
    const attempts = [
      ...[1, 2, 3].map(() => invitations.transition('invite-0000-0001', { to: 'accepted', actorId: ids.cy, principalId: ids.ben, at: t(2), note: null }, act('invitation.accepted', 'invite-0000-0001', ids.cy, ids.ben))),
      invitations.transition('invite-0000-0001', { to: 'declined', actorId: ids.ben, principalId: ids.ben, at: t(2), note: null }, act('invitation.declined', 'invite-0000-0001', ids.ben)),
    ];
    const results = await Promise.all(attempts);
    expect(results.filter((r) => r.kind === 'done')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'conflict')).toHaveLength(3);
    const after = await invitations.get('invite-0000-0001');
    const winner = results.find((r) => r.kind === 'done');
    expect(after?.invitation.status).toBe(winner?.kind === 'done' ? winner.invitation.status : 'none');
    if (after?.invitation.status === 'accepted') {
      expect(after).toMatchObject({ decidedBy: { username: 'Cy' }, decidedFor: { username: 'Ben' } });
      expect((await store.scheduling.events.get('event-0000-0001', null))?.speakers.map((p) => p.username)).toEqual(['Ben']);
    }
    expect(await invitations.transition('invite-none-0001', { to: 'accepted', actorId: ids.ben, principalId: ids.ben, at: t(2), note: null }, act('invitation.accepted', 'x'))).toEqual({ kind: 'not_found' });
    expect(await invitations.addMessage({ id: 'msg-0000-0003', invitationId: 'invite-0000-0001', side: 'invitee', body: 'Late', authorId: ids.ben, principalId: ids.ben, createdAt: t(3) }, ['pending'], act('invitation.message', 'invite-0000-0001'))).toBe(false);
  });

  it('invitations: a pending invitation past its expiry cannot be accepted; expire() marks due ones once; claimByRedeemer() addresses emailed ones', async () => {
    const invitations = store.scheduling.invitations;
    await invitations.create(invitation('invite-0000-0003', { inviteeId: ids.dee, expiresAt: t(5) }), null, act('invitation.created', 'invite-0000-0003'));
    expect(await invitations.transition('invite-0000-0003', { to: 'accepted', actorId: ids.dee, principalId: ids.dee, at: t(5), note: null }, act('invitation.accepted', 'invite-0000-0003', ids.dee))).toEqual({ kind: 'conflict', status: 'expired' });
    expect((await invitations.get('invite-0000-0003'))?.invitation.status).toBe('expired');

    await invitations.create(invitation('invite-0000-0004', { inviteeId: ids.cy, expiresAt: t(5) }), null, act('invitation.created', 'invite-0000-0004'));
    expect(await invitations.expire('invite-0000-0004', t(4), act('invitation.expired', 'invite-0000-0004', null))).toBe(false);
    expect(await invitations.expire('invite-0000-0004', t(5), act('invitation.expired', 'invite-0000-0004', null))).toBe(true);
    expect(await invitations.expire('invite-0000-0004', t(6), act('invitation.expired', 'invite-0000-0004', null))).toBe(false);

    expect(await store.invites.createWithinQuota({ code: 'EMAI-LEDI-NVT1', inviterId: ids.ada, email: 'new@example.org', createdAt: t0, redeemedBy: null, redeemedAt: null }, null)).toBe(true);
    await invitations.create(invitation('invite-0000-0005', { inviteeId: null, inviteeEmail: 'new@example.org', inviteCode: 'EMAI-LEDI-NVT1' }), null, act('invitation.created', 'invite-0000-0005'));
    expect((await invitations.get('invite-0000-0005'))?.invitee).toBeNull();
    const registered = await store.accounts.register({
      user: { id: 'user-new-0001', displayName: 'New Person', kind: 'member', createdAt: t(1) },
      account: { userId: 'user-new-0001', email: 'new@example.org', passwordHash: 'hash', emailVerifiedAt: null, createdAt: t(1) },
      profile: { userId: 'user-new-0001', username: 'Newbie', bio: '', avatarVersion: null, joinedAt: t(1) },
      inviteCode: 'EMAI-LEDI-NVT1',
      inviteRequired: true,
      admin: false,
      bootstrap: false,
    });
    expect(registered).toMatchObject({ kind: 'created', invitedBy: ids.ada });
    expect(await invitations.claimByRedeemer('user-new-0001')).toBe(1);
    expect(await invitations.claimByRedeemer('user-new-0001')).toBe(0);
    expect((await invitations.get('invite-0000-0005'))?.invitee?.username).toBe('Newbie');
  });

  it('delegations: grant, grant again (new scopes, same grant), who may act for whom, revoke once', async () => {
    const delegations = store.scheduling.delegations;
    const first = await delegations.grant({ id: 'deleg-0000-0001', principalId: ids.ben, delegateId: ids.cy, scopes: ['invitations'], createdAt: t0, revokedAt: null }, act('delegation.granted', 'deleg-0000-0001', ids.ben));
    const again = await delegations.grant({ id: 'deleg-0000-0002', principalId: ids.ben, delegateId: ids.cy, scopes: ['invitations', 'events'], createdAt: t(1), revokedAt: null }, act('delegation.granted', 'deleg-0000-0002', ids.ben));
    expect(again.id).toBe(first.id);
    expect(again.scopes).toEqual(['invitations', 'events']);
    expect(await delegations.allows(ids.ben, ids.cy, 'events')).toBe(true);
    expect(await delegations.allows(ids.cy, ids.ben, 'events')).toBe(false);
    expect(await delegations.principalsOf(ids.cy, 'invitations')).toEqual([ids.ben]);
    expect(await delegations.delegatesOf([ids.ben, ids.ada], 'invitations')).toEqual([{ delegateId: ids.cy, principalId: ids.ben }]);
    const listed = await delegations.listActive(ids.ben);
    expect(listed.granted.map((d) => [d.principal.username, d.delegate.username])).toEqual([['Ben', 'Cy']]);
    expect(listed.received).toEqual([]);
    expect(await delegations.revoke(first.id, ids.ben, t(2), act('delegation.revoked', first.id, ids.ben))).toBe(true);
    expect(await delegations.revoke(first.id, ids.ben, t(2), act('delegation.revoked', first.id, ids.ben))).toBe(false);
    expect(await delegations.allows(ids.ben, ids.cy, 'invitations')).toBe(false);
    expect(await delegations.principalsOf(ids.cy, 'invitations')).toEqual([]);
    const fresh = await delegations.grant({ id: 'deleg-0000-0003', principalId: ids.ben, delegateId: ids.cy, scopes: ['events'], createdAt: t(3), revokedAt: null }, act('delegation.granted', 'deleg-0000-0003', ids.ben));
    expect(fresh.id).toBe('deleg-0000-0003');
  });

  it('acts: forSubject() oldest first with people; forPerson() covers acts for and by the person', async () => {
    const history = await store.scheduling.acts.forSubject('invite-0000-0001');
    expect(history[0]).toMatchObject({ act: { action: 'invitation.created' }, actor: { username: 'Ada' }, principal: { username: 'Ada' } });
    expect(history.some((h) => h.act.action === 'invitation.message' && h.actor?.username === 'Cy' && h.principal?.username === 'Ben')).toBe(true);
    const expired = await store.scheduling.acts.forSubject('invite-0000-0004');
    expect(expired.at(-1)).toMatchObject({ act: { action: 'invitation.expired' }, actor: null, principal: null });
    const forBen = await store.scheduling.acts.forPerson(ids.ben, 50);
    expect(forBen.some((h) => h.actor?.username === 'Cy')).toBe(true);
  });

  it('speaker links: redeem() works once (concurrent: one wins), not after expiry or revocation; grantIn() sees link, host, speaker and ping', async () => {
    const links = store.scheduling.speakerLinks;
    const link = (id: string, extra: Partial<SpeakerLinkRecord> = {}): SpeakerLinkRecord => ({
      id,
      tokenHash: `hash-${id}`,
      guestName: 'Guest Star',
      eventId: 'event-0000-0001',
      roomId: null,
      createdBy: ids.cy,
      createdFor: ids.ada,
      createdAt: t0,
      expiresAt: t(30),
      usedAt: null,
      usedBy: null,
      revokedAt: null,
      ...extra,
    });
    await links.create(link('link-0000-0001'), act('speakerLink.created', 'link-0000-0001', ids.cy, ids.ada));
    const view = await links.findByToken('hash-link-0000-0001');
    expect(view).toMatchObject({ title: 'Renamed', hostName: 'ada Person', liveRoomId: null, startsAt: t(60), createdBy: { username: 'Cy' }, createdFor: { username: 'Ada' } });
    const guests = [1, 2, 3].map((n) => ({ id: `user-link-000${n}`, displayName: 'Guest Star', kind: 'guest' as const, createdAt: t(1) }));
    const results = await Promise.all(guests.map((guest) => links.redeem('hash-link-0000-0001', t(1), guest.id, guest)));
    expect(results.filter((r) => r.kind === 'redeemed')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'used')).toHaveLength(2);
    const winner = guests[results.findIndex((r) => r.kind === 'redeemed')]!;
    // Losers' guest users were rolled back with their attempt.
    expect((await Promise.all(guests.map((g) => store.users.get(g.id)))).filter(Boolean)).toHaveLength(1);
    expect(await links.redeem('hash-nope', t(1), 'user-x', null)).toEqual({ kind: 'unknown' });

    await links.create(link('link-0000-0002', { tokenHash: 'hash-old' }), act('speakerLink.created', 'link-0000-0002'));
    expect(await links.redeem('hash-old', t(30), ids.dee, null)).toEqual({ kind: 'expired' });
    await links.create(link('link-0000-0003', { tokenHash: 'hash-revoked' }), act('speakerLink.created', 'link-0000-0003'));
    expect(await links.revoke('link-0000-0003', t(2), act('speakerLink.revoked', 'link-0000-0003'))).toBe(true);
    expect(await links.revoke('link-0000-0003', t(2), act('speakerLink.revoked', 'link-0000-0003'))).toBe(false);
    expect(await links.redeem('hash-revoked', t(2), ids.dee, null)).toEqual({ kind: 'revoked' });
    expect((await links.listFor({ eventId: 'event-0000-0001' })).map((v) => v.link.id).sort()).toEqual(['link-0000-0001', 'link-0000-0002', 'link-0000-0003']);

    // The event goes live in a room: grants follow the event's lists and the used link.
    await store.rooms.create({ id: 'room-event-0001', title: 'Renamed', type: 'open', status: 'live', hostId: ids.ada, createdAt: t(5), endedAt: null });
    expect(await store.scheduling.events.claimRoom('event-0000-0001', 'room-event-0001', t(5), act('event.live', 'event-0000-0001'))).toEqual({ won: true, roomId: 'room-event-0001' });
    const grants = store.scheduling.stageGrants;
    expect(await grants.grantIn('room-event-0001', ids.ben)).toBe('moderator');
    expect(await grants.grantIn('room-event-0001', winner.id)).toBe('speaker');
    expect(await grants.grantIn('room-event-0001', ids.dee)).toBeNull();
    const accepted = await store.scheduling.invitations.get('invite-0000-0001');
    if (accepted?.invitation.status === 'accepted') expect(await grants.grantIn('room-event-0001', ids.ben)).toBe('moderator');
    expect((await store.scheduling.events.get('event-0000-0001', null))?.roomStatus).toBe('live');

    // A ping into a room: accepting grants a speaker's place there.
    await store.scheduling.invitations.create(invitation('invite-0000-0006', { kind: 'room', eventId: null, roomId: 'room-event-0001', inviteeId: ids.dee, expiresAt: t(30) }), null, act('invitation.created', 'invite-0000-0006'));
    expect((await store.scheduling.invitations.transition('invite-0000-0006', { to: 'accepted', actorId: ids.dee, principalId: ids.dee, at: t(6), note: null }, act('invitation.accepted', 'invite-0000-0006', ids.dee))).kind).toBe('done');
    expect(await grants.grantIn('room-event-0001', ids.dee)).toBe('speaker');
    // Revoking a used link takes the place away.
    const used = (await links.listFor({ eventId: 'event-0000-0001' })).find((v) => v.link.usedBy === winner.id)!;
    await links.revoke(used.link.id, t(7), act('speakerLink.revoked', used.link.id));
    expect(await grants.grantIn('room-event-0001', winner.id)).toBeNull();

    // A link for a room itself (no event): a speaker's place in that room, and in no other.
    await store.rooms.create({ id: 'room-plain-0001', title: 'Plain', type: 'open', status: 'live', hostId: ids.ada, createdAt: t(8), endedAt: null });
    await links.create(link('link-0000-0004', { tokenHash: 'hash-room', eventId: null, roomId: 'room-plain-0001' }), act('speakerLink.created', 'link-0000-0004'));
    const roomGuest = { id: 'user-link-room', displayName: 'Guest Star', kind: 'guest' as const, createdAt: t(8) };
    expect((await links.redeem('hash-room', t(8), roomGuest.id, roomGuest)).kind).toBe('redeemed');
    expect(await grants.grantIn('room-plain-0001', roomGuest.id)).toBe('speaker');
    expect(await grants.grantIn('room-event-0001', roomGuest.id)).toBeNull();
    expect(await grants.grantIn('room-plain-0001', ids.ben)).toBeNull();
    expect(await grants.grantIn('room-nowhere-01', roomGuest.id)).toBeNull();
  });

  it('calendar feeds: set, replace, find by hash, remove', async () => {
    const feeds = store.scheduling.calendarFeeds;
    await feeds.set(ids.ben, 'feed-1', t0);
    await feeds.set(ids.ben, 'feed-2', t(1));
    expect(await feeds.findUser('feed-1')).toBeNull();
    expect(await feeds.findUser('feed-2')).toBe(ids.ben);
    expect(await feeds.get(ids.ben)).toEqual({ createdAt: t(1) });
    expect(await feeds.remove(ids.ben)).toBe(true);
    expect(await feeds.get(ids.ben)).toBeNull();
  });

  it('people: by ids (members only), by username in any case, follow edges, emails', async () => {
    const people = store.scheduling.people;
    expect((await people.byIds([ids.ada, 'user-guest-0001', 'user-none'])).map((p) => p.username)).toEqual(['Ada']);
    expect((await people.byUsername('cY'))?.id).toBe(ids.cy);
    expect(await people.followingIds(ids.dee)).toEqual([ids.ben]);
    expect(await people.followerIds([ids.ben, ids.ada])).toEqual([ids.dee]);
    expect(await people.emailOf(ids.ada)).toEqual({ email: 'ada@example.org', verified: true });
    expect(await people.emailOf('user-guest-0001')).toBeNull();
  });
});

describe.each(contractTargets())('storage contract, notifications and jobs: $name', ({ open }) => {
  let store: SqlStore;
  let drop: () => Promise<void>;
  const user = 'user-note-0001';

  beforeAll(async () => {
    ({ store, drop } = await open());
    await store.users.create({ id: user, displayName: 'Noa', kind: 'member', createdAt: t0 });
  });
  afterAll(async () => {
    await store.close();
    await drop();
  });

  it('notifications: insert once per dedupe key, newest first in pages, unread count, mark read', async () => {
    const notifications = store.notifications;
    const note = (n: number, key = `key-${n}`) => ({
      id: `note-0000-000${n}`,
      userId: user,
      kind: 'event.starting' as const,
      text: `Note ${n}`,
      link: '/events/x',
      actorId: null,
      onBehalfOf: null,
      invitationId: null,
      eventId: 'event-x',
      roomId: null,
      dedupeKey: key,
      createdAt: t(n),
      readAt: null,
    });
    for (const n of [1, 2, 3]) expect(await notifications.insert(note(n))).toBe(true);
    expect(await notifications.insert({ ...note(4), dedupeKey: 'key-3' })).toBe(false);
    expect(await notifications.unreadCount(user)).toBe(3);
    const first = await notifications.list(user, { limit: 2 });
    expect(first.map((v) => v.notification.text)).toEqual(['Note 3', 'Note 2']);
    const second = await notifications.list(user, { limit: 2, before: first[1]!.notification.id });
    expect(second.map((v) => v.notification.text)).toEqual(['Note 1']);
    expect(await notifications.markRead(user, ['note-0000-0003'], t(5))).toBe(1);
    expect(await notifications.markRead(user, ['note-0000-0003'], t(5))).toBe(0);
    expect((await notifications.list(user, { limit: 10, unread: true })).map((v) => v.notification.id)).toEqual(['note-0000-0002', 'note-0000-0001']);
    expect(await notifications.markRead(user, 'all', t(6))).toBe(2);
    expect(await notifications.unreadCount(user)).toBe(0);

    expect(await notifications.preferences(user)).toEqual({});
    await notifications.setPreferences(user, { 'followee.live': { inApp: false, email: false } });
    await notifications.setPreferences(user, { 'followee.live': { inApp: true, email: false }, 'event.starting': { inApp: true, email: false } });
    expect(await notifications.preferences(user)).toEqual({ 'followee.live': { inApp: true, email: false }, 'event.starting': { inApp: true, email: false } });
  });

  it('jobs: schedule() moves a job with the same key; claim() hands each due job to one worker; a lapsed lease is claimed again', async () => {
    const jobs = store.jobs;
    const job = (n: number, runAt: Date) => ({ id: `job-0000-000${n}`, kind: 'test', key: `test:${n}`, payload: { n: String(n) }, runAt, createdAt: t0 });
    await jobs.schedule(job(1, t(10)));
    await jobs.schedule({ ...job(9, t(1)), key: 'test:1', payload: { n: 'moved' } });
    expect(await jobs.nextRunAt()).toEqual(t(1));
    for (const n of [2, 3, 4, 5, 6]) await jobs.schedule(job(n, t(2)));
    await jobs.schedule(job(7, t(100)));

    // Three workers race for the six due jobs: each job goes to exactly one.
    const claims = await Promise.all(['w1', 'w2', 'w3'].map((worker) => jobs.claim(worker, t(5), 60_000, 4)));
    const claimed = claims.flat().map((j) => j.key);
    expect(claimed.sort()).toEqual(['test:1', 'test:2', 'test:3', 'test:4', 'test:5', 'test:6']);
    expect(claims.flat().find((j) => j.key === 'test:1')).toMatchObject({ id: 'job-0000-0001', payload: { n: 'moved' }, attempts: 1 });
    expect(await jobs.claim('w4', t(5), 60_000, 10)).toEqual([]);

    const owner = claims.findIndex((list) => list.some((j) => j.key === 'test:1'));
    expect(await jobs.complete('job-0000-0001', 'w-other')).toBe(false);
    expect(await jobs.complete('job-0000-0001', `w${owner + 1}`)).toBe(true);
    const failedOwner = claims.findIndex((list) => list.some((j) => j.key === 'test:2'));
    await jobs.fail('job-0000-0002', `w${failedOwner + 1}`, 'boom', t(20));
    // After the lease (1 minute) lapses, the unfinished jobs are claimable again; the failed one waits for its retry time.
    const again = await jobs.claim('w5', t(7), 3_600_000, 10);
    expect(again.map((j) => j.key).sort()).toEqual(['test:3', 'test:4', 'test:5', 'test:6']);
    expect(again[0]!.attempts).toBe(2);
    const retried = await jobs.claim('w5', t(20), 60_000, 10);
    expect(retried.map((j) => [j.key, j.lastError])).toEqual([['test:2', 'boom']]);
    expect(await jobs.cancel('test:7')).toBe(true);
    expect(await jobs.cancel('test:7')).toBe(false);
  });
});
