import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientMessage, RoomSnapshot, ServerMessage } from '@parley/protocol';
import { startServer, type RunningServer } from '../src/index';
import { RecordingMediaEngine } from './fake-media';
import { TestSocket } from './ws-client';
import { accountFactory, apiAt, sessionCookieOf, type Member } from './http-helpers';

/**
 * Every stage action × every kind of actor, against the real server: allowed actions are acknowledged
 * and change the room; the others get a typed `forbidden` error and change nothing. The expectations are
 * written out here by hand (not derived from the policy table) so the test can catch a wrong policy.
 */
let server: RunningServer;
const media = new RecordingMediaEngine();

beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: 'memory://', logLevel: 'silent', sessionRateLimit: 10_000, rateLimitFactor: 100, authRateLimit: 1000 }, { mediaEngine: media });
});
afterAll(async () => {
  await server?.close();
});

/**
 * The actors. Beyond the roles in the room: `removed` (a moderator removed them), `guest` (a display
 * name, no account, listening), `admin` (the server's admin, listening, with the powers of
 * `adminPowers`), `blocked` (a member the host blocks: their socket is open but the room refuses
 * them), `anonymous` (no session: the socket itself is refused) and `suspended` (an account an admin
 * suspended: its session and API token no longer open a socket).
 */
type Actor = 'host' | 'moderator' | 'speaker' | 'listener' | 'removed' | 'guest' | 'admin' | 'blocked' | 'anonymous' | 'suspended';
const actors: Actor[] = ['host', 'moderator', 'speaker', 'listener', 'removed', 'guest', 'admin', 'blocked', 'anonymous', 'suspended'];
/** Actors who cannot open a socket at all: every attempt is `unauthorized` before any action. */
const locked: readonly Actor[] = ['anonymous', 'suspended'];
/** The people with accounts in every test room: the actors, plus one target of each role. */
type Person = Exclude<Actor, 'guest' | 'admin' | 'anonymous' | 'suspended'> | 'targetListener' | 'targetSpeaker' | 'targetModerator';
/** Everyone who holds an open socket in a test room. */
type Present = Person | 'guest' | 'admin';
type Request = ClientMessage extends infer M ? (M extends { id: string } ? Omit<M, 'id'> : never) : never;

interface Room {
  roomId: string;
  ids: Record<Present, string>;
  sockets: Record<Present, TestSocket>;
}

/** The same people take part in every case; each case gets a fresh room. */
const api = apiAt(() => server.url);
const accounts = accountFactory(api);
const people: Person[] = ['host', 'moderator', 'speaker', 'listener', 'removed', 'blocked', 'targetListener', 'targetSpeaker', 'targetModerator'];
const members = {} as Record<Person, Member>;
let admin: Member;
let guest: { cookie: string; id: string };
let suspended: { cookie: string; token: string };
beforeAll(async () => {
  admin = await accounts.admin();
  for (const person of people) members[person] = await accounts.member(person);
  const session = await api('/api/session', { method: 'POST', json: { displayName: 'Guest' } });
  guest = { cookie: sessionCookieOf(session.headers), id: session.body.user.id };
  expect((await api(`/api/users/${members.blocked.username}/block`, { method: 'PUT', cookie: members.host.cookie })).status).toBe(200);
  const account = await accounts.member('suspended');
  const token = (await api('/api/account/tokens', { method: 'POST', cookie: account.cookie, json: { name: 'bot' } })).body.secret as string;
  expect((await api(`/api/admin/users/${account.username}/suspension`, { method: 'PUT', cookie: admin.cookie, json: { reason: 'Matrix' } })).status).toBe(200);
  suspended = { cookie: account.cookie, token };
});

async function ok(socket: TestSocket, request: Request): Promise<void> {
  const reply = await socket.request(request);
  if (reply.type === 'error') throw new Error(`${request.type} failed: ${reply.message}`);
}

/** A room with host, moderator, speaker, listener, a removed person, a guest, an admin, targets of each role, and the blocked person refused at the door. */
async function setUp(): Promise<Room> {
  const ids = { guest: guest.id, admin: admin.user.id } as Record<Present, string>;
  const sockets = {} as Record<Present, TestSocket>;
  const cookies = { guest: guest.cookie, admin: admin.cookie } as Record<Present, string>;
  for (const person of people) {
    ids[person] = members[person].user.id;
    cookies[person] = members[person].cookie;
  }
  const created = await api('/api/rooms', { method: 'POST', cookie: cookies.host, json: { title: 'Matrix' } });
  const roomId = created.body.room.id as string;
  for (const person of [...people, 'guest', 'admin'] as const) {
    sockets[person] = await TestSocket.open(server.url, cookies[person]);
    if (person === 'blocked') {
      expect(await sockets.blocked.request({ type: 'room.join', roomId })).toMatchObject({ type: 'error', code: 'forbidden' });
    } else {
      await ok(sockets[person], { type: 'room.join', roomId });
    }
  }
  const host = sockets.host;
  for (const person of ['moderator', 'speaker', 'targetSpeaker', 'targetModerator'] as const) {
    await ok(host, { type: 'stage.invite', roomId, participantId: ids[person] });
    await ok(sockets[person], { type: 'stage.acceptInvite', roomId });
  }
  await ok(host, { type: 'stage.setModerator', roomId, participantId: ids.moderator, moderator: true });
  await ok(host, { type: 'stage.setModerator', roomId, participantId: ids.targetModerator, moderator: true });
  await ok(host, { type: 'stage.remove', roomId, participantId: ids.removed });
  return { roomId, ids, sockets };
}

