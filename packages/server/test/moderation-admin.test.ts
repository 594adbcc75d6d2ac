import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, RoomSummary } from '@parley/protocol';
import { startServer, type RunningServer } from '../src/index';
import { RecordingMediaEngine } from './fake-media';
import { accountFactory, apiAt, type Member } from './http-helpers';
import { TestSocket } from './ws-client';

/**
 * Reports and the admins' queue, suspensions (sessions, tokens, sockets and media stop at once),
 * admin powers in rooms, the audit log of moderation acts, and room bans that survive a restart —
 * against the real server.
 */

let server: RunningServer;
const media = new RecordingMediaEngine();
const api = apiAt(() => server.url);
const accounts = accountFactory(api);
const sockets: TestSocket[] = [];
let admin: Member;

const options = { port: 0, host: '127.0.0.1', logLevel: 'silent', authRateLimit: 1000, rateLimitFactor: 100, sessionRateLimit: 1000 } as const;

beforeAll(async () => {
  server = await startServer({ ...options, dataDir: 'memory://' }, { mediaEngine: media });
  admin = await accounts.admin();
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server?.close();
});

async function openRoom(host: Member, type: 'open' | 'social' | 'closed' = 'open'): Promise<RoomSummary> {
  const res = await api('/api/rooms', { method: 'POST', cookie: host.cookie, json: { title: 'Talk', type } });
  expect(res.status).toBe(201);
  return res.body.room;
}

async function join(cookie: string, roomId: string, url = server.url) {
  const socket = await TestSocket.open(url, cookie);
  sockets.push(socket);
  const reply = await socket.request({ type: 'room.join', roomId });
  return { socket, reply };
}

async function ack(socket: TestSocket, request: Parameters<TestSocket['request']>[0]) {
  expect(await socket.request(request)).toMatchObject({ type: 'ack' });
}

async function report(by: Member, target: object, reason = 'harassment', details = '') {
  return api('/api/reports', { method: 'POST', cookie: by.cookie, json: { target, reason, details } });
}

describe('reports and the moderation queue', () => {
  it('members report people and rooms; guests, anonymous visitors, yourself and unknown targets are refused', async () => {
    const reporter = await accounts.member('Rita');
    const troll = await accounts.member('Troll');
    const room = await openRoom(troll);
    const aboutUser = await report(reporter, { kind: 'user', username: troll.username }, 'harassment', 'Shouted slurs at me');
    expect(aboutUser.status).toBe(201);
    expect(aboutUser.body.report).toMatchObject({
      reporter: { id: reporter.user.id },
      subject: { id: troll.user.id },
      subjectSuspended: false,
      room: null,
      reason: 'harassment',
      details: 'Shouted slurs at me',
      status: 'open',
      resolution: null,
    });
    const aboutRoom = await report(reporter, { kind: 'room', roomId: room.id }, 'spam');
    expect(aboutRoom.body.report).toMatchObject({ subject: { id: troll.user.id }, room: { id: room.id, title: 'Talk', status: 'live' } });

    const guest = await api('/api/session', { method: 'POST', json: { displayName: 'Gus' } });
    const guestCookie = guest.headers.getSetCookie()[0]!.split(';')[0]!;
    expect((await api('/api/reports', { method: 'POST', cookie: guestCookie, json: { target: { kind: 'user', username: troll.username }, reason: 'spam' } })).status).toBe(403);
    expect((await api('/api/reports', { method: 'POST', json: { target: { kind: 'user', username: troll.username }, reason: 'spam' } })).status).toBe(401);
    expect((await report(reporter, { kind: 'user', username: reporter.username })).status).toBe(409);
    expect((await report(troll, { kind: 'room', roomId: room.id })).status).toBe(409);
    expect((await report(reporter, { kind: 'user', username: 'nobody_here' })).status).toBe(404);
    expect((await report(reporter, { kind: 'room', roomId: 'unknownroom1' })).status).toBe(404);
    expect((await report(reporter, { kind: 'user', username: troll.username }, 'bored')).status).toBe(400);
    expect((await report(reporter, { kind: 'user', username: troll.username }, 'spam', 'x'.repeat(1001))).status).toBe(400);

    const queue = await api('/api/admin/reports', { cookie: admin.cookie });
    const ids = queue.body.reports.map((r: { id: string }) => r.id);
    expect(ids.indexOf(aboutUser.body.report.id)).toBeLessThan(ids.indexOf(aboutRoom.body.report.id));
    expect((await api('/api/admin/reports', { cookie: reporter.cookie })).status).toBe(403);
    expect((await api('/api/admin/reports')).status).toBe(401);
  });

  it('one person may file 20 reports an hour', async () => {
    const eager = await accounts.member('Eager');
    const target = await accounts.member('Target');
    for (let i = 0; i < 20; i++) expect((await report(eager, { kind: 'user', username: target.username }, 'spam')).status).toBe(201);
    const over = await report(eager, { kind: 'user', username: target.username }, 'spam');
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('rate_limited');
  });

  it('an admin dismisses a report once; the decision is recorded and audited', async () => {
    const reporter = await accounts.member('Dora');
    const subject = await accounts.member('Dale');
    const filed = (await report(reporter, { kind: 'user', username: subject.username })).body.report;
    expect((await api(`/api/admin/reports/${filed.id}/resolve`, { method: 'POST', cookie: reporter.cookie, json: { decision: 'dismiss' } })).status).toBe(403);
    const done = await api(`/api/admin/reports/${filed.id}/resolve`, { method: 'POST', cookie: admin.cookie, json: { decision: 'dismiss', note: 'Banter between friends' } });
    expect(done.status).toBe(200);
    expect(done.body.report).toMatchObject({ status: 'dismissed', resolution: { by: { id: admin.user.id }, note: 'Banter between friends' }, subjectSuspended: false });
    expect((await api(`/api/admin/reports/${filed.id}/resolve`, { method: 'POST', cookie: admin.cookie, json: { decision: 'suspend' } })).status).toBe(409);
    expect((await api('/api/admin/reports/unknownreport1/resolve', { method: 'POST', cookie: admin.cookie, json: { decision: 'dismiss' } })).status).toBe(404);
    const open = await api('/api/admin/reports', { cookie: admin.cookie });
    expect(open.body.reports.map((r: { id: string }) => r.id)).not.toContain(filed.id);
    const resolved = await api('/api/admin/reports?status=resolved', { cookie: admin.cookie });
    expect(resolved.body.reports.map((r: { id: string }) => r.id)).toContain(filed.id);
    const log = (await api('/api/admin/audit', { cookie: admin.cookie })).body.entries as AuditEntry[];
    expect(log.find((e) => e.reportId === filed.id)).toMatchObject({ action: 'dismissReport', actor: { id: admin.user.id }, target: { id: subject.user.id }, note: 'Banter between friends' });
  });
});

