import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlStore } from './store';
import { contractTargets } from './contract-targets';
import type { RoomRecord, UserRecord } from '../domain/ports';
import type { Registration } from '../domain/accounts-ports';

/**
 * The storage contract: every implementation of the Store port must pass these. PGlite always runs;
 * Postgres runs when DATABASE_URL is set (CI sets it), each run in a fresh database of its own
 * (contract-targets.ts; the scheduling stores' contract is in scheduling-store.test.ts).
 */
const targets = contractTargets();

const at = (iso: string) => new Date(iso);

describe.each(targets)('storage contract: $name', ({ open }) => {
  let store: SqlStore;
  let drop: () => Promise<void>;
  const host: UserRecord = { id: 'user-host-0001', displayName: 'Ada', kind: 'guest', createdAt: at('2026-01-01T10:00:00Z') };

  beforeAll(async () => {
    ({ store, drop } = await open());
    await store.users.create(host);
  });
  afterAll(async () => {
    await store.close();
    await drop();
  });

  it('users.get() returns what users.create() stored, and null for an unknown id', async () => {
    expect(await store.users.get(host.id)).toEqual(host);
    expect(await store.users.get('user-unknown-01')).toBeNull();
  });

  it('users.create() refuses a duplicate id', async () => {
    await expect(store.users.create(host)).rejects.toThrow();
  });

  it('sessions.findUser() finds the user of a live session only', async () => {
    await store.sessions.create({ tokenHash: 'hash-live', userId: host.id, createdAt: at('2026-01-01T10:00:00Z'), expiresAt: at('2026-02-01T10:00:00Z') });
    await store.sessions.create({ tokenHash: 'hash-old', userId: host.id, createdAt: at('2025-01-01T10:00:00Z'), expiresAt: at('2025-02-01T10:00:00Z') });
    const now = at('2026-01-15T00:00:00Z');
    expect((await store.sessions.findUser('hash-live', now))?.id).toBe(host.id);
    expect(await store.sessions.findUser('hash-old', now)).toBeNull();
    expect(await store.sessions.findUser('hash-none', now)).toBeNull();
  });

  it('sessions.createWithUser() stores a new user and their session together, or neither', async () => {
    const guest = { id: 'user-guest-0001', displayName: 'Grace', kind: 'guest' as const, createdAt: at('2026-01-10T09:00:00Z') };
    const session = { tokenHash: 'hash-guest', userId: guest.id, createdAt: guest.createdAt, expiresAt: at('2026-02-10T09:00:00Z') };
    await store.sessions.createWithUser(guest, session);
    expect(await store.users.get(guest.id)).toEqual(guest);
    expect(await store.sessions.findUser('hash-guest', at('2026-01-15T00:00:00Z'))).toEqual(guest);
    // A clash on the session (its token hash is taken) stores no user either.
    const second = { ...guest, id: 'user-guest-0002' };
    await expect(store.sessions.createWithUser(second, { ...session, userId: second.id })).rejects.toThrow();
    expect(await store.users.get(second.id)).toBeNull();
    await store.sessions.delete('hash-guest');
  });

  it('sessions.delete() and deleteExpired() remove sessions', async () => {
    const now = at('2026-01-15T00:00:00Z');
    expect(await store.sessions.deleteExpired(now)).toBe(1);
    await store.sessions.delete('hash-live');
    expect(await store.sessions.findUser('hash-live', now)).toBeNull();
  });

  it('rooms.create(), get() and listByStatus() round-trip with the host name, newest first', async () => {
    const first: RoomRecord = { id: 'room-aaaa-0001', title: 'Morning', type: 'open', status: 'live', hostId: host.id, createdAt: at('2026-01-01T08:00:00Z'), endedAt: null };
    const second: RoomRecord = { ...first, id: 'room-aaaa-0002', title: 'Evening', createdAt: at('2026-01-01T20:00:00Z') };
    await store.rooms.create(first);
    await store.rooms.create(second);
    expect(await store.rooms.get(first.id)).toEqual({ ...first, hostName: 'Ada' });
    expect(await store.rooms.get('room-none-0001')).toBeNull();
    const live = await store.rooms.listByStatus('live', 10);
    expect(live.map((r) => r.id)).toEqual([second.id, first.id]);
    expect(await store.rooms.listByStatus('live', 1)).toHaveLength(1);
  });

  it('rooms.end() ends a live room once', async () => {
    const endedAt = at('2026-01-01T21:00:00Z');
    expect(await store.rooms.end('room-aaaa-0001', endedAt)).toBe(true);
    expect(await store.rooms.end('room-aaaa-0001', endedAt)).toBe(false);
    expect(await store.rooms.get('room-aaaa-0001')).toMatchObject({ status: 'ended', endedAt });
    expect((await store.rooms.listByStatus('live', 10)).map((r) => r.id)).toEqual(['room-aaaa-0002']);
  });
});

