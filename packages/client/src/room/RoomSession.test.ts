import { ParleyError } from '@parley/protocol';
import type { Participant, RoomSnapshot } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger';
import { MediaConnectError, type MediaAdapter, type PublishLeg, type SubscribeLeg } from '../media';
import { ParleyClient } from '../ParleyClient';
import { ScriptedServer, type ScriptedConnection } from '../testing/ScriptedServer';
import type { RoomSession } from './RoomSession';

const roomId = 'room-0001';
const hostId = 'user-host1';
const meId = 'user-me0001';
const otherId = 'user-other1';
const at = '2025-01-01T10:00:00.000Z';

function participant(id: string, role: Participant['role'], displayName = id): Participant {
  return { id, displayName, role, handRaisedAt: null, invitedToSpeak: false, muted: false, joinedAt: at };
}

function snapshot(seq: number, participants: Participant[], you = meId): RoomSnapshot {
  return {
    room: {
      id: roomId,
      title: 'Scripted room',
      type: 'open',
      status: 'live',
      hostId,
      hostName: hostId,
      createdAt: at,
      endedAt: null,
      participantCount: participants.length,
      speakerNames: participants.filter((p) => p.role !== 'listener').map((p) => p.displayName),
    },
    seq,
    participants,
    you,
  };
}

/**
 * A media adapter that records what the session asks of it, so these tests can check the signalling
 * around media; real peers are covered by the integration and media tests.
 */
class RecordingMediaAdapter implements MediaAdapter {
  readonly calls: string[] = [];
  publishMuted: boolean[] = [];
  /** How many of the next legs fail to connect (as a lost DTLS handshake would). */
  failConnects = 0;
  private connect(): Promise<void> {
    if (this.failConnects <= 0) return Promise.resolve();
    this.failConnects -= 1;
    this.calls.push('connect failed');
    return Promise.reject(new MediaConnectError('failed'));
  }
  async publish(negotiate: (offerSdp: string) => Promise<string>): Promise<PublishLeg> {
    this.calls.push('publish');
    const answer = await negotiate('v=0 publish offer from adapter');
    this.calls.push(`answer:${answer}`);
    return {
      setMuted: (muted) => this.publishMuted.push(muted),
      connected: () => this.connect(),
      close: () => this.calls.push('publish closed'),
    };
  }
  async subscribe(offerSdp: string): Promise<SubscribeLeg> {
    this.calls.push(`subscribe:${offerSdp}`);
    return { answerSdp: 'v=0 subscribe answer from adapter', connected: () => this.connect(), close: () => this.calls.push('subscribe closed') };
  }
  close(): void {
    this.calls.push('adapter closed');
  }
}

