import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRoomEvent, AUDIENCE_PAGE_SIZE, isNotable, type RoomSnapshot } from '@parley/protocol';
import { startServer, type RunningServer } from '../src/index';
import { RecordingMediaEngine } from './fake-media';
import { TestSocket } from './ws-client';
import { accountFactory, apiAt } from './http-helpers';

let server: RunningServer;
const media = new RecordingMediaEngine();

beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: 'memory://', logLevel: 'silent', authRateLimit: 1000 }, { mediaEngine: media });
});
afterAll(async () => {
  await server?.close();
});

async function api(path: string, init: RequestInit & { cookie?: string } = {}) {
  const headers: Record<string, string> = { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.cookie ? { cookie: init.cookie } : {}) };
  const response = await fetch(`${server.url}${path}`, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

/** Hosting and speaking need an account: members are invited by the server's first account. */
const accounts = accountFactory(apiAt(() => server.url));
const member = (displayName: string) => accounts.member(displayName);

async function guest(displayName: string) {
  const res = await api('/api/session', { method: 'POST', body: JSON.stringify({ displayName }) });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return { cookie, user: res.body.user as { id: string; displayName: string } };
}

describe('shutdown', () => {
  it('close() tells connected clients the server is going away (1001) and closes the database', async () => {
    const own = await startServer({ port: 0, host: '127.0.0.1', dataDir: 'memory://', logLevel: 'silent' }, { mediaEngine: new RecordingMediaEngine() });
    const res = await fetch(`${own.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ displayName: 'Zoe' }) });
    const socket = await TestSocket.open(own.url, res.headers.get('set-cookie')!.split(';')[0]!);
    const closed = new Promise<number>((resolve) => socket.ws.once('close', (code) => resolve(code)));
    await own.close();
    expect(await closed).toBe(1001);
    await expect(fetch(`${own.url}/api/health`)).rejects.toThrow();
  });
});

describe('HTTP API', () => {
  it('GET /api/health answers 200 with JSON', async () => {
    const res = await api('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok' });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('POST /api/session sets an HttpOnly SameSite cookie that identifies the guest', async () => {
    const res = await api('/api/session', { method: 'POST', body: JSON.stringify({ displayName: '  Ada  ' }) });
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/parley_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    const me = await api('/api/session', { cookie: setCookie.split(';')[0] });
    expect(me.body.user).toMatchObject({ displayName: 'Ada', kind: 'guest' });
    expect((await api('/api/session')).status).toBe(401);
  });

  it('DELETE /api/session ends the session at once', async () => {
    const { cookie } = await guest('Bo');
    expect((await api('/api/session', { method: 'DELETE', cookie })).status).toBe(204);
    expect((await api('/api/session', { cookie })).status).toBe(401);
  });

  it('rejects bad bodies with typed errors that list the problems', async () => {
    const empty = await api('/api/session', { method: 'POST', body: JSON.stringify({ displayName: '' }) });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('invalid_message');
    expect(empty.body.error.issues[0]).toContain('displayName');
    const broken = await api('/api/session', { method: 'POST', body: '{"displayName":' });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('invalid_message');
  });

  it('refuses cross-origin writes (CSRF) and room creation without a session', async () => {
    const cross = await api('/api/session', { method: 'POST', body: JSON.stringify({ displayName: 'Eve' }), headers: { origin: 'https://evil.example' } });
    expect(cross.status).toBe(403);
    expect(cross.body.error.code).toBe('forbidden');
    const anonymous = await api('/api/rooms', { method: 'POST', body: JSON.stringify({ title: 'x' }) });
    expect(anonymous.status).toBe(401);
  });

  it('POST /api/rooms opens a live room listed in GET /api/rooms; unknown rooms are 404', async () => {
    const { cookie, user } = await member('Host');
    const created = await api('/api/rooms', { method: 'POST', cookie, body: JSON.stringify({ title: 'Morning show' }) });
    expect(created.status).toBe(201);
    expect(created.body.room).toMatchObject({ title: 'Morning show', status: 'live', hostId: user.id, hostName: 'Host' });
    expect(created.body.room.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const list = await api('/api/rooms');
    expect(list.body.rooms.map((r: { id: string }) => r.id)).toContain(created.body.room.id);
    expect((await api(`/api/rooms/${created.body.room.id}`)).body.room.title).toBe('Morning show');
    expect((await api('/api/rooms/doesnotexist1')).status).toBe(404);
    expect((await api('/api/rooms/bad%20id')).status).toBe(404);
  });

  it('GET /api/openapi.json documents the API', async () => {
    const res = await api('/api/openapi.json');
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toContain('/api/rooms');
  });
});

describe('WebSocket signalling', () => {
  async function roomWithHost() {
    const host = await member('Hana');
    const created = await api('/api/rooms', { method: 'POST', cookie: host.cookie, body: JSON.stringify({ title: 'Stage test' }) });
    const roomId = created.body.room.id as string;
    const hostSocket = await TestSocket.open(server.url, host.cookie);
    const joined = await hostSocket.request({ type: 'room.join', roomId });
    return { host, roomId, hostSocket, joined };
  }

  it('refuses a socket without a session and one from another origin', async () => {
    await expect(TestSocket.open(server.url, undefined)).rejects.toThrow(/401/);
    const { cookie } = await guest('Mallory');
    await expect(TestSocket.open(server.url, cookie, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
  });

  it('a malformed message gets a typed error and the socket survives', async () => {
    const { hostSocket } = await roomWithHost();
    hostSocket.sendRaw('not json');
    expect(await hostSocket.waitFor((m) => m.type === 'error' && m.id === null)).toMatchObject({ code: 'invalid_message' });
    hostSocket.sendRaw(JSON.stringify({ type: 'stage.raiseHand', id: 'x1' }));
    expect(await hostSocket.waitFor((m) => m.type === 'error' && m.id === 'x1')).toMatchObject({ code: 'invalid_message' });
    hostSocket.sendRaw(JSON.stringify({ type: 'no.such', id: 'x2' }));
    expect(await hostSocket.waitFor((m) => m.type === 'error' && m.id === 'x2')).toMatchObject({ code: 'invalid_message' });
    expect(await hostSocket.request({ type: 'ping' })).toMatchObject({ type: 'ack' });
    hostSocket.close();
  });

  it('runs the stage: join, hand, invite, accept, mute, move to audience, end — with ordered deltas', async () => {
    const { roomId, hostSocket, joined } = await roomWithHost();
    expect(joined.type).toBe('room.snapshot');
    const listener = await member('Lee');
    const lSocket = await TestSocket.open(server.url, listener.cookie);
    const lJoin = await lSocket.request({ type: 'room.join', roomId });
    if (lJoin.type !== 'room.snapshot') throw new Error('no snapshot');
    expect(lJoin.snapshot.participants.map((p) => p.role)).toEqual(['host', 'listener']);
    expect(lJoin.snapshot.you).toBe(listener.user.id);

    // A listener may not publish: refused before the SFU sees the offer.
    const forged = await lSocket.request({ type: 'media.publish', roomId, sdp: 'v=0\r\nforged offer' });
    expect(forged).toMatchObject({ type: 'error', code: 'forbidden' });
    // Nor run the stage.
    expect(await lSocket.request({ type: 'stage.invite', roomId, participantId: listener.user.id })).toMatchObject({ code: 'forbidden' });

    expect(await lSocket.request({ type: 'stage.raiseHand', roomId })).toMatchObject({ type: 'ack' });
    await hostSocket.waitFor((m) => m.type === 'room.event' && m.event.kind === 'handRaised');
    await hostSocket.request({ type: 'stage.invite', roomId, participantId: listener.user.id });
    await lSocket.waitFor((m) => m.type === 'room.event' && m.event.kind === 'invitedToSpeak');
    await lSocket.request({ type: 'stage.acceptInvite', roomId });
    const mediaRoom = media.rooms.get(roomId)!;
    expect(mediaRoom.allowed.get(listener.user.id)).toBe(true);
    expect(await lSocket.request({ type: 'media.publish', roomId, sdp: 'v=0\r\nspeaker offer' })).toMatchObject({ type: 'media.answer' });

    await lSocket.request({ type: 'stage.setMuted', roomId, muted: true });
    expect(mediaRoom.allowed.get(listener.user.id)).toBe(false);
    await lSocket.request({ type: 'stage.setMuted', roomId, muted: false });
    expect(mediaRoom.allowed.get(listener.user.id)).toBe(true);
    await hostSocket.request({ type: 'stage.moveToAudience', roomId, participantId: listener.user.id });
    expect(mediaRoom.allowed.get(listener.user.id)).toBe(false);
    expect(mediaRoom.calls).toContain(`closePublisher ${listener.user.id}`);

    // The listener's folded state equals a fresh snapshot; sequence numbers have no gaps.
    const resync = await lSocket.request({ type: 'room.resync', roomId });
    if (resync.type !== 'room.snapshot') throw new Error('no snapshot');
    let folded: RoomSnapshot = lJoin.snapshot;
    const deltas = lSocket.events;
    deltas.forEach((d, i) => expect(d.seq).toBe(lJoin.snapshot.seq + i + 1));
    for (const d of deltas) folded = applyRoomEvent(folded, d.seq, d.event);
    expect(folded).toEqual(resync.snapshot);

    expect(await lSocket.request({ type: 'room.end', roomId })).toMatchObject({ code: 'forbidden' });
    await hostSocket.request({ type: 'room.end', roomId });
    expect(await lSocket.waitFor((m) => m.type === 'room.closed')).toMatchObject({ reason: 'ended' });
    expect(mediaRoom.closed).toBe(true);
    expect((await api(`/api/rooms/${roomId}`)).body.room.status).toBe('ended');
    expect(await lSocket.request({ type: 'room.join', roomId })).toMatchObject({ code: 'room_ended' });
    hostSocket.close();
    lSocket.close();
  });

  it('leaving (or dropping the socket) removes the participant and their media', async () => {
    const { roomId, hostSocket } = await roomWithHost();
    const listener = await guest('Ola');
    const lSocket = await TestSocket.open(server.url, listener.cookie);
    await lSocket.request({ type: 'room.join', roomId });
    lSocket.ws.terminate();
    const left = await hostSocket.waitForEvent((e) => e.event.kind === 'participantLeft');
    expect(left).toMatchObject({ event: { participantId: listener.user.id } });
    expect(media.rooms.get(roomId)!.calls).toContain(`remove ${listener.user.id}`);
    hostSocket.close();
  });

  it('a burst of arrivals reaches everyone as few room.events frames; every state still folds to the snapshot', async () => {
    // A server of its own whose audience frames wait 2 s: the whole burst surely falls in one window.
    const own = await startServer({ port: 0, host: '127.0.0.1', dataDir: 'memory://', logLevel: 'silent', audienceBatchMs: 2000 }, { mediaEngine: new RecordingMediaEngine() });
    const ownApi = apiAt(() => own.url);
    const host = await accountFactory(ownApi).member('Hana');
    const created = await ownApi('/api/rooms', { method: 'POST', cookie: host.cookie, json: { title: 'Burst' } });
    const roomId = created.body.room.id as string;
    const hostSocket = await TestSocket.open(own.url, host.cookie);
    const joined = await hostSocket.request({ type: 'room.join', roomId });
    if (joined.type !== 'room.snapshot') throw new Error('no snapshot');
    const guests = await Promise.all(
      ['Ana', 'Bo', 'Cy', 'Di', 'Ed', 'Flo'].map(async (displayName) => {
        const res = await ownApi('/api/session', { method: 'POST', json: { displayName } });
        return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, user: res.body.user as { id: string } };
      }),
    );
    const sockets = await Promise.all(guests.map((g) => TestSocket.open(own.url, g.cookie)));
    const snapshots = await Promise.all(sockets.map((s) => s.request({ type: 'room.join', roomId })));
    // Browsing the audience does not hurry the waiting events out: the page is as of the arrivals the
    // host has not been sent yet.
    const page = await hostSocket.request({ type: 'room.audience', roomId });
    expect(page).toMatchObject({ type: 'room.audience', seq: joined.snapshot.seq + 6, total: 6 });
    expect(hostSocket.events).toEqual([]);
    sockets[0]!.ws.terminate();
    // The host hears the six arrivals and the departure in order, in fewer frames than events.
    await hostSocket.waitForEvent((e) => e.event.kind === 'participantLeft' && e.event.participantId === guests[0]!.user.id);
    const frames = hostSocket.received.filter((m) => m.type === 'room.event' || m.type === 'room.events');
    expect(hostSocket.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => joined.snapshot.seq + i));
    expect(frames.map((m) => m.type)).toEqual(['room.events']);
    // Whoever joined during the burst gets only what their snapshot lacks: no event twice, no gap.
    await hostSocket.request({ type: 'ping' });
    for (const [i, socket] of sockets.entries()) {
      if (i === 0) continue;
      const snapshot = snapshots[i]!;
      if (snapshot.type !== 'room.snapshot') throw new Error('no snapshot');
      await socket.waitForEvent((e) => e.event.kind === 'participantLeft');
      const seqs = socket.events.map((e) => e.seq);
      expect(seqs).toEqual(seqs.map((_, k) => snapshot.snapshot.seq + k + 1));
      let folded: RoomSnapshot = snapshot.snapshot;
      for (const e of socket.events) folded = applyRoomEvent(folded, e.seq, e.event);
      const resync = await socket.request({ type: 'room.resync', roomId });
      if (resync.type !== 'room.snapshot') throw new Error('no snapshot');
      expect(folded).toEqual(resync.snapshot);
    }
    for (const socket of sockets) socket.close();
    hostSocket.close();
    await own.close();
  });

  it('a room larger than an audience page: snapshots list a page and count everyone; a raised hand brings its listener', async () => {
    const own = await startServer(
      { port: 0, host: '127.0.0.1', dataDir: 'memory://', logLevel: 'silent', audienceBatchMs: 0, sessionRateLimit: 1000, authRateLimit: 1000, rateLimitFactor: 100 },
      { mediaEngine: new RecordingMediaEngine() },
    );
    const ownApi = apiAt(() => own.url);
    const ownAccounts = accountFactory(ownApi);
    const host = await ownAccounts.member('Hana');
    const late = await ownAccounts.member('Latecomer');
    const created = await ownApi('/api/rooms', { method: 'POST', cookie: host.cookie, json: { title: 'Crowd' } });
    const roomId = created.body.room.id as string;
    const hostSocket = await TestSocket.open(own.url, host.cookie);
    const hostJoined = await hostSocket.request({ type: 'room.join', roomId });
    if (hostJoined.type !== 'room.snapshot') throw new Error('no snapshot');
    const crowd = AUDIENCE_PAGE_SIZE + 5;
    const guests = await Promise.all(
      Array.from({ length: crowd }, async (_, i) => {
        const res = await ownApi('/api/session', { method: 'POST', json: { displayName: `Guest ${i}` } });
        const socket = await TestSocket.open(own.url, res.headers.get('set-cookie')!.split(';')[0]!);
        return { id: (res.body.user as { id: string }).id, socket };
      }),
    );
    // One at a time, so the audience's order is known.
    for (const { socket } of guests) await socket.request({ type: 'room.join', roomId });
    const sockets = guests.map((g) => g.socket);
    const ids = guests.map((g) => g.id);
    const lateSocket = await TestSocket.open(own.url, late.cookie);
    const lateJoined = await lateSocket.request({ type: 'room.join', roomId });
    if (lateJoined.type !== 'room.snapshot') throw new Error('no snapshot');
    // The latecomer sees the stage, the first page of the audience and themselves; the count is everyone.
    const { participants, room } = lateJoined.snapshot;
    expect(room.participantCount).toBe(crowd + 2);
    expect(participants).toHaveLength(1 + AUDIENCE_PAGE_SIZE + 1);
    expect(participants.map((p) => p.displayName)).toEqual(['Hana', ...Array.from({ length: AUDIENCE_PAGE_SIZE }, (_, i) => `Guest ${i}`), 'Latecomer']);

    // The host, who folded every arrival, lists a page too; the latecomer's raised hand brings them in.
    await lateSocket.request({ type: 'stage.raiseHand', roomId });
    const raised = await hostSocket.waitForEvent((e) => e.event.kind === 'handRaised');
    expect(raised.event).toMatchObject({ participant: { displayName: 'Latecomer', role: 'listener' } });
    // One listed listener and one beyond the page leave.
    sockets[0]!.close();
    sockets[crowd - 1]!.close();
    for (const id of [ids[0], ids[crowd - 1]]) await hostSocket.waitForEvent((e) => e.event.kind === 'participantLeft' && e.event.participantId === id);
    let folded: RoomSnapshot = hostJoined.snapshot;
    for (const e of hostSocket.events) folded = applyRoomEvent(folded, e.seq, e.event);
    const resync = await hostSocket.request({ type: 'room.resync', roomId });
    if (resync.type !== 'room.snapshot') throw new Error('no snapshot');
    const notable = (s: RoomSnapshot) => s.participants.filter(isNotable).map((p) => p.displayName);
    expect(notable(folded)).toEqual(['Hana', 'Latecomer']);
    expect(notable(folded)).toEqual(notable(resync.snapshot));
    expect(folded.room).toEqual(resync.snapshot.room);
    expect(folded.room.participantCount).toBe(crowd); // host + latecomer + the crowd − 2
    // The host's page lost a listener who left; a fresh snapshot fills the page from later arrivals.
    expect(folded.participants.length).toBe(1 + AUDIENCE_PAGE_SIZE - 1 + 1);
    expect(resync.snapshot.participants.length).toBe(1 + AUDIENCE_PAGE_SIZE + 1);
    // The host's fold says up to whom everyone is listed: Guest 99, the page's last; a newcomer now is
    // only counted (someone before them is not listed).
    expect(folded.audienceThrough).toBe(folded.participants.find((p) => p.displayName === `Guest ${AUDIENCE_PAGE_SIZE - 1}`)!.joinedAt);
    expect(lateJoined.snapshot.audienceThrough).toBe(folded.audienceThrough);
    // Browsing on: everyone who came after, as of the last event the host was sent.
    const more = await hostSocket.request({ type: 'room.audience', roomId, after: folded.audienceThrough });
    if (more.type !== 'room.audience') throw new Error('no audience page');
    expect(more).toMatchObject({ seq: resync.snapshot.seq, total: crowd - 2 });
    expect(more.participants.map((p) => p.displayName)).toEqual([AUDIENCE_PAGE_SIZE, AUDIENCE_PAGE_SIZE + 1, AUDIENCE_PAGE_SIZE + 2, AUDIENCE_PAGE_SIZE + 3].map((i) => `Guest ${i}`));
    // Only those in the room may browse its audience.
    const visitor = await ownApi('/api/session', { method: 'POST', json: { displayName: 'Visitor' } });
    const outsider = await TestSocket.open(own.url, visitor.headers.get('set-cookie')!.split(';')[0]!);
    expect(await outsider.request({ type: 'room.audience', roomId })).toMatchObject({ type: 'error', code: 'forbidden' });
    outsider.close();
    for (const socket of [...sockets, lateSocket, hostSocket]) socket.close();
    await own.close();
  });

  it('a second tab of the same person replaces the first', async () => {
    const { roomId, host, hostSocket } = await roomWithHost();
    const second = await TestSocket.open(server.url, host.cookie);
    await second.request({ type: 'room.join', roomId });
    expect(await hostSocket.waitFor((m) => m.type === 'room.closed')).toMatchObject({ reason: 'replaced' });
    expect(await hostSocket.request({ type: 'stage.setMuted', roomId, muted: true })).toMatchObject({ code: 'forbidden' });
    expect(await second.request({ type: 'stage.setMuted', roomId, muted: true })).toMatchObject({ type: 'ack' });
    second.close();
    hostSocket.close();
  });

  it('a guest listens but may not ask to speak nor be invited', async () => {
    const { roomId, hostSocket } = await roomWithHost();
    const visitor = await guest('Visitor');
    const socket = await TestSocket.open(server.url, visitor.cookie);
    const joined = await socket.request({ type: 'room.join', roomId });
    expect(joined.type === 'room.snapshot' && joined.snapshot.participants.find((p) => p.id === visitor.user.id)?.guest).toBe(true);
    expect(await socket.request({ type: 'stage.raiseHand', roomId })).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(await hostSocket.request({ type: 'stage.invite', roomId, participantId: visitor.user.id })).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(await socket.request({ type: 'media.subscribe', roomId })).toMatchObject({ type: 'media.offer' });
    socket.close();
    hostSocket.close();
  });

  it('hand raising is rate-limited per person (10 a minute)', async () => {
    const { roomId, hostSocket } = await roomWithHost();
    const listener = await member('Fidget');
    const socket = await TestSocket.open(server.url, listener.cookie);
    await socket.request({ type: 'room.join', roomId });
    for (let i = 0; i < 10; i++) {
      expect(await socket.request({ type: 'stage.raiseHand', roomId })).toMatchObject({ type: 'ack' });
      await socket.request({ type: 'stage.lowerHand', roomId });
    }
    expect(await socket.request({ type: 'stage.raiseHand', roomId })).toMatchObject({ type: 'error', code: 'rate_limited' });
    // The socket and the rest of the protocol still work.
    expect(await socket.request({ type: 'ping' })).toMatchObject({ type: 'ack' });
    socket.close();
    hostSocket.close();
  });

  it('speaking levels from the SFU reach everyone in the room', async () => {
    const { roomId, host, hostSocket } = await roomWithHost();
    media.rooms.get(roomId)!.emitSpeaking([{ participantId: host.user.id, level: -12 }]);
    expect(await hostSocket.waitFor((m) => m.type === 'room.speaking' && m.speakers.length > 0)).toMatchObject({
      speakers: [{ participantId: host.user.id, level: -12 }],
    });
    // Someone joining later gets the current set right after their snapshot.
    const late = await guest('Late');
    const lateSocket = await TestSocket.open(server.url, late.cookie);
    await lateSocket.request({ type: 'room.join', roomId });
    expect(await lateSocket.waitFor((m) => m.type === 'room.speaking')).toMatchObject({ speakers: [{ participantId: host.user.id, level: -12 }] });
    lateSocket.close();
    hostSocket.close();
  });
});