describe.each(targets)('storage contract, accounts: $name', ({ open }) => {
  let store: SqlStore;
  let drop: () => Promise<void>;
  const joined = at('2026-02-01T10:00:00Z');

  /** A registration with the given names; ids derive from the username. */
  function registration(username: string, extra: Partial<Pick<Registration, 'inviteCode' | 'inviteRequired' | 'admin' | 'bootstrap'>> = {}): Registration {
    const id = `user-${username.toLowerCase()}-0001`;
    return {
      user: { id, displayName: `${username} Person`, kind: 'member', createdAt: joined },
      account: { userId: id, email: `${username.toLowerCase()}@example.org`, passwordHash: 'hash', emailVerifiedAt: null, createdAt: joined },
      profile: { userId: id, username, bio: '', avatarVersion: null, joinedAt: joined },
      inviteCode: null,
      inviteRequired: true,
      admin: false,
      bootstrap: true,
      ...extra,
    };
  }

  beforeAll(async () => {
    ({ store, drop } = await open());
  });
  afterAll(async () => {
    await store.close();
    await drop();
  });

  it('accounts.register() bootstraps: while no admin exists a sign-up needs no code and becomes admin, then codes are required', async () => {
    expect(await store.accounts.count()).toBe(0);
    // An operator-made account (no bootstrap) stays a member and leaves the admin's place free.
    expect(await store.accounts.register(registration('Bot', { inviteRequired: false, bootstrap: false }))).toEqual({ kind: 'created', role: 'member', invitedBy: null });
    expect(await store.accounts.register(registration('Ada'))).toEqual({ kind: 'created', role: 'admin', invitedBy: null });
    expect(await store.accounts.count('admin')).toBe(1);
    expect(await store.accounts.register(registration('Ben'))).toEqual({ kind: 'invite_required' });
    expect(await store.accounts.register(registration('Ben', { inviteRequired: false }))).toEqual({ kind: 'created', role: 'member', invitedBy: null });
    expect(await store.accounts.count()).toBe(3);
    const found = await store.accounts.findByEmail('ada@example.org');
    expect(found?.account).toMatchObject({ userId: 'user-ada-0001', role: 'admin', passwordHash: 'hash', emailVerifiedAt: null });
    expect(found?.user).toMatchObject({ kind: 'member', displayName: 'Ada Person' });
    expect(await store.accounts.findByEmail('nobody@example.org')).toBeNull();
  });

  it('accounts.register() refuses a taken email or username (any case) and writes nothing', async () => {
    const sameEmail = registration('Cy', { inviteRequired: false });
    sameEmail.account.email = 'ada@example.org';
    expect(await store.accounts.register(sameEmail)).toEqual({ kind: 'email_taken' });
    const sameName = registration('ADA', { inviteRequired: false });
    sameName.account.email = 'ada.again@example.org';
    sameName.user.id = sameName.account.userId = sameName.profile.userId = 'user-ada-0002';
    expect(await store.accounts.register(sameName)).toEqual({ kind: 'username_taken' });
    expect(await store.users.get('user-cy-0001')).toBeNull();
  });

  it('invites: quota, redemption once, referral recorded, withdraw frees the quota', async () => {
    const invite = (code: string) => ({ code, inviterId: 'user-ada-0001', email: null, createdAt: joined, redeemedBy: null, redeemedAt: null });
    expect(await store.invites.createWithinQuota(invite('AAAA-BBBB-CCC1'), 2)).toBe(true);
    expect(await store.invites.createWithinQuota({ ...invite('AAAA-BBBB-CCC2'), email: 'dee@example.org' }, 2)).toBe(true);
    expect(await store.invites.createWithinQuota(invite('AAAA-BBBB-CCC3'), 2)).toBe(false);
    expect(await store.invites.createWithinQuota(invite('AAAA-BBBB-CCC3'), null)).toBe(true);
    expect(await store.invites.countByInviter('user-ada-0001')).toBe(3);
    expect((await store.invites.findOpen('AAAA-BBBB-CCC1'))?.inviter).toEqual({ id: 'user-ada-0001', username: 'Ada', displayName: 'Ada Person', avatarVersion: null });

    expect(await store.accounts.register(registration('Dee', { inviteCode: 'AAAA-BBBB-CCC1' }))).toEqual({ kind: 'created', role: 'member', invitedBy: 'user-ada-0001' });
    expect(await store.accounts.register(registration('Eve', { inviteCode: 'AAAA-BBBB-CCC1' }))).toEqual({ kind: 'invite_invalid' });
    expect(await store.accounts.register(registration('Eve', { inviteCode: 'ZZZZ-ZZZZ-ZZZZ' }))).toEqual({ kind: 'invite_invalid' });
    expect(await store.invites.findOpen('AAAA-BBBB-CCC1')).toBeNull();
    expect((await store.profiles.get('user-dee-0001'))?.invitedBy).toBe('user-ada-0001');

    const listed = await store.invites.listByInviter('user-ada-0001');
    expect(listed.map((i) => i.code).sort()).toEqual(['AAAA-BBBB-CCC1', 'AAAA-BBBB-CCC2', 'AAAA-BBBB-CCC3']);
    expect(listed.find((i) => i.code === 'AAAA-BBBB-CCC1')).toMatchObject({ redeemedBy: 'user-dee-0001', redeemedAt: joined, redeemer: { username: 'Dee' } });
    expect(listed.find((i) => i.code === 'AAAA-BBBB-CCC2')).toMatchObject({ email: 'dee@example.org', redeemer: null });

    expect(await store.invites.withdraw('AAAA-BBBB-CCC1', 'user-ada-0001')).toBe(false);
    expect(await store.invites.withdraw('AAAA-BBBB-CCC2', 'user-dee-0001')).toBe(false);
    expect(await store.invites.withdraw('AAAA-BBBB-CCC2', 'user-ada-0001')).toBe(true);
    expect(await store.invites.countByInviter('user-ada-0001')).toBe(2);
  });

  it('follows: add once, lists newest first with cursor pages and the viewer’s relationship, counts on the profile', async () => {
    const t = (minute: number) => new Date(joined.getTime() + minute * 60_000);
    expect(await store.follows.add('user-ben-0001', 'user-ada-0001', t(1))).toBe(true);
    expect(await store.follows.add('user-ben-0001', 'user-ada-0001', t(2))).toBe(false);
    expect(await store.follows.add('user-dee-0001', 'user-ada-0001', t(3))).toBe(true);
    expect(await store.follows.add('user-ada-0001', 'user-ben-0001', t(4))).toBe(true);
    await expect(store.follows.add('user-ada-0001', 'user-ada-0001', t(5))).rejects.toThrow();

    const followers = await store.follows.list({ userId: 'user-ada-0001', direction: 'followers', viewerId: 'user-ada-0001', after: null, limit: 10 });
    expect(followers.map((f) => [f.person.username, f.relationship])).toEqual([
      ['Dee', { youFollow: false, followsYou: true }],
      ['Ben', { youFollow: true, followsYou: true }],
    ]);
    const first = await store.follows.list({ userId: 'user-ada-0001', direction: 'followers', viewerId: null, after: null, limit: 1 });
    expect(first.map((f) => f.person.username)).toEqual(['Dee']);
    expect(first[0]!.relationship).toBeNull();
    const second = await store.follows.list({
      userId: 'user-ada-0001',
      direction: 'followers',
      viewerId: null,
      after: { at: first[0]!.followedAt, userId: first[0]!.person.id },
      limit: 1,
    });
    expect(second.map((f) => f.person.username)).toEqual(['Ben']);
    const following = await store.follows.list({ userId: 'user-ben-0001', direction: 'following', viewerId: 'user-dee-0001', after: null, limit: 10 });
    expect(following.map((f) => [f.person.username, f.relationship])).toEqual([['Ada', { youFollow: true, followsYou: false }]]);

    const ada = await store.profiles.viewByUsername('ADA', 'user-ben-0001');
    expect(ada).toMatchObject({ followerCount: 2, followingCount: 1, relationship: { youFollow: true, followsYou: true }, invitedBy: null });
    const dee = await store.profiles.viewByUserId('user-dee-0001', 'user-dee-0001');
    expect(dee).toMatchObject({ followerCount: 0, followingCount: 1, relationship: null, invitedBy: { username: 'Ada', displayName: 'Ada Person' } });
    expect(await store.profiles.viewByUsername('nobody', null)).toBeNull();

    expect(await store.follows.remove('user-ben-0001', 'user-ada-0001')).toBe(true);
    expect(await store.follows.remove('user-ben-0001', 'user-ada-0001')).toBe(false);
    expect((await store.profiles.viewByUsername('ada', null))?.followerCount).toBe(1);
  });

  it('profiles.update() changes names and bio; a username taken in any case is refused', async () => {
    expect(await store.profiles.update('user-ben-0001', { username: 'Benjamin', bio: 'Hello', displayName: 'Ben B.' })).toBe('updated');
    expect(await store.profiles.viewByUsername('benjamin', null)).toMatchObject({ bio: 'Hello', person: { username: 'Benjamin', displayName: 'Ben B.' } });
    expect(await store.profiles.update('user-ben-0001', { username: 'dEE' })).toBe('username_taken');
    expect((await store.profiles.get('user-ben-0001'))?.username).toBe('Benjamin');
  });

  it('profiles.setAvatar() stores the bytes and the version; null removes both', async () => {
    const bytes = new Uint8Array([82, 73, 70, 70, 0, 1, 2, 255]);
    await store.profiles.setAvatar('user-dee-0001', { userId: 'user-dee-0001', version: 'v1abc', contentType: 'image/webp', bytes, updatedAt: joined });
    const stored = await store.profiles.getAvatar('user-dee-0001');
    expect(stored).toMatchObject({ version: 'v1abc', contentType: 'image/webp' });
    expect(Array.from(stored!.bytes)).toEqual(Array.from(bytes));
    expect((await store.profiles.get('user-dee-0001'))?.avatarVersion).toBe('v1abc');
    await store.profiles.setAvatar('user-dee-0001', { userId: 'user-dee-0001', version: 'v2def', contentType: 'image/webp', bytes, updatedAt: joined });
    expect((await store.profiles.getAvatar('user-dee-0001'))?.version).toBe('v2def');
    await store.profiles.setAvatar('user-dee-0001', null);
    expect(await store.profiles.getAvatar('user-dee-0001')).toBeNull();
    expect((await store.profiles.get('user-dee-0001'))?.avatarVersion).toBeNull();
  });

  it('emailTokens.consume() works once, before expiry, for its purpose only', async () => {
    const token = { tokenHash: 'tok-1', userId: 'user-dee-0001', purpose: 'reset' as const, email: 'dee@example.org', createdAt: joined, expiresAt: at('2026-02-01T11:00:00Z'), usedAt: null };
    await store.emailTokens.create(token);
    await store.emailTokens.create({ ...token, tokenHash: 'tok-2' });
    const before = at('2026-02-01T10:30:00Z');
    expect(await store.emailTokens.consume('tok-1', 'verify', before)).toBeNull();
    expect(await store.emailTokens.consume('tok-1', 'reset', before)).toMatchObject({ userId: 'user-dee-0001', usedAt: before });
    expect(await store.emailTokens.consume('tok-1', 'reset', before)).toBeNull();
    expect(await store.emailTokens.consume('tok-2', 'reset', at('2026-02-01T11:00:01Z'))).toBeNull();
    expect(await store.accounts.markEmailVerified('user-dee-0001', 'other@example.org', before)).toBe(false);
    expect(await store.accounts.markEmailVerified('user-dee-0001', 'dee@example.org', before)).toBe(true);
    expect((await store.accounts.get('user-dee-0001'))?.emailVerifiedAt).toEqual(before);
    await store.accounts.setPassword('user-dee-0001', 'new-hash');
    expect((await store.accounts.get('user-dee-0001'))?.passwordHash).toBe('new-hash');
  });

  it('apiTokens: find the user by hash and record the use; list and delete per owner', async () => {
    const token = { id: 'token-0000-0001', userId: 'user-dee-0001', name: 'Bot', tokenHash: 'api-hash-1', createdAt: joined, lastUsedAt: null };
    await store.apiTokens.create(token);
    const used = at('2026-02-02T00:00:00Z');
    expect((await store.apiTokens.findUser('api-hash-1', used))?.id).toBe('user-dee-0001');
    expect(await store.apiTokens.findUser('api-hash-x', used)).toBeNull();
    expect(await store.apiTokens.listForUser('user-dee-0001')).toEqual([{ ...token, lastUsedAt: used }]);
    expect(await store.apiTokens.delete('token-0000-0001', 'user-ada-0001')).toBe(false);
    expect(await store.apiTokens.delete('token-0000-0001', 'user-dee-0001')).toBe(true);
    expect(await store.apiTokens.findUser('api-hash-1', used)).toBeNull();
  });

  it('sessions.deleteForUser() ends every session of one user only; settings round-trip', async () => {
    const session = (hash: string, userId: string) => ({ tokenHash: hash, userId, createdAt: joined, expiresAt: at('2027-01-01T00:00:00Z') });
    await store.sessions.create(session('s-1', 'user-dee-0001'));
    await store.sessions.create(session('s-2', 'user-dee-0001'));
    await store.sessions.create(session('s-3', 'user-ada-0001'));
    expect(await store.sessions.deleteForUser('user-dee-0001')).toBe(2);
    expect(await store.sessions.findUser('s-3', joined)).not.toBeNull();

    expect(await store.settings.get('invite_only')).toBeNull();
    await store.settings.set('invite_only', 'false');
    await store.settings.set('invite_only', 'true');
    expect(await store.settings.get('invite_only')).toBe('true');
  });
});