describe('suspension', () => {
  it('suspending from the queue stops sessions, tokens, sockets and media at once; sign-in is refused; unsuspending restores sign-in and tokens', async () => {
    const host = await accounts.member('Hera');
    const sue = await accounts.member('Sue');
    const reporter = await accounts.member('Remy');
    const token = (await api('/api/account/tokens', { method: 'POST', cookie: sue.cookie, json: { name: 'bot' } })).body.secret as string;
    expect((await api('/api/session', { token })).status).toBe(200);

    const room = await openRoom(host);
    const hostSocket = (await join(host.cookie, room.id)).socket;
    const sueSocket = (await join(sue.cookie, room.id)).socket;
    await ack(hostSocket, { type: 'stage.invite', roomId: room.id, participantId: sue.user.id });
    await ack(sueSocket, { type: 'stage.acceptInvite', roomId: room.id });
    // Her own room ends up with nobody able to rejoin as host, but the others stay in it.
    const sueRoom = await openRoom(sue);
    const sueHostSocket = (await join(sue.cookie, sueRoom.id)).socket;
    const socketClosed = new Promise<number>((resolve) => sueSocket.ws.once('close', (code) => resolve(code)));

    const filed = (await report(reporter, { kind: 'user', username: sue.username }, 'harassment')).body.report;
    const decided = await api(`/api/admin/reports/${filed.id}/resolve`, { method: 'POST', cookie: admin.cookie, json: { decision: 'suspend', note: 'Threats' } });
    expect(decided.status).toBe(200);
    expect(decided.body.report).toMatchObject({ status: 'actioned', subjectSuspended: true });

    expect(await sueSocket.waitFor((m) => m.type === 'room.closed' && m.roomId === room.id)).toMatchObject({ reason: 'suspended' });
    expect(await sueHostSocket.waitFor((m) => m.type === 'room.closed' && m.roomId === sueRoom.id)).toMatchObject({ reason: 'suspended' });
    expect(await socketClosed).toBe(4003);
    expect(media.rooms.get(room.id)!.calls).toContain(`remove ${sue.user.id}`);
    expect(await hostSocket.waitForEvent((e) => e.event.kind === 'participantLeft' && e.event.participantId === sue.user.id)).toBeTruthy();

    expect((await api('/api/session', { cookie: sue.cookie })).status).toBe(401);
    expect((await api('/api/session', { token })).status).toBe(401);
    await expect(TestSocket.open(server.url, sue.cookie)).rejects.toThrow(/401/);
    const signIn = await api('/api/sign-in', { method: 'POST', json: { email: sue.email, password: sue.password } });
    expect(signIn.status).toBe(403);
    expect(signIn.body.error.message).toMatch(/suspended/);
    // A wrong password says nothing about the suspension.
    expect((await api('/api/sign-in', { method: 'POST', json: { email: sue.email, password: 'wrong password!' } })).status).toBe(401);

    const list = await api('/api/admin/suspensions', { cookie: admin.cookie });
    expect(list.body.suspensions).toEqual([expect.objectContaining({ person: expect.objectContaining({ id: sue.user.id }), reason: 'Threats', by: expect.objectContaining({ id: admin.user.id }) })]);
    const log = (await api('/api/admin/audit', { cookie: admin.cookie })).body.entries as AuditEntry[];
    expect(log.find((e) => e.action === 'suspend' && e.target?.id === sue.user.id)).toMatchObject({ reportId: filed.id, actor: { id: admin.user.id }, note: 'Threats' });

    expect((await api(`/api/admin/users/${sue.username}/suspension`, { method: 'DELETE', cookie: host.cookie })).status).toBe(403);
    expect((await api(`/api/admin/users/${sue.username}/suspension`, { method: 'DELETE', cookie: admin.cookie })).status).toBe(204);
    expect((await api(`/api/admin/users/${sue.username}/suspension`, { method: 'DELETE', cookie: admin.cookie })).status).toBe(404);
    expect((await api('/api/session', { token })).status).toBe(200);
    expect((await api('/api/sign-in', { method: 'POST', json: { email: sue.email, password: sue.password } })).status).toBe(200);
    // The old cookie session ended for good.
    expect((await api('/api/session', { cookie: sue.cookie })).status).toBe(401);
    const after = (await api('/api/admin/audit', { cookie: admin.cookie })).body.entries as AuditEntry[];
    expect(after[0]).toMatchObject({ action: 'unsuspend', target: { id: sue.user.id } });
  });

  it('admins suspend directly with a reason; not admins, not twice, not anonymous; members cannot', async () => {
    const member = await accounts.member('Milo');
    const other = await accounts.member('Olga');
    expect((await api(`/api/admin/users/${other.username}/suspension`, { method: 'PUT', cookie: member.cookie, json: { reason: 'x' } })).status).toBe(403);
    expect((await api(`/api/admin/users/${other.username}/suspension`, { method: 'PUT', json: { reason: 'x' } })).status).toBe(401);
    expect((await api(`/api/admin/users/${other.username}/suspension`, { method: 'PUT', cookie: admin.cookie, json: { reason: '' } })).status).toBe(400);
    const done = await api(`/api/admin/users/${other.username}/suspension`, { method: 'PUT', cookie: admin.cookie, json: { reason: 'Spam bot' } });
    expect(done.status).toBe(200);
    expect(done.body.suspension).toMatchObject({ person: { id: other.user.id }, reason: 'Spam bot' });
    expect((await api(`/api/admin/users/${other.username}/suspension`, { method: 'PUT', cookie: admin.cookie, json: { reason: 'Again' } })).status).toBe(409);
    expect((await api(`/api/admin/users/${admin.username}/suspension`, { method: 'PUT', cookie: admin.cookie, json: { reason: 'Me' } })).status).toBe(409);
    expect((await api(`/api/admin/users/nobody_here/suspension`, { method: 'PUT', cookie: admin.cookie, json: { reason: 'x' } })).status).toBe(404);
    await api(`/api/admin/users/${other.username}/suspension`, { method: 'DELETE', cookie: admin.cookie });
  });
});