/** Each action: how to attempt it as `actor`, and how to tell that it took effect. */
interface Case {
  /** Put the room in the state the action needs (e.g. an invitation to accept). */
  prepare?: (room: Room, actor: Actor) => Promise<void>;
  request: (room: Room, actor: Actor) => Request;
  took: (before: RoomSnapshot, after: RoomSnapshot, room: Room, actor: Actor) => boolean;
}

const role = (s: RoomSnapshot, id: string) => s.participants.find((p) => p.id === id)?.role;
const find = (s: RoomSnapshot, id: string) => s.participants.find((p) => p.id === id);

const cases: Record<string, Case> = {
  raiseHand: {
    request: ({ roomId }) => ({ type: 'stage.raiseHand', roomId }),
    took: (_b, a, r, actor) => find(a, r.ids[actor as Present])?.handRaisedAt != null,
  },
  lowerHand: {
    prepare: async (r, actor) => {
      if (actor === 'listener' || actor === 'admin') await ok(r.sockets[actor], { type: 'stage.raiseHand', roomId: r.roomId });
    },
    request: ({ roomId }) => ({ type: 'stage.lowerHand', roomId }),
    took: (b, a, r, actor) => find(b, r.ids[actor as Present])?.handRaisedAt != null && find(a, r.ids[actor as Present])?.handRaisedAt === null,
  },
  inviteToSpeak: {
    request: ({ roomId, ids }) => ({ type: 'stage.invite', roomId, participantId: ids.targetListener }),
    took: (_b, a, r) => find(a, r.ids.targetListener)?.invitedToSpeak === true,
  },
  acceptInvite: {
    prepare: async (r, actor) => {
      if (actor === 'listener' || actor === 'admin') await ok(r.sockets.host, { type: 'stage.invite', roomId: r.roomId, participantId: r.ids[actor] });
    },
    request: ({ roomId }) => ({ type: 'stage.acceptInvite', roomId }),
    took: (b, a, r, actor) => role(b, r.ids[actor as Present]) === 'listener' && role(a, r.ids[actor as Present]) === 'speaker',
  },
  declineInvite: {
    prepare: async (r, actor) => {
      if (actor === 'listener' || actor === 'admin') await ok(r.sockets.host, { type: 'stage.invite', roomId: r.roomId, participantId: r.ids[actor] });
    },
    request: ({ roomId }) => ({ type: 'stage.declineInvite', roomId }),
    took: (b, a, r, actor) => find(b, r.ids[actor as Present])?.invitedToSpeak === true && find(a, r.ids[actor as Present])?.invitedToSpeak === false,
  },
  moveToAudience: {
    request: ({ roomId, ids }) => ({ type: 'stage.moveToAudience', roomId, participantId: ids.targetSpeaker }),
    took: (_b, a, r) => role(a, r.ids.targetSpeaker) === 'listener',
  },
  stepDown: {
    request: ({ roomId, ids }, actor) => ({ type: 'stage.moveToAudience', roomId, participantId: ids[actor as Present] }),
    took: (b, a, r, actor) => role(b, r.ids[actor as Present]) !== 'listener' && role(a, r.ids[actor as Present]) === 'listener',
  },
  setMuted: {
    request: ({ roomId }) => ({ type: 'stage.setMuted', roomId, muted: true }),
    took: (_b, a, r, actor) => find(a, r.ids[actor as Present])?.muted === true,
  },
  muteOther: {
    request: ({ roomId, ids }) => ({ type: 'stage.mute', roomId, participantId: ids.targetSpeaker }),
    took: (_b, a, r) => find(a, r.ids.targetSpeaker)?.muted === true,
  },
  muteHost: {
    request: ({ roomId, ids }) => ({ type: 'stage.mute', roomId, participantId: ids.host }),
    took: (_b, a, r) => find(a, r.ids.host)?.muted === true,
  },
  remove: {
    request: ({ roomId, ids }) => ({ type: 'stage.remove', roomId, participantId: ids.targetListener }),
    took: (_b, a, r) => find(a, r.ids.targetListener) === undefined,
  },
  removeHost: {
    request: ({ roomId, ids }) => ({ type: 'stage.remove', roomId, participantId: ids.host }),
    took: (_b, a, r) => find(a, r.ids.host) === undefined,
  },
  removeModerator: {
    request: ({ roomId, ids }) => ({ type: 'stage.remove', roomId, participantId: ids.targetModerator }),
    took: (_b, a, r) => find(a, r.ids.targetModerator) === undefined,
  },
  promoteModerator: {
    request: ({ roomId, ids }) => ({ type: 'stage.setModerator', roomId, participantId: ids.targetSpeaker, moderator: true }),
    took: (_b, a, r) => role(a, r.ids.targetSpeaker) === 'moderator',
  },
  demoteModerator: {
    request: ({ roomId, ids }) => ({ type: 'stage.setModerator', roomId, participantId: ids.targetModerator, moderator: false }),
    took: (_b, a, r) => role(a, r.ids.targetModerator) === 'speaker',
  },
  endRoom: {
    request: ({ roomId }) => ({ type: 'room.end', roomId }),
    took: (_b, a) => a.room.status === 'ended',
  },
};