describe.each(targets)('storage contract, safety: $name', ({ open }) => {
  let store: SqlStore;
  let drop: () => Promise<void>;
  const t0 = at('2026-03-01T10:00:00Z');
  const t = (minute: number) => new Date(t0.getTime() + minute * 60_000);
  const ids = { ada: 'user-ada-0001', ben: 'user-ben-0001', cy: 'user-cy-0001', guest: 'user-guest-0001' };

  beforeAll(async () => {
    ({ store, drop } = await open());
    for (const name of ['Ada', 'Ben', 'Cy']) {
      const id = `user-${name.toLowerCase()}-0001`;
      await store.accounts.register({
        user: { id, displayName: `${name} Person`, kind: 'member', createdAt: t0 },
        account: { userId: id, email: `${name.toLowerCase()}@example.org`, passwordHash: 'hash', emailVerifiedAt: null, createdAt: t0 },
        profile: { userId: id, username: name, bio: '', avatarVersion: null, joinedAt: t0 },
        inviteCode: null,
        inviteRequired: false,
        admin: false,
        bootstrap: false,
      });
    }
    await store.users.create({ id: ids.guest, displayName: 'Gus', kind: 'guest', createdAt: t0 });
    await store.rooms.create({ id: 'room-safe-0001', title: 'Closed talk', type: 'closed', status: 'live', hostId: ids.ada, createdAt: t0, endedAt: null });
  });
  afterAll(async () => {
    await store.close();
    await drop();
  });

  it('blocks: add once (dropping follows both ways), relations, lookups, list, remove; follow lists hide blocked people', async () => {
    await store.follows.add(ids.ben, ids.ada, t(1));
    await store.follows.add(ids.ada, ids.ben, t(1));
    await store.follows.add(ids.cy, ids.ada, t(2));
    await store.follows.add(ids.cy, ids.ben, t(2));
    expect((await store.follows.followedAmong(ids.cy, [ids.ada, ids.ben, ids.guest])).sort()).toEqual([ids.ada, ids.ben]);
    expect(await store.follows.followedAmong(ids.cy, [])).toEqual([]);

    expect(await store.moderation.blocks.add(ids.ada, ids.ben, t(3))).toBe(true);
    expect(await store.moderation.blocks.add(ids.ada, ids.ben, t(4))).toBe(false);
    await expect(store.moderation.blocks.add(ids.ada, ids.ada, t(4))).rejects.toThrow();
    // The follow edges between the two went, both ways; others stayed.
    expect(await store.follows.followedAmong(ids.ben, [ids.ada])).toEqual([]);
    expect(await store.follows.followedAmong(ids.ada, [ids.ben])).toEqual([]);
    expect((await store.profiles.viewByUserId(ids.ada, null))?.followerCount).toBe(1);

    expect(await store.moderation.blocks.has(ids.ada, ids.ben)).toBe(true);
    expect(await store.moderation.blocks.has(ids.ben, ids.ada)).toBe(false);
    expect(await store.moderation.blocks.between(ids.ben, ids.ada)).toBe(true);
    expect(await store.moderation.blocks.between(ids.ben, ids.cy)).toBe(false);
    const ada = await store.moderation.blocks.relations(ids.ada);
    const ben = await store.moderation.blocks.relations(ids.ben);
    expect([[...ada.blocks], [...ada.blockedBy], [...ben.blocks], [...ben.blockedBy]]).toEqual([[ids.ben], [], [], [ids.ada]]);
    expect(await store.moderation.blocks.blockersAmong(ids.ben, [ids.ada, ids.cy])).toEqual([ids.ada]);
    expect(await store.moderation.blocks.blockedAmong(ids.ada, [ids.ben, ids.cy])).toEqual([ids.ben]);
    expect(await store.moderation.blocks.blockersAmong(ids.ben, [])).toEqual([]);
    expect((await store.moderation.blocks.listBlocked(ids.ada)).map((p) => p.username)).toEqual(['Ben']);

    // Cy follows both; Ben, blocked by Ada, does not see Ada in Cy's list, and Ada does not see Ben.
    const asBen = await store.follows.list({ userId: ids.cy, direction: 'following', viewerId: ids.ben, after: null, limit: 10 });
    const asAda = await store.follows.list({ userId: ids.cy, direction: 'following', viewerId: ids.ada, after: null, limit: 10 });
    const asNobody = await store.follows.list({ userId: ids.cy, direction: 'following', viewerId: null, after: null, limit: 10 });
    expect(asBen.map((e) => e.person.username)).toEqual(['Ben']);
    expect(asAda.map((e) => e.person.username)).toEqual(['Ada']);
    expect(asNobody.map((e) => e.person.username).sort()).toEqual(['Ada', 'Ben']);

    expect(await store.moderation.blocks.remove(ids.ada, ids.ben)).toBe(true);
    expect(await store.moderation.blocks.remove(ids.ada, ids.ben)).toBe(false);
    expect(await store.moderation.blocks.between(ids.ada, ids.ben)).toBe(false);
  });

  it('room access: grant once, list newest first with people, revoke', async () => {
    const room = 'room-safe-0001';
    expect(await store.moderation.access.grant(room, ids.ben, ids.ada, t(1))).toBe(true);
    expect(await store.moderation.access.grant(room, ids.ben, ids.ada, t(2))).toBe(false);
    expect(await store.moderation.access.grant(room, ids.cy, ids.ada, t(3))).toBe(true);
    expect(await store.moderation.access.has(room, ids.ben)).toBe(true);
    expect(await store.moderation.access.has(room, ids.guest)).toBe(false);
    expect((await store.moderation.access.list(room)).map((e) => [e.person.username, e.addedAt])).toEqual([
      ['Cy', t(3)],
      ['Ben', t(1)],
    ]);
    expect(await store.moderation.access.revoke(room, ids.ben)).toBe(true);
    expect(await store.moderation.access.revoke(room, ids.ben)).toBe(false);
    expect(await store.moderation.access.has(room, ids.ben)).toBe(false);
  });

  it('room bans: recorded once, listed per room and per person', async () => {
    const room = 'room-safe-0001';
    await store.moderation.bans.add(room, ids.guest, ids.ada, t(1));
    await store.moderation.bans.add(room, ids.guest, ids.ada, t(2));
    await store.moderation.bans.add(room, ids.cy, ids.ada, t(2));
    expect((await store.moderation.bans.list(room)).sort()).toEqual([ids.cy, ids.guest].sort());
    expect(await store.moderation.bans.roomsAmong(ids.guest, [room, 'room-none-0001'])).toEqual([room]);
    expect(await store.moderation.bans.roomsAmong(ids.ben, [room])).toEqual([]);
  });

  it('suspensions: add once, check, list with who suspended, remove', async () => {
    expect(await store.moderation.suspensions.add({ userId: ids.ben, reason: 'Spam', suspendedBy: ids.ada, suspendedAt: t(5) })).toBe(true);
    expect(await store.moderation.suspensions.add({ userId: ids.ben, reason: 'Again', suspendedBy: ids.ada, suspendedAt: t(6) })).toBe(false);
    expect(await store.moderation.suspensions.isSuspended(ids.ben)).toBe(true);
    expect(await store.moderation.suspensions.isSuspended(ids.cy)).toBe(false);
    expect(await store.moderation.suspensions.list()).toEqual([
      { person: { id: ids.ben, username: 'Ben', displayName: 'Ben Person', avatarVersion: null }, reason: 'Spam', by: { id: ids.ada, username: 'Ada', displayName: 'Ada Person', avatarVersion: null }, at: t(5) },
    ]);
    expect(await store.moderation.suspensions.remove(ids.ben)).toBe(true);
    expect(await store.moderation.suspensions.remove(ids.ben)).toBe(false);
    expect(await store.moderation.suspensions.list()).toEqual([]);
  });

  it('reports: the queue oldest first with people, room and suspension; resolve once; resolved newest first; count per reporter', async () => {
    const base = { reporterId: ids.cy, details: '', status: 'open' as const, resolvedBy: null, resolvedAt: null, resolutionNote: '' };
    await store.moderation.reports.create({ ...base, id: 'report-0000-0001', subjectId: ids.ben, roomId: null, reason: 'spam', createdAt: t(1) });
    await store.moderation.reports.create({ ...base, id: 'report-0000-0002', subjectId: ids.ada, roomId: 'room-safe-0001', reason: 'hate', details: 'Slurs on stage', createdAt: t(2) });
    await expect(store.moderation.reports.create({ ...base, id: 'report-0000-0003', subjectId: ids.ada, roomId: null, reason: 'nonsense' as 'spam', createdAt: t(3) })).rejects.toThrow();
    await store.moderation.suspensions.add({ userId: ids.ben, reason: 'Spam', suspendedBy: ids.ada, suspendedAt: t(2) });

    const queue = await store.moderation.reports.list('open', 10);
    expect(queue.map((r) => r.report.id)).toEqual(['report-0000-0001', 'report-0000-0002']);
    expect(queue[0]).toMatchObject({ reporter: { username: 'Cy' }, subject: { username: 'Ben' }, subjectSuspended: true, room: null, resolver: null });
    expect(queue[1]).toMatchObject({ subject: { username: 'Ada' }, subjectSuspended: false, room: { id: 'room-safe-0001', title: 'Closed talk', status: 'live' } });
    expect(await store.moderation.reports.countByReporterSince(ids.cy, t(2))).toBe(1);
    expect(await store.moderation.reports.countByReporterSince(ids.cy, t(0))).toBe(2);

    expect(await store.moderation.reports.resolve('report-0000-0001', { status: 'actioned', by: ids.ada, at: t(10), note: 'Suspended' })).toBe(true);
    expect(await store.moderation.reports.resolve('report-0000-0001', { status: 'dismissed', by: ids.ada, at: t(11), note: '' })).toBe(false);
    expect(await store.moderation.reports.resolve('report-0000-0002', { status: 'dismissed', by: ids.ada, at: t(12), note: 'Fine' })).toBe(true);
    expect((await store.moderation.reports.list('open', 10)).length).toBe(0);
    const resolved = await store.moderation.reports.list('resolved', 10);
    expect(resolved.map((r) => [r.report.id, r.report.status, r.resolver?.username])).toEqual([
      ['report-0000-0002', 'dismissed', 'Ada'],
      ['report-0000-0001', 'actioned', 'Ada'],
    ]);
    expect(await store.moderation.reports.get('report-0000-0001')).toMatchObject({ report: { resolutionNote: 'Suspended', resolvedAt: t(10) } });
    expect(await store.moderation.reports.get('report-none-0001')).toBeNull();
  });

  it('audit log: append, newest first, per room, cursor pages, guests and unknown people named', async () => {
    const entry = (id: string, minute: number, extra: Partial<{ roomId: string | null; targetId: string | null; action: 'remove' | 'suspend' }>) => ({
      id,
      at: t(minute),
      actorId: ids.ada,
      action: 'remove' as const,
      targetId: ids.guest,
      roomId: 'room-safe-0001',
      reportId: null,
      note: '',
      ...extra,
    });
    await store.moderation.audit.append(entry('audit-0000-0001', 1, {}));
    await store.moderation.audit.append(entry('audit-0000-0002', 2, { roomId: null, targetId: ids.ben, action: 'suspend' }));
    await store.moderation.audit.append(entry('audit-0000-0003', 3, { targetId: 'user-gone-0001' }));

    const all = await store.moderation.audit.list({ roomId: null, after: null, limit: 10 });
    expect(all.map((v) => v.entry.id)).toEqual(['audit-0000-0003', 'audit-0000-0002', 'audit-0000-0001']);
    expect(all[2]).toMatchObject({ actor: { id: ids.ada, displayName: 'Ada Person', username: 'Ada' }, target: { displayName: 'Gus', username: null }, room: { title: 'Closed talk' } });
    expect(all[1]).toMatchObject({ target: { username: 'Ben' }, room: null });
    expect(all[0]!.target).toEqual({ id: 'user-gone-0001', displayName: 'Unknown person', username: null });

    const room = await store.moderation.audit.list({ roomId: 'room-safe-0001', after: null, limit: 1 });
    expect(room.map((v) => v.entry.id)).toEqual(['audit-0000-0003']);
    const next = await store.moderation.audit.list({ roomId: 'room-safe-0001', after: { at: room[0]!.entry.at, id: room[0]!.entry.id }, limit: 5 });
    expect(next.map((v) => v.entry.id)).toEqual(['audit-0000-0001']);
  });
});
