import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomSnapshot, RoomSummary } from '@parley/protocol';
import { startServer, type RunningServer } from '../src/index';
import { RecordingMediaEngine } from './fake-media';
import { accountFactory, apiAt, type Member } from './http-helpers';
import { TestSocket } from './ws-client';

/**
 * Room types and access (open, social, closed), closed rooms' access lists, and blocks, against the
 * real server: every join and every resync is checked, and the hallway shows each viewer only the
 * rooms they may enter.
 */

let server: RunningServer;
const media = new RecordingMediaEngine();
const api = apiAt(() => server.url);
const accounts = accountFactory(api);
const sockets: TestSocket[] = [];

beforeAll(async () => {
  server = await startServer(
    { port: 0, host: '127.0.0.1', dataDir: 'memory://', logLevel: 'silent', authRateLimit: 1000, rateLimitFactor: 100, sessionRateLimit: 1000 },
    { mediaEngine: media },
  );
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server?.close();
});

async function openRoom(host: Member, type?: 'open' | 'social' | 'closed', title = 'A room'): Promise<RoomSummary> {
  const res = await api('/api/rooms', { method: 'POST', cookie: host.cookie, json: type ? { title, type } : { title } });
  expect(res.status).toBe(201);
  return res.body.room;
}

async function socketOf(cookie: string): Promise<TestSocket> {
  const socket = await TestSocket.open(server.url, cookie);
  sockets.push(socket);
  return socket;
}

/** Open a socket and join; returns the socket and the reply. */
async function join(person: { cookie: string }, roomId: string) {
  const socket = await socketOf(person.cookie);
  const reply = await socket.request({ type: 'room.join', roomId });
  return { socket, reply };
}

async function guest(displayName: string) {
  const res = await api('/api/session', { method: 'POST', json: { displayName } });
  return { cookie: res.headers.getSetCookie()[0]!.split(';')[0]!, user: res.body.user as { id: string } };
}

const listedIds = async (cookie?: string) => ((await api('/api/rooms', cookie ? { cookie } : {})).body.rooms as RoomSummary[]).map((r) => r.id);

async function follow(who: Member, whom: Member) {
  expect((await api(`/api/users/${whom.username}/follow`, { method: 'PUT', cookie: who.cookie })).status).toBe(200);
}

async function bringOnStage(host: TestSocket, speaker: TestSocket, roomId: string, speakerId: string) {
  expect(await host.request({ type: 'stage.invite', roomId, participantId: speakerId })).toMatchObject({ type: 'ack' });
  expect(await speaker.request({ type: 'stage.acceptInvite', roomId })).toMatchObject({ type: 'ack' });
}