describe('admin powers in rooms', () => {
  it('an admin enters any room (closed, blocked by the host), is marked admin, removes the host, and ends rooms over the socket or HTTP', async () => {
    const host = await accounts.member('Hank');
    const listener = await accounts.member('Lou');
    const room = await openRoom(host, 'closed');
    await api(`/api/rooms/${room.id}/access`, { method: 'POST', cookie: host.cookie, json: { username: listener.username } });
    await api(`/api/users/${admin.username}/block`, { method: 'PUT', cookie: host.cookie });
    const hostSocket = (await join(host.cookie, room.id)).socket;
    const listenerSocket = (await join(listener.cookie, room.id)).socket;
    const { socket: adminSocket, reply } = await join(admin.cookie, room.id);
    if (reply.type !== 'room.snapshot') throw new Error(`admin join failed: ${JSON.stringify(reply)}`);
    expect(reply.snapshot.participants.find((p) => p.id === admin.user.id)).toMatchObject({ role: 'listener', admin: true });

    await ack(adminSocket, { type: 'stage.remove', roomId: room.id, participantId: host.user.id });
    expect(await hostSocket.waitFor((m) => m.type === 'room.closed')).toMatchObject({ reason: 'removed' });
    expect(await hostSocket.request({ type: 'room.join', roomId: room.id })).toMatchObject({ type: 'error', code: 'forbidden' });
    await ack(adminSocket, { type: 'room.end', roomId: room.id });
    expect(await listenerSocket.waitFor((m) => m.type === 'room.closed')).toMatchObject({ reason: 'ended' });

    const other = await openRoom(host, 'open');
    const otherSocket = (await join(listener.cookie, other.id)).socket;
    expect((await api(`/api/admin/rooms/${other.id}/end`, { method: 'POST', cookie: host.cookie, json: {} })).status).toBe(403);
    expect((await api(`/api/admin/rooms/${other.id}/end`, { method: 'POST', cookie: admin.cookie, json: { note: 'Reported for spam' } })).status).toBe(204);
    expect(await otherSocket.waitFor((m) => m.type === 'room.closed')).toMatchObject({ reason: 'ended' });
    expect((await api(`/api/rooms/${other.id}`, { cookie: listener.cookie })).body.room.status).toBe('ended');
    expect((await api(`/api/admin/rooms/${other.id}/end`, { method: 'POST', cookie: admin.cookie, json: {} })).status).toBe(410);
    const log = (await api(`/api/rooms/${other.id}/audit`, { cookie: host.cookie })).body.entries as AuditEntry[];
    expect(log).toEqual([expect.objectContaining({ action: 'endRoom', actor: expect.objectContaining({ id: admin.user.id }), note: 'Reported for spam' })]);
    await api(`/api/users/${admin.username}/block`, { method: 'DELETE', cookie: host.cookie });
  });
});