describe('RoomSession', () => {
  let server: ScriptedServer;
  let client: ParleyClient;
  let media: RecordingMediaAdapter;

  beforeEach(async () => {
    server = await ScriptedServer.start();
    client = new ParleyClient({ baseUrl: server.baseUrl, logger: silentLogger, pingIntervalMs: 0, requestTimeoutMs: 2_000 });
    media = new RecordingMediaAdapter();
  });

  afterEach(async () => {
    client.close();
    await server.close();
  });

  /** Join with the given initial snapshot; returns the session and the server's side of the socket. */
  async function join(initial: RoomSnapshot): Promise<{ session: RoomSession; connection: ScriptedConnection }> {
    const joining = client.joinRoom(roomId, { media });
    const connection = await server.nextConnection();
    const request = await connection.next('room.join');
    expect(request.roomId).toBe(roomId);
    connection.send({ type: 'room.snapshot', id: request.id, snapshot: initial });
    return { session: await joining, connection };
  }

  function event(seq: number, e: unknown): unknown {
    return { type: 'room.event', roomId, seq, event: e };
  }

  it('joinRoom() resolves with the snapshot and knows who I am', async () => {
    const { session } = await join(snapshot(4, [participant(hostId, 'host'), participant(meId, 'listener', 'Me')]));
    expect(session.roomId).toBe(roomId);
    expect(session.state.seq).toBe(4);
    expect(session.me?.displayName).toBe('Me');
    expect(client.roomSession(roomId)).toBe(session);
  });

  it('folds ordered deltas, notifies subscribers and drops duplicates', async () => {
    const { session, connection } = await join(snapshot(0, [participant(hostId, 'host'), participant(meId, 'listener')]));
    const before = session.state;
    let changes = 0;
    session.subscribe(() => changes++);
    connection.send(event(1, { kind: 'handRaised', participantId: meId, at }));
    connection.send(event(2, { kind: 'participantJoined', participant: participant(otherId, 'listener') }));
    // A second seq 2 is a duplicate: dropped, though it would remove the newcomer.
    connection.send(event(2, { kind: 'participantLeft', participantId: otherId }));
    connection.send(event(3, { kind: 'handLowered', participantId: meId }));
    await expect.poll(() => session.state.seq).toBe(3);
    expect(session.me?.handRaisedAt).toBeNull();
    expect(session.state.participants.map((p) => p.id)).toEqual([hostId, meId, otherId]);
    expect(session.state).not.toBe(before);
    expect(before.seq).toBe(0);
    expect(changes).toBe(3);
  });

  it("emits each applied event with its seq, so a UI can tell who did what", async () => {
    const { session, connection } = await join(snapshot(0, [participant(hostId, 'host'), participant(meId, 'listener'), participant(otherId, 'listener')]));
    const seen: unknown[] = [];
    session.on('event', (e, seq) => seen.push([seq, e.kind]));
    connection.send(event(1, { kind: 'participantRemoved', participantId: otherId, by: hostId }));
    await expect.poll(() => seen.length).toBe(1);
    expect(seen).toEqual([[1, 'participantRemoved']]);
    expect(session.state.participants.map((p) => p.id)).toEqual([hostId, meId]);
  });

  it('on a gap sends room.resync, replaces the state, then applies the deltas after it', async () => {
    const { session, connection } = await join(snapshot(0, [participant(hostId, 'host'), participant(meId, 'listener')]));
    connection.send(event(1, { kind: 'handRaised', participantId: meId, at }));
    // seq 2 is lost; 3 arrives.
    connection.send(event(3, { kind: 'participantJoined', participant: participant(otherId, 'listener') }));
    const resync = await connection.next('room.resync');
    expect(resync.roomId).toBe(roomId);
    // Deltas that arrive while the resync is in flight are held, not applied on top of a stale base.
    connection.send(event(4, { kind: 'handRaised', participantId: otherId, at }));
    const fresh = snapshot(3, [participant(hostId, 'host'), { ...participant(meId, 'speaker'), muted: true }, participant(otherId, 'listener')]);
    connection.send({ type: 'room.snapshot', id: resync.id, snapshot: fresh });
    await expect.poll(() => session.state.seq).toBe(4);
    expect(session.me?.role).toBe('speaker');
    expect(session.me?.muted).toBe(true);
    expect(session.state.participants.find((p) => p.id === otherId)?.handRaisedAt).toBe(at);
    expect(connection.received.filter((m) => m.type === 'room.resync')).toHaveLength(1);
  });

  it('replays deltas that arrived before the join snapshot', async () => {
    const joining = client.joinRoom(roomId, { media });
    const connection = await server.nextConnection();
    const request = await connection.next('room.join');
    connection.send(event(5, { kind: 'handRaised', participantId: hostId, at }));
    connection.send(event(6, { kind: 'handLowered', participantId: hostId }));
    connection.send(event(7, { kind: 'participantJoined', participant: participant(otherId, 'listener') }));
    connection.send({ type: 'room.snapshot', id: request.id, snapshot: snapshot(6, [participant(hostId, 'host'), participant(meId, 'listener')]) });
    const session = await joining;
    expect(session.state.seq).toBe(7);
    expect(session.state.participants.map((p) => p.id)).toEqual([hostId, meId, otherId]);
    expect(session.state.participants[0]?.handRaisedAt).toBeNull();
  });

  it('keeps the speaking map from room.speaking', async () => {
    const { session, connection } = await join(snapshot(0, [participant(hostId, 'host'), participant(meId, 'listener')]));
    connection.send({ type: 'room.speaking', roomId, speakers: [{ participantId: hostId, level: -12 }] });
    await expect.poll(() => session.speaking.get(hostId)).toBe(-12);
    const first = session.speaking;
    connection.send({ type: 'room.speaking', roomId, speakers: [] });
    await expect.poll(() => session.speaking.size).toBe(0);
    expect(session.speaking).not.toBe(first);
  });

  it('sends stage commands and rejects with ParleyError when the server refuses', async () => {
    const { session, connection } = await join(snapshot(0, [participant(hostId, 'host'), participant(meId, 'listener')]));
    const raise = session.raiseHand();
    const request = await connection.next('stage.raiseHand');
    connection.send({ type: 'ack', id: request.id });
    await raise;
    const invite = session.inviteToSpeak(otherId);
    const inviteRequest = await connection.next('stage.invite');
    expect(inviteRequest.participantId).toBe(otherId);
    connection.send({ type: 'error', id: inviteRequest.id, code: 'forbidden', message: 'Only hosts invite' });
    await expect(invite).rejects.toBeInstanceOf(ParleyError);
  });

  it('closes on room.closed, once, and refuses commands afterwards', async () => {
    const { session, connection } = await join(snapshot(0, [participant(hostId, 'host'), participant(meId, 'listener')]));
    const reasons: string[] = [];
    session.on('closed', (reason) => reasons.push(reason));
    connection.send(event(1, { kind: 'roomEnded', at }));
    connection.send({ type: 'room.closed', roomId, reason: 'ended' });
    await expect.poll(() => session.closed).toBe('ended');
    await expect(session.raiseHand()).rejects.toMatchObject({ code: 'room_ended' });
    expect(reasons).toEqual(['ended']);
    expect(client.roomSession(roomId)).toBeUndefined();
  });

  it('closes with disconnected when the socket drops', async () => {
    const { session, connection } = await join(snapshot(0, [participant(hostId, 'host'), participant(meId, 'listener')]));
    const disconnected = new Promise((resolve) => client.on('disconnected', resolve));
    connection.terminate();
    await disconnected;
    expect(session.closed).toBe('disconnected');
  });

  it('startListening() asks for the offer, lets the adapter answer, and sends the answer', async () => {
    const { session, connection } = await join(snapshot(0, [participant(hostId, 'host'), participant(meId, 'listener')]));
    connection.autoReply.set('media.subscribe', (m) => ({ type: 'media.offer', id: m.id, sdp: 'v=0 server slot offer' }));
    connection.autoReply.set('media.answer', (m) => ({ type: 'ack', id: m.id }));
    await session.startListening();
    expect(media.calls).toEqual(['subscribe:v=0 server slot offer']);
    const answer = connection.received.find((m) => m.type === 'media.answer');
    expect(answer?.sdp).toBe('v=0 subscribe answer from adapter');
    expect(session.mediaState).toEqual({ publishing: false, listening: true });
    connection.autoReply.set('room.leave', (m) => ({ type: 'ack', id: m.id }));
    await session.leave();
    expect(session.closed).toBe('left');
    expect(media.calls).toContain('subscribe closed');
    // The adapter belongs to the caller: the session closes its legs, not the adapter.
    expect(media.calls).not.toContain('adapter closed');
  });

  it('joinRoom() with listen asks for the offer right behind the join; startListening() answers that offer', async () => {
    const joining = client.joinRoom(roomId, { media, listen: true });
    const connection = await server.nextConnection();
    const join = await connection.next('room.join');
    // Both requests are on the wire before the snapshot is: no round trip between them.
    const subscribe = await connection.next('media.subscribe');
    expect(connection.received.map((m) => m.type)).toEqual(['room.join', 'media.subscribe']);
    connection.send({ type: 'room.snapshot', id: join.id, snapshot: snapshot(0, [participant(hostId, 'host'), participant(meId, 'listener')]) });
    connection.send({ type: 'media.offer', id: subscribe.id, sdp: 'v=0 offer sent with the join' });
    const session = await joining;
    connection.autoReply.set('media.answer', (m) => ({ type: 'ack', id: m.id }));
    await session.startListening();
    expect(media.calls).toEqual(['subscribe:v=0 offer sent with the join']);
    expect(connection.received.filter((m) => m.type === 'media.subscribe')).toHaveLength(1);
    expect(session.mediaState).toEqual({ publishing: false, listening: true });
  });

  it('when the offer asked for with the join is refused (a server that ran it before the join), startListening() asks again', async () => {
    const joining = client.joinRoom(roomId, { media, listen: true });
    const connection = await server.nextConnection();
    const join = await connection.next('room.join');
    const subscribe = await connection.next('media.subscribe');
    connection.send({ type: 'error', id: subscribe.id, code: 'forbidden', message: 'Join the room first.' });
    connection.send({ type: 'room.snapshot', id: join.id, snapshot: snapshot(0, [participant(hostId, 'host'), participant(meId, 'listener')]) });
    const session = await joining;
    connection.autoReply.set('media.subscribe', (m) => ({ type: 'media.offer', id: m.id, sdp: 'v=0 offer asked for again' }));
    connection.autoReply.set('media.answer', (m) => ({ type: 'ack', id: m.id }));
    await session.startListening();
    expect(media.calls).toEqual(['subscribe:v=0 offer asked for again']);
    expect(connection.received.filter((m) => m.type === 'media.subscribe')).toHaveLength(2);
  });

  it('showMoreAudience() asks for those after the listed ones, lists the page once the state reaches its seq, and nothing when the state is past it', async () => {
    const listed = [participant(hostId, 'host'), participant(meId, 'listener')];
    // Two more listeners than listed, both arrived after everyone listed (`audienceThrough`).
    const start = { ...snapshot(5, listed), room: { ...snapshot(5, listed).room, participantCount: 4 }, audienceThrough: at };
    const { session, connection } = await join(start);
    const later = (n: number) => new Date(Date.parse(at) + n).toISOString();
    const more = [
      { ...participant('lis-000001', 'listener', 'Ana'), joinedAt: later(1) },
      { ...participant('lis-000002', 'listener', 'Bo'), joinedAt: later(2) },
    ];
    const page = (seq: number) => (m: { id?: unknown }) => ({ type: 'room.audience', id: m.id, roomId, seq, total: 3, participants: more });
    connection.autoReply.set('room.audience', page(4));
    expect(await session.showMoreAudience()).toBe(0); // as of seq 4: the state is already at 5
    // As of seq 6, whose event has not arrived yet: the page waits for it, then is listed.
    connection.autoReply.set('room.audience', page(6));
    const shown = session.showMoreAudience();
    await expect.poll(() => connection.received.filter((m) => m.type === 'room.audience').length).toBe(2);
    expect(session.state.participants).toHaveLength(2);
    connection.send(event(6, { kind: 'handLowered', participantId: hostId }));
    expect(await shown).toBe(2);
    expect(connection.received.filter((m) => m.type === 'room.audience').map((m) => m.after)).toEqual([at, at]);
    expect(session.state.participants.map((p) => p.displayName)).toEqual([hostId, meId, 'Ana', 'Bo']);
    expect(session.state.room.participantCount).toBe(4);
    // Everyone is listed now: nothing more to ask for.
    expect(session.state.audienceThrough).toBeUndefined();
    expect(await session.showMoreAudience()).toBe(0);
    expect(connection.received.filter((m) => m.type === 'room.audience')).toHaveLength(2);
    // From now on events keep them up to date: Ana leaves.
    connection.send(event(7, { kind: 'participantLeft', participantId: 'lis-000001' }));
    await expect.poll(() => session.state.seq).toBe(7);
    expect(session.state.participants.map((p) => p.displayName)).toEqual([hostId, meId, 'Bo']);
    expect(session.state.room.participantCount).toBe(3);
  });

  it('showMoreAudience() continues after the last listener of the page while others remain unlisted', async () => {
    const listed = [participant(hostId, 'host'), participant(meId, 'listener')];
    const start = { ...snapshot(5, listed), room: { ...snapshot(5, listed).room, participantCount: 5 }, audienceThrough: at };
    const { session, connection } = await join(start);
    const ana = { ...participant('lis-000001', 'listener', 'Ana'), joinedAt: new Date(Date.parse(at) + 1).toISOString() };
    connection.autoReply.set('room.audience', (m: { id?: unknown }) => ({ type: 'room.audience', id: m.id, roomId, seq: 5, total: 3, participants: [ana] }));
    expect(await session.showMoreAudience()).toBe(1);
    expect(session.state.audienceThrough).toBe(ana.joinedAt);
    await session.showMoreAudience();
    expect(connection.received.filter((m) => m.type === 'room.audience').map((m) => m.after)).toEqual([at, ana.joinedAt]);
  });

  it('startListening() negotiates again when the server reports media_failed, and gives up after 3 tries', async () => {
    const { session, connection } = await join(snapshot(0, [participant(hostId, 'host'), participant(meId, 'listener')]));
    let offers = 0;
    connection.autoReply.set('media.subscribe', (m) => ({ type: 'media.offer', id: m.id, sdp: `v=0 offer ${++offers}` }));
    let answers = 0;
    connection.autoReply.set('media.answer', (m) =>
      ++answers === 1 ? { type: 'error', id: m.id, code: 'media_failed', message: 'handshake lost' } : { type: 'ack', id: m.id },
    );
    await session.startListening();
    expect(media.calls).toEqual(['subscribe:v=0 offer 1', 'subscribe closed', 'subscribe:v=0 offer 2']);
    expect(session.mediaState.listening).toBe(true);

    connection.autoReply.set('media.answer', (m) => ({ type: 'error', id: m.id, code: 'media_failed', message: 'still failing' }));
    await expect(session.startListening()).rejects.toMatchObject({ code: 'media_failed' });
    expect(offers).toBe(5);
  });

  it('a leg that does not connect is closed and negotiated afresh; after 3 it is media_failed', async () => {
    const { session, connection } = await join(snapshot(0, [participant(hostId, 'host'), participant(meId, 'speaker')]));
    let offers = 0;
    connection.autoReply.set('media.subscribe', (m) => ({ type: 'media.offer', id: m.id, sdp: `v=0 offer ${++offers}` }));
    connection.autoReply.set('media.answer', (m) => ({ type: 'ack', id: m.id }));
    connection.autoReply.set('media.publish', (m) => ({ type: 'media.answer', id: m.id, sdp: 'v=0 server answer' }));
    media.failConnects = 1;
    await session.startListening();
    expect(media.calls).toEqual(['subscribe:v=0 offer 1', 'connect failed', 'subscribe closed', 'subscribe:v=0 offer 2']);
    expect(session.mediaState.listening).toBe(true);

    media.calls.length = 0;
    media.failConnects = 3;
    await expect(session.startSpeaking()).rejects.toMatchObject({ code: 'media_failed' });
    expect(media.calls.filter((c) => c === 'publish')).toHaveLength(3);
    expect(media.calls.filter((c) => c === 'publish closed')).toHaveLength(3);
    expect(session.mediaState.publishing).toBe(false);
    await session.startSpeaking();
    expect(session.mediaState.publishing).toBe(true);
  });

  it('startSpeaking() is refused off stage and publishes on stage, muted as the participant is', async () => {
    const { session, connection } = await join(snapshot(0, [participant(hostId, 'host'), participant(meId, 'listener')]));
    await expect(session.startSpeaking()).rejects.toMatchObject({ code: 'forbidden' });
    expect(media.calls).toEqual([]);
    connection.send(event(1, { kind: 'roleChanged', participantId: meId, role: 'speaker' }));
    connection.send(event(2, { kind: 'mutedChanged', participantId: meId, muted: true, by: meId }));
    await expect.poll(() => session.me?.muted).toBe(true);
    connection.autoReply.set('media.publish', (m) => ({ type: 'media.answer', id: m.id, sdp: 'v=0 server answer' }));
    await session.startSpeaking();
    expect(connection.received.find((m) => m.type === 'media.publish')?.sdp).toBe('v=0 publish offer from adapter');
    expect(media.calls).toEqual(['publish', 'answer:v=0 server answer']);
    expect(media.publishMuted).toEqual([true]);
    expect(session.mediaState.publishing).toBe(true);
    // Moved to the audience: the publish leg closes by itself.
    connection.send(event(3, { kind: 'roleChanged', participantId: meId, role: 'listener' }));
    await expect.poll(() => session.mediaState.publishing).toBe(false);
    expect(media.calls).toContain('publish closed');
  });

  it('setMuted(true) silences the publish leg before the server answers', async () => {
    const { session, connection } = await join(snapshot(0, [participant(hostId, 'host'), participant(meId, 'speaker')]));
    connection.autoReply.set('media.publish', (m) => ({ type: 'media.answer', id: m.id, sdp: 'v=0 server answer' }));
    await session.startSpeaking();
    const muting = session.setMuted(true);
    const request = await connection.next('stage.setMuted');
    expect(media.publishMuted).toEqual([false, true]);
    connection.send({ type: 'ack', id: request.id });
    await muting;
    const unmuting = session.setMuted(false);
    const unmute = await connection.next('stage.setMuted');
    expect(media.publishMuted).toEqual([false, true]);
    connection.send({ type: 'ack', id: unmute.id });
    await unmuting;
    expect(media.publishMuted).toEqual([false, true, false]);
  });
});