describe('room types', () => {
  it('a room is open by default; the type is kept, shown in the summary, and validated', async () => {
    const host = await accounts.member('Hope');
    expect((await openRoom(host)).type).toBe('open');
    expect((await openRoom(host, 'social')).type).toBe('social');
    expect((await openRoom(host, 'closed')).type).toBe('closed');
    const bad = await api('/api/rooms', { method: 'POST', cookie: host.cookie, json: { title: 'x', type: 'secret' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_message');
  });

  it('open: anyone joins, guests too; listed to everyone, signed in or not', async () => {
    const host = await accounts.member('Oona');
    const room = await openRoom(host, 'open');
    const visitor = await guest('Gil');
    expect((await join(visitor, room.id)).reply.type).toBe('room.snapshot');
    expect(await listedIds()).toContain(room.id);
    expect(await listedIds(visitor.cookie)).toContain(room.id);
  });

  it('social: followers of the host, or of anyone on stage, join and see it listed; others and guests are refused with the reason', async () => {
    const host = await accounts.member('Sol');
    const speaker = await accounts.member('Spe');
    const fan = await accounts.member('Fan');
    const speakerFan = await accounts.member('Sfan');
    const stranger = await accounts.member('Str');
    const visitor = await guest('Gia');
    await follow(fan, host);
    await follow(speakerFan, speaker);
    await follow(speaker, host);
    const room = await openRoom(host, 'social');

    const hostSocket = (await join(host, room.id)).socket;
    expect((await join(fan, room.id)).reply.type).toBe('room.snapshot');
    const refused = (await join(stranger, room.id)).reply;
    expect(refused).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(refused.type === 'error' && refused.message).toMatch(/social room/);
    expect((await join(visitor, room.id)).reply).toMatchObject({ type: 'error', code: 'forbidden' });
    expect((await join(speakerFan, room.id)).reply).toMatchObject({ type: 'error', code: 'forbidden' });

    // Listed to the host and to followers; not to the stranger, the speaker's fan (yet), guests, or anonymous visitors.
    expect(await listedIds(host.cookie)).toContain(room.id);
    expect(await listedIds(fan.cookie)).toContain(room.id);
    expect(await listedIds(stranger.cookie)).not.toContain(room.id);
    expect(await listedIds(speakerFan.cookie)).not.toContain(room.id);
    expect(await listedIds(visitor.cookie)).not.toContain(room.id);
    expect(await listedIds()).not.toContain(room.id);

    // Once the speaker is on stage, their followers may come in and see the room.
    const speakerSocket = (await join(speaker, room.id)).socket;
    await bringOnStage(hostSocket, speakerSocket, room.id, speaker.user.id);
    expect(await listedIds(speakerFan.cookie)).toContain(room.id);
    expect((await join(speakerFan, room.id)).reply.type).toBe('room.snapshot');

    // The link tells a refused member why, without a snapshot.
    const link = await api(`/api/rooms/${room.id}`, { cookie: stranger.cookie });
    expect(link.status).toBe(403);
    expect(link.body.error.message).toMatch(/social room/);
  });

  it('social: a follower who unfollows is refused at the next resync and cut off (media closed, told why)', async () => {
    const host = await accounts.member('Sam');
    const fan = await accounts.member('Fern');
    await follow(fan, host);
    const room = await openRoom(host, 'social');
    await join(host, room.id);
    const { socket } = await join(fan, room.id);
    expect((await socket.request({ type: 'room.resync', roomId: room.id })).type).toBe('room.snapshot');
    expect((await api(`/api/users/${host.username}/follow`, { method: 'DELETE', cookie: fan.cookie })).status).toBe(200);
    expect(await socket.request({ type: 'room.resync', roomId: room.id })).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(await socket.waitFor((m) => m.type === 'room.closed')).toMatchObject({ reason: 'revoked', roomId: room.id });
    expect(media.rooms.get(room.id)!.calls).toContain(`remove ${fan.user.id}`);
    // Out of the room: commands need a join, and the join is refused too.
    expect(await socket.request({ type: 'stage.raiseHand', roomId: room.id })).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(await socket.request({ type: 'room.join', roomId: room.id })).toMatchObject({ type: 'error', code: 'forbidden' });
  });

  it('closed: only the host and people on the access list; never listed; the link alone does not admit', async () => {
    const host = await accounts.member('Cleo');
    const invited = await accounts.member('Ivy');
    const outsider = await accounts.member('Otto');
    await follow(outsider, host);
    const room = await openRoom(host, 'closed', 'Board meeting');
    expect((await api(`/api/rooms/${room.id}/access`, { method: 'POST', cookie: host.cookie, json: { username: invited.username } })).status).toBe(201);

    expect((await join(host, room.id)).reply.type).toBe('room.snapshot');
    expect((await join(invited, room.id)).reply.type).toBe('room.snapshot');
    const refused = (await join(outsider, room.id)).reply;
    expect(refused).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(refused.type === 'error' && refused.message).toBe('This room is closed: only people the host invited can join.');
    expect((await join(await guest('Gwen'), room.id)).reply).toMatchObject({ type: 'error', code: 'forbidden' });

    for (const cookie of [host.cookie, invited.cookie, outsider.cookie, undefined]) expect(await listedIds(cookie)).not.toContain(room.id);
    const link = await api(`/api/rooms/${room.id}`, { cookie: outsider.cookie });
    expect(link.status).toBe(403);
    expect(JSON.stringify(link.body)).not.toContain('Board meeting');
    expect((await api(`/api/rooms/${room.id}`)).status).toBe(401);
    expect((await api(`/api/rooms/${room.id}`, { cookie: invited.cookie })).body.room.title).toBe('Board meeting');
  });
});

describe('closed rooms: the access list', () => {
  it('the host lists, adds and removes people; someone taken off is cut off at once', async () => {
    const host = await accounts.member('Hal');
    const ivy = await accounts.member('Iva');
    const room = await openRoom(host, 'closed');
    const added = await api(`/api/rooms/${room.id}/access`, { method: 'POST', cookie: host.cookie, json: { username: ivy.username } });
    expect(added.body.people).toEqual([{ person: expect.objectContaining({ id: ivy.user.id, username: ivy.username }), addedAt: expect.any(String) }]);
    // Adding twice is once.
    expect((await api(`/api/rooms/${room.id}/access`, { method: 'POST', cookie: host.cookie, json: { username: ivy.username } })).body.people).toHaveLength(1);
    expect((await api(`/api/rooms/${room.id}/access`, { cookie: host.cookie })).body.people).toHaveLength(1);

    await join(host, room.id);
    const { socket } = await join(ivy, room.id);
    expect((await api(`/api/rooms/${room.id}/access/${ivy.username}`, { method: 'DELETE', cookie: host.cookie })).status).toBe(204);
    expect(await socket.waitFor((m) => m.type === 'room.closed')).toMatchObject({ reason: 'revoked' });
    expect(media.rooms.get(room.id)!.calls).toContain(`remove ${ivy.user.id}`);
    expect(await socket.request({ type: 'room.join', roomId: room.id })).toMatchObject({ type: 'error', code: 'forbidden' });
    expect((await api(`/api/rooms/${room.id}/access`, { cookie: host.cookie })).body.people).toEqual([]);
    expect((await api(`/api/rooms/${room.id}/access/${ivy.username}`, { method: 'DELETE', cookie: host.cookie })).status).toBe(404);
  });

  it('moderators and admins manage it; listeners, other members and guests may not; open rooms have none; unknown names are 404', async () => {
    const admin = await accounts.admin();
    const host = await accounts.member('Hugo');
    const mod = await accounts.member('Moe');
    const listener = await accounts.member('Lin');
    const other = await accounts.member('Oli');
    const room = await openRoom(host, 'closed');
    for (const person of [mod, listener]) await api(`/api/rooms/${room.id}/access`, { method: 'POST', cookie: host.cookie, json: { username: person.username } });
    const hostSocket = (await join(host, room.id)).socket;
    const modSocket = (await join(mod, room.id)).socket;
    await join(listener, room.id);
    await bringOnStage(hostSocket, modSocket, room.id, mod.user.id);
    expect(await hostSocket.request({ type: 'stage.setModerator', roomId: room.id, participantId: mod.user.id, moderator: true })).toMatchObject({ type: 'ack' });

    expect((await api(`/api/rooms/${room.id}/access`, { method: 'POST', cookie: mod.cookie, json: { username: other.username } })).status).toBe(201);
    expect((await api(`/api/rooms/${room.id}/access/${other.username}`, { method: 'DELETE', cookie: admin.cookie })).status).toBe(204);
    for (const cookie of [listener.cookie, other.cookie, (await guest('Gus')).cookie]) {
      const res = await api(`/api/rooms/${room.id}/access`, { method: 'POST', cookie, json: { username: other.username } });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect((await api(`/api/rooms/${room.id}/access`, { method: 'POST', json: { username: other.username } })).status).toBe(401);
    expect((await api(`/api/rooms/${room.id}/access`, { cookie: host.cookie })).body.people.map((e: { person: { id: string } }) => e.person.id).sort()).toEqual(
      [mod.user.id, listener.user.id].sort(),
    );
    expect((await api(`/api/rooms/${room.id}/access`, { method: 'POST', cookie: host.cookie, json: { username: 'nobody_here' } })).status).toBe(404);
    const open = await openRoom(host, 'open');
    expect((await api(`/api/rooms/${open.id}/access`, { method: 'POST', cookie: host.cookie, json: { username: other.username } })).status).toBe(409);
    expect((await api(`/api/rooms/unknownroom1/access`, { cookie: host.cookie })).status).toBe(404);
  });
});

describe('blocks', () => {
  it('block and unblock by username; status and list; not yourself; guests may not block', async () => {
    const ada = await accounts.member('Ada');
    const ben = await accounts.member('Ben');
    expect((await api(`/api/users/${ben.username}/block`, { cookie: ada.cookie })).body).toEqual({ blocked: false });
    expect((await api(`/api/users/${ben.username}/block`, { method: 'PUT', cookie: ada.cookie })).body).toEqual({ blocked: true });
    expect((await api(`/api/users/${ben.username}/block`, { cookie: ada.cookie })).body).toEqual({ blocked: true });
    expect((await api('/api/account/blocks', { cookie: ada.cookie })).body.people.map((p: { id: string }) => p.id)).toEqual([ben.user.id]);
    expect((await api(`/api/users/${ada.username}/block`, { method: 'PUT', cookie: ada.cookie })).status).toBe(409);
    expect((await api(`/api/users/nobody_here/block`, { method: 'PUT', cookie: ada.cookie })).status).toBe(404);
    expect((await api(`/api/users/${ben.username}/block`, { method: 'PUT', cookie: (await guest('Gi')).cookie })).status).toBe(403);
    expect((await api(`/api/users/${ben.username}/block`, { method: 'PUT' })).status).toBe(401);
    expect((await api(`/api/users/${ben.username}/block`, { method: 'DELETE', cookie: ada.cookie })).body).toEqual({ blocked: false });
    expect((await api('/api/account/blocks', { cookie: ada.cookie })).body.people).toEqual([]);
  });

  it('a blocked person cannot join the blocker’s rooms, is taken out of one they are in, and neither sees the other’s rooms', async () => {
    const host = await accounts.member('Bea');
    const pest = await accounts.member('Pest');
    const hostRoom = await openRoom(host, 'open');
    const pestRoom = await openRoom(pest, 'open');
    await join(host, hostRoom.id);
    const { socket } = await join(pest, hostRoom.id);

    expect((await api(`/api/users/${pest.username}/block`, { method: 'PUT', cookie: host.cookie })).status).toBe(200);
    expect(await socket.waitFor((m) => m.type === 'room.closed')).toMatchObject({ roomId: hostRoom.id, reason: 'removed' });
    expect(media.rooms.get(hostRoom.id)!.calls).toContain(`remove ${pest.user.id}`);
    const again = await socket.request({ type: 'room.join', roomId: hostRoom.id });
    expect(again).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(await listedIds(pest.cookie)).not.toContain(hostRoom.id);
    expect(await listedIds(host.cookie)).not.toContain(pestRoom.id);
    // Others still see both.
    const other = await accounts.member('Otis');
    expect(await listedIds(other.cookie)).toEqual(expect.arrayContaining([hostRoom.id, pestRoom.id]));

    // The blocker may still enter the blocked person's room (they chose to); unblocking lets the other back in.
    expect((await api(`/api/users/${pest.username}/block`, { method: 'DELETE', cookie: host.cookie })).status).toBe(200);
    expect((await join(pest, hostRoom.id)).reply.type).toBe('room.snapshot');
    expect(await listedIds(pest.cookie)).toContain(hostRoom.id);
  });

  it('a moderator’s block keeps the person out while they moderate, and promoting someone who blocks a listener takes the listener out', async () => {
    const host = await accounts.member('Hanna');
    const mod = await accounts.member('Mona');
    const pest = await accounts.member('Pip');
    const room = await openRoom(host, 'open');
    const hostSocket = (await join(host, room.id)).socket;
    const modSocket = (await join(mod, room.id)).socket;
    const pestSocket = (await join(pest, room.id)).socket;
    expect((await api(`/api/users/${pest.username}/block`, { method: 'PUT', cookie: mod.cookie })).status).toBe(200);
    // Mona only listens: no effect yet.
    expect((await pestSocket.request({ type: 'room.resync', roomId: room.id })).type).toBe('room.snapshot');
    await bringOnStage(hostSocket, modSocket, room.id, mod.user.id);
    expect(await hostSocket.request({ type: 'stage.setModerator', roomId: room.id, participantId: mod.user.id, moderator: true })).toMatchObject({ type: 'ack' });
    expect(await pestSocket.waitFor((m) => m.type === 'room.closed')).toMatchObject({ reason: 'removed' });
    expect(await pestSocket.request({ type: 'room.join', roomId: room.id })).toMatchObject({ type: 'error', code: 'forbidden' });
  });

  it('blocking removes the follows between the two, and follow lists hide blocked people from each other', async () => {
    const ann = await accounts.member('Ann');
    const bo = await accounts.member('Bo');
    const cat = await accounts.member('Cat');
    await follow(ann, bo);
    await follow(bo, ann);
    await follow(cat, ann);
    await follow(cat, bo);
    expect((await api(`/api/users/${bo.username}/block`, { method: 'PUT', cookie: ann.cookie })).status).toBe(200);
    const annProfile = await api(`/api/users/${ann.username}`);
    expect(annProfile.body.profile).toMatchObject({ followerCount: 1, followingCount: 0 });
    const following = (cookie: string) => api(`/api/users/${cat.username}/following`, { cookie }).then((r) => r.body.people.map((p: { id: string }) => p.id));
    expect(await following(ann.cookie)).toEqual([ann.user.id]);
    expect(await following(bo.cookie)).toEqual([bo.user.id]);
    expect((await following(cat.cookie)).sort()).toEqual([ann.user.id, bo.user.id].sort());
    // Neither may follow the other again while the block stands.
    for (const [who, whom] of [[ann, bo], [bo, ann]] as const) {
      const refused = await api(`/api/users/${whom.username}/follow`, { method: 'PUT', cookie: who.cookie });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
    }
    await api(`/api/users/${bo.username}/block`, { method: 'DELETE', cookie: ann.cookie });
    await follow(bo, ann);
  });
});

describe('resync after losing access', () => {
  it('a snapshot is only ever sent to someone who may be in the room', async () => {
    const host = await accounts.member('Rey');
    const ivy = await accounts.member('Rivy');
    const room = await openRoom(host, 'closed');
    await api(`/api/rooms/${room.id}/access`, { method: 'POST', cookie: host.cookie, json: { username: ivy.username } });
    await join(host, room.id);
    const { socket, reply } = await join(ivy, room.id);
    expect((reply as { snapshot: RoomSnapshot }).snapshot.room.type).toBe('closed');
    await api(`/api/rooms/${room.id}/access/${ivy.username}`, { method: 'DELETE', cookie: host.cookie });
    await socket.waitFor((m) => m.type === 'room.closed');
    expect(await socket.request({ type: 'room.resync', roomId: room.id })).toMatchObject({ type: 'error', code: 'forbidden' });
  });
});