/**
 * Who may do what (✓) — written out independently of the policy in domain/stage.ts. The admin listens
 * (so takes part in the hand queue and invitations like any member listener) and moderates any room:
 * invites, moves to the audience, mutes others, removes anyone (the host too) and ends the room.
 */
const allowed: Record<keyof typeof cases, Actor[]> = {
  raiseHand: ['listener', 'admin'],
  lowerHand: ['listener', 'admin'],
  inviteToSpeak: ['host', 'moderator', 'admin'],
  acceptInvite: ['listener', 'admin'],
  declineInvite: ['listener', 'admin'],
  moveToAudience: ['host', 'moderator', 'admin'],
  stepDown: ['moderator', 'speaker'],
  setMuted: ['host', 'moderator', 'speaker'],
  muteOther: ['host', 'moderator', 'admin'],
  muteHost: [],
  remove: ['host', 'moderator', 'admin'],
  removeHost: ['admin'],
  removeModerator: ['host', 'admin'],
  promoteModerator: ['host'],
  demoteModerator: ['host'],
  endRoom: ['host', 'moderator', 'admin'],
};

/** The room as an observer (the target listener, who stays in every case but `remove`) sees it. */
async function observe(room: Room): Promise<RoomSnapshot> {
  const snapshot = await fetchSnapshot(room.sockets.targetSpeaker, room.roomId);
  return snapshot ?? { ...(await fetchSnapshot(room.sockets.targetModerator, room.roomId))! };
}

async function fetchSnapshot(socket: TestSocket, roomId: string): Promise<RoomSnapshot | null> {
  const reply = await socket.request({ type: 'room.resync', roomId });
  return reply.type === 'room.snapshot' ? reply.snapshot : null;
}

const matrix = Object.keys(cases).flatMap((action) => actors.map((actor) => ({ action, actor, allow: allowed[action]!.includes(actor) })));

describe('authorization matrix: every stage action × every actor', () => {
  it.each(matrix)('$action by $actor → $allow', async ({ action, actor, allow }) => {
    const room = await setUp();
    const testCase = cases[action]!;
    await testCase.prepare?.(room, actor);
    const before = await observe(room);
    if (locked.includes(actor)) {
      // No working session: the socket is refused (401) before any action can be sent, and the API
      // answers a typed `unauthorized` — for the suspended account's cookie and API token alike.
      const credentials = actor === 'suspended' ? [{ cookie: suspended.cookie }, { token: suspended.token }] : [{}];
      for (const { cookie, token } of credentials as { cookie?: string; token?: string }[]) {
        await expect(TestSocket.open(server.url, cookie, token ? { authorization: `Bearer ${token}` } : {})).rejects.toThrow(/401/);
        expect((await api('/api/session', { cookie, token })).body).toMatchObject({ error: { code: 'unauthorized' } });
      }
      expect(allow).toBe(false);
      expect(await observe(room)).toEqual(before);
      for (const socket of Object.values(room.sockets)) socket.close();
      return;
    }
    const reply: ServerMessage = await room.sockets[actor as Present].request(testCase.request(room, actor));
    // The room has ended only if endRoom was allowed; then everybody got room.closed.
    const after: RoomSnapshot =
      action === 'endRoom' && allow ? { ...before, room: { ...before.room, status: 'ended' } } : await observe(room);
    if (allow) {
      expect(reply).toMatchObject({ type: 'ack' });
      expect(testCase.took(before, after, room, actor)).toBe(true);
      if (action === 'endRoom') {
        expect(await room.sockets.targetListener.waitFor((m) => m.type === 'room.closed' && m.roomId === room.roomId)).toMatchObject({ reason: 'ended' });
      }
    } else {
      expect(reply).toMatchObject({ type: 'error', code: 'forbidden' });
      const { seq: _s1, ...restBefore } = before;
      const { seq: _s2, ...restAfter } = after;
      expect(restAfter).toEqual(restBefore);
      expect(after.seq).toBe(before.seq);
    }
    for (const socket of Object.values(room.sockets)) socket.close();
  });

  it('a removed person cannot rejoin, and anyone without a session cannot open the socket', async () => {
    const room = await setUp();
    expect(await room.sockets.removed.request({ type: 'room.join', roomId: room.roomId })).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(room.sockets.removed.received.some((m) => m.type === 'room.closed' && m.reason === 'removed')).toBe(true);
    expect(media.rooms.get(room.roomId)!.calls).toContain(`remove ${room.ids.removed}`);
    await expect(TestSocket.open(server.url, undefined)).rejects.toThrow(/401/);
    for (const socket of Object.values(room.sockets)) socket.close();
  });
});
