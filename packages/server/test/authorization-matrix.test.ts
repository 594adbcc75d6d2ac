import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientMessage, RoomSnapshot, ServerMessage } from '@parley/protocol';
import { startServer, type RunningServer } from '../src/index';
import { RecordingMediaEngine } from './fake-media';
import { TestSocket } from './ws-client';
import { accountFactory, apiAt, type Member } from './http-helpers';

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

type Actor = 'host' | 'moderator' | 'speaker' | 'listener' | 'removed';
const actors: Actor[] = ['host', 'moderator', 'speaker', 'listener', 'removed'];
/** The people in every test room: the actors, plus one target of each role. */
type Person = Actor | 'targetListener' | 'targetSpeaker' | 'targetModerator';
type Request = ClientMessage extends infer M ? (M extends { id: string } ? Omit<M, 'id'> : never) : never;

interface Room {
  roomId: string;
  ids: Record<Person, string>;
  sockets: Record<Person, TestSocket>;
}

/** The same people (accounts) take part in every case; each case gets a fresh room. */
const accounts = accountFactory(apiAt(() => server.url));
const people: Person[] = ['host', 'moderator', 'speaker', 'listener', 'removed', 'targetListener', 'targetSpeaker', 'targetModerator'];
const members = {} as Record<Person, Member>;
beforeAll(async () => {
  for (const person of people) members[person] = await accounts.member(person);
});

async function ok(socket: TestSocket, request: Request): Promise<void> {
  const reply = await socket.request(request);
  if (reply.type === 'error') throw new Error(`${request.type} failed: ${reply.message}`);
}

/** A room with host, moderator, speaker, listener, a removed person and targets of each role. */
async function setUp(): Promise<Room> {
  const ids = {} as Record<Person, string>;
  const sockets = {} as Record<Person, TestSocket>;
  const cookies = {} as Record<Person, string>;
  for (const person of people) {
    ids[person] = members[person].user.id;
    cookies[person] = members[person].cookie;
  }
  const created = await fetch(`${server.url}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: cookies.host },
    body: JSON.stringify({ title: 'Matrix' }),
  });
  const roomId = ((await created.json()) as { room: { id: string } }).room.id;
  for (const person of people) {
    sockets[person] = await TestSocket.open(server.url, cookies[person]);
    await ok(sockets[person], { type: 'room.join', roomId });
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
    took: (_b, a, r, actor) => find(a, r.ids[actor])?.handRaisedAt != null,
  },
  lowerHand: {
    prepare: async (r, actor) => {
      if (actor === 'listener') await ok(r.sockets.listener, { type: 'stage.raiseHand', roomId: r.roomId });
    },
    request: ({ roomId }) => ({ type: 'stage.lowerHand', roomId }),
    took: (b, a, r, actor) => find(b, r.ids[actor])?.handRaisedAt != null && find(a, r.ids[actor])?.handRaisedAt === null,
  },
  inviteToSpeak: {
    request: ({ roomId, ids }) => ({ type: 'stage.invite', roomId, participantId: ids.targetListener }),
    took: (_b, a, r) => find(a, r.ids.targetListener)?.invitedToSpeak === true,
  },
  acceptInvite: {
    prepare: async (r, actor) => {
      if (actor === 'listener') await ok(r.sockets.host, { type: 'stage.invite', roomId: r.roomId, participantId: r.ids.listener });
    },
    request: ({ roomId }) => ({ type: 'stage.acceptInvite', roomId }),
    took: (_b, a, r, actor) => role(a, r.ids[actor]) === 'speaker' && actor === 'listener',
  },
  declineInvite: {
    prepare: async (r, actor) => {
      if (actor === 'listener') await ok(r.sockets.host, { type: 'stage.invite', roomId: r.roomId, participantId: r.ids.listener });
    },
    request: ({ roomId }) => ({ type: 'stage.declineInvite', roomId }),
    took: (b, a, r, actor) => find(b, r.ids[actor])?.invitedToSpeak === true && find(a, r.ids[actor])?.invitedToSpeak === false,
  },
  moveToAudience: {
    request: ({ roomId, ids }) => ({ type: 'stage.moveToAudience', roomId, participantId: ids.targetSpeaker }),
    took: (_b, a, r) => role(a, r.ids.targetSpeaker) === 'listener',
  },
  stepDown: {
    request: ({ roomId, ids }, actor) => ({ type: 'stage.moveToAudience', roomId, participantId: ids[actor] }),
    took: (b, a, r, actor) => role(b, r.ids[actor]) !== 'listener' && role(a, r.ids[actor]) === 'listener',
  },
  setMuted: {
    request: ({ roomId }) => ({ type: 'stage.setMuted', roomId, muted: true }),
    took: (_b, a, r, actor) => find(a, r.ids[actor])?.muted === true,
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

/** Who may do what (✓) — written out independently of the policy in domain/stage.ts. */
const allowed: Record<keyof typeof cases, Actor[]> = {
  raiseHand: ['listener'],
  lowerHand: ['listener'],
  inviteToSpeak: ['host', 'moderator'],
  acceptInvite: ['listener'],
  declineInvite: ['listener'],
  moveToAudience: ['host', 'moderator'],
  stepDown: ['moderator', 'speaker'],
  setMuted: ['host', 'moderator', 'speaker'],
  muteOther: ['host', 'moderator'],
  muteHost: [],
  remove: ['host', 'moderator'],
  removeModerator: ['host'],
  promoteModerator: ['host'],
  demoteModerator: ['host'],
  endRoom: ['host', 'moderator'],
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
    const reply: ServerMessage = await room.sockets[actor].request(testCase.request(room, actor));
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