describe('audit log', () => {
  it('records every stage moderation act with who, what, to whom, when and where; the room’s host and moderators and admins see it, others do not', async () => {
    const host = await accounts.member('Ari');
    const mod = await accounts.member('Mae');
    const speaker = await accounts.member('Sid');
    const listener = await accounts.member('Lia');
    const room = await openRoom(host);
    const s = {
      host: (await join(host.cookie, room.id)).socket,
      mod: (await join(mod.cookie, room.id)).socket,
      speaker: (await join(speaker.cookie, room.id)).socket,
      listener: (await join(listener.cookie, room.id)).socket,
    };
    const roomId = room.id;
    for (const [who, socket] of [[mod, s.mod], [speaker, s.speaker]] as const) {
      await ack(s.host, { type: 'stage.invite', roomId, participantId: who.user.id });
      await ack(socket, { type: 'stage.acceptInvite', roomId });
    }
    await ack(s.host, { type: 'stage.setModerator', roomId, participantId: mod.user.id, moderator: true });
    await ack(s.mod, { type: 'stage.mute', roomId, participantId: speaker.user.id });
    await ack(s.speaker, { type: 'stage.setMuted', roomId, muted: false });
    await ack(s.mod, { type: 'stage.moveToAudience', roomId, participantId: speaker.user.id });
    await ack(s.host, { type: 'stage.setModerator', roomId, participantId: mod.user.id, moderator: false });
    await ack(s.mod, { type: 'stage.moveToAudience', roomId, participantId: mod.user.id });
    await ack(s.host, { type: 'stage.remove', roomId, participantId: listener.user.id });

    expect((await api(`/api/rooms/${roomId}/audit`, { cookie: speaker.cookie })).status).toBe(403);
    expect((await api(`/api/rooms/${roomId}/audit`, { cookie: mod.cookie })).status).toBe(403);
    expect((await api(`/api/rooms/${roomId}/audit`)).status).toBe(401);
    const log = (await api(`/api/rooms/${roomId}/audit`, { cookie: host.cookie })).body.entries as AuditEntry[];
    // Newest first; self-muting, accepting and stepping down are no moderation acts.
    expect(log.map((e) => [e.action, e.actor.id, e.target?.id])).toEqual([
      ['remove', host.user.id, listener.user.id],
      ['demoteModerator', host.user.id, mod.user.id],
      ['moveToAudience', mod.user.id, speaker.user.id],
      ['muteOther', mod.user.id, speaker.user.id],
      ['promoteModerator', host.user.id, mod.user.id],
    ]);
    for (const entry of log) {
      expect(entry.room).toEqual({ id: roomId, title: 'Talk', status: 'live' });
      expect(Date.now() - Date.parse(entry.at)).toBeLessThan(60_000);
    }
    expect(log[0]!.actor).toEqual({ id: host.user.id, displayName: 'Ari', username: host.username });

    // A moderator now sees the room's log; an admin sees it and the whole log; members do not see the whole log.
    await ack(s.host, { type: 'stage.invite', roomId, participantId: speaker.user.id });
    await ack(s.speaker, { type: 'stage.acceptInvite', roomId });
    await ack(s.host, { type: 'stage.setModerator', roomId, participantId: speaker.user.id, moderator: true });
    expect((await api(`/api/rooms/${roomId}/audit`, { cookie: speaker.cookie })).body.entries[0]).toMatchObject({ action: 'promoteModerator' });
    expect((await api(`/api/rooms/${roomId}/audit?limit=2`, { cookie: admin.cookie })).body.nextCursor).toEqual(expect.any(String));
    const whole = (await api('/api/admin/audit?limit=100', { cookie: admin.cookie })).body.entries as AuditEntry[];
    expect(whole.filter((e) => e.room?.id === roomId)).toHaveLength(6);
    expect((await api('/api/admin/audit', { cookie: host.cookie })).status).toBe(403);

    await ack(s.host, { type: 'room.end', roomId });
    const ended = (await api(`/api/rooms/${roomId}/audit`, { cookie: host.cookie })).body.entries as AuditEntry[];
    expect(ended[0]).toMatchObject({ action: 'endRoom', actor: { id: host.user.id }, room: { status: 'ended' } });
  });

  it('pages with a cursor, and refuses a broken one', async () => {
    const first = await api('/api/admin/audit?limit=1', { cookie: admin.cookie });
    const second = await api(`/api/admin/audit?limit=1&cursor=${first.body.nextCursor}`, { cookie: admin.cookie });
    expect(second.body.entries[0].id).not.toBe(first.body.entries[0].id);
    expect(Date.parse(second.body.entries[0].at)).toBeLessThanOrEqual(Date.parse(first.body.entries[0].at));
    expect((await api('/api/admin/audit?cursor=bm9wZQ', { cookie: admin.cookie })).status).toBe(400);
  });

  it('records closed rooms’ access list changes', async () => {
    const host = await accounts.member('Aria');
    const guestOfHonour = await accounts.member('Gia');
    const room = await openRoom(host, 'closed');
    await api(`/api/rooms/${room.id}/access`, { method: 'POST', cookie: host.cookie, json: { username: guestOfHonour.username } });
    await api(`/api/rooms/${room.id}/access/${guestOfHonour.username}`, { method: 'DELETE', cookie: host.cookie });
    const log = (await api(`/api/rooms/${room.id}/audit`, { cookie: host.cookie })).body.entries as AuditEntry[];
    expect(log.map((e) => [e.action, e.target?.id])).toEqual([
      ['revokeAccess', guestOfHonour.user.id],
      ['grantAccess', guestOfHonour.user.id],
    ]);
  });
});

describe('room bans survive a restart', () => {
  it('someone removed stays out after the server restarts on the same data, and the room is not in their hallway', async () => {
    const dataDir = await mkdtemp(joinPath(tmpdir(), 'parley-bans-'));
    const engine = new RecordingMediaEngine();
    let own = await startServer({ ...options, dataDir }, { mediaEngine: engine });
    const ownApi = apiAt(() => own.url);
    const ownAccounts = accountFactory(ownApi);
    try {
      const host = await ownAccounts.member('Host');
      const removed = await ownAccounts.member('Rex');
      const roomId = (await ownApi('/api/rooms', { method: 'POST', cookie: host.cookie, json: { title: 'Persistent' } })).body.room.id as string;
      const hostSocket = (await join(host.cookie, roomId, own.url)).socket;
      await join(removed.cookie, roomId, own.url);
      await ack(hostSocket, { type: 'stage.remove', roomId, participantId: removed.user.id });
      await own.close();

      own = await startServer({ ...options, dataDir }, { mediaEngine: engine });
      const again = await join(removed.cookie, roomId, own.url);
      expect(again.reply).toMatchObject({ type: 'error', code: 'forbidden', message: 'You were removed from this room.' });
      const listed = (await ownApi('/api/rooms', { cookie: removed.cookie })).body.rooms.map((r: { id: string }) => r.id);
      expect(listed).not.toContain(roomId);
      expect((await ownApi('/api/rooms', { cookie: host.cookie })).body.rooms.map((r: { id: string }) => r.id)).toContain(roomId);
    } finally {
      await own.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
