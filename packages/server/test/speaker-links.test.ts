import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member } from './http-helpers';
import { sessionCookieOf } from './http-helpers';
import { inMinutes, SchedulingWorld } from './scheduling-helpers';

/**
 * Guest speaker links over real HTTP and WebSocket: a host makes a one-time link for a named guest;
 * the guest opens it without an account and is on stage in that room (and only there); used once, it
 * is dead; it expires; the host can revoke it (a used one too: the guest loses the place).
 */

let world: SchedulingWorld;
let ada: Member;
let dee: Member;
let roomId: string;

beforeAll(async () => {
  world = await SchedulingWorld.start();
  ada = await world.member('Ada');
  dee = await world.member('Dee');
  roomId = (await world.as(ada)('/api/rooms', { method: 'POST', json: { title: 'Guest hour' } })).body.room.id;
  // The host is in the room: it stays live.
  const socket = await world.socket(ada.cookie);
  await socket.request({ type: 'room.join', roomId });
});
afterAll(async () => {
  await world?.close();
});

const createLink = (by: Member, json: Record<string, unknown>) => world.as(by)('/api/speaker-links', { method: 'POST', json: { roomId, guestName: 'Grace Guest', ...json } });
const tokenOf = (url: string) => new URL(url).pathname.split('/').pop()!;

describe('a guest speaker link', () => {
  let token: string;
  let linkId: string;
  let guestCookie: string;
  let guestId: string;

  it('only the room’s host (or a delegate) creates one; the secret URL is shown once', async () => {
    expect((await createLink(dee, {})).status).toBe(403);
    const guest = await world.guest('Gus');
    expect((await world.api('/api/speaker-links', { method: 'POST', cookie: guest.cookie, json: { roomId, guestName: 'x' } })).status).toBe(403);
    const res = await createLink(ada, { expiresInMinutes: 60 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.url).toMatch(/^http:\/\/parley\.test\/speak\/[A-Za-z0-9_-]{43}$/);
    expect(res.body.link).toMatchObject({ guestName: 'Grace Guest', roomId, eventId: null, title: 'Guest hour', status: 'open', usedAt: null, createdBy: { actor: { username: ada.username } } });
    token = tokenOf(res.body.url);
    linkId = res.body.link.id;
    const listed = await world.as(ada)(`/api/speaker-links?roomId=${roomId}`);
    expect(listed.body.links.map((l: { id: string }) => l.id)).toEqual([linkId]);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect((await world.as(dee)(`/api/speaker-links?roomId=${roomId}`)).status).toBe(403);
  });

  it('anyone with the link sees who it is for before opening it', async () => {
    const preview = await world.api(`/api/speaker-links/token/${token}`);
    expect(preview.body).toMatchObject({ guestName: 'Grace Guest', title: 'Guest hour', hostName: 'Ada', roomId, eventId: null });
    expect((await world.api(`/api/speaker-links/token/${'x'.repeat(43)}`)).status).toBe(404);
  });

  it('opening it without an account makes a guest session with the link’s name, which joins that room on stage and may publish', async () => {
    const redeemed = await world.api(`/api/speaker-links/token/${token}/redeem`, { method: 'POST' });
    expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(200);
    expect(redeemed.body).toMatchObject({ user: { displayName: 'Grace Guest', kind: 'guest' }, roomId, eventId: null });
    guestCookie = sessionCookieOf(redeemed.headers);
    guestId = redeemed.body.user.id;

    const socket = await world.socket(guestCookie);
    const joined = await socket.request({ type: 'room.join', roomId });
    if (joined.type !== 'room.snapshot') throw new Error(`join failed: ${JSON.stringify(joined)}`);
    expect(joined.snapshot.participants.find((p) => p.id === guestId)).toMatchObject({ role: 'speaker', guest: true, speakerLink: true, displayName: 'Grace Guest' });
    const answer = await socket.request({ type: 'media.publish', roomId, sdp: 'v=0 offer from the guest' });
    expect(answer.type).toBe('media.answer');
    expect(world.media.rooms.get(roomId)?.allowed.get(guestId)).toBe(true);
    // On stage they may mute themselves like any speaker.
    expect((await socket.request({ type: 'stage.setMuted', roomId, muted: true })).type).toBe('ack');
    const listed = await world.as(ada)(`/api/speaker-links?roomId=${roomId}`);
    expect(listed.body.links[0]).toMatchObject({ status: 'used' });
  });

  it('used once, it is dead: a second use and a second look are refused with a typed error', async () => {
    const again = await world.api(`/api/speaker-links/token/${token}/redeem`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(again.body.error).toEqual({ code: 'conflict', message: 'This speaker link was already used: each link works once. Ask the host for a new one.' });
    expect(again.headers.getSetCookie()).toEqual([]);
    expect((await world.api(`/api/speaker-links/token/${token}`)).status).toBe(409);
  });

  it('the guest may speak in that room only: elsewhere they are a listener who cannot publish', async () => {
    const other = (await world.as(dee)('/api/rooms', { method: 'POST', json: { title: 'Elsewhere' } })).body.room.id;
    const host = await world.socket(dee.cookie);
    await host.request({ type: 'room.join', roomId: other });
    const socket = await world.socket(guestCookie);
    const joined = await socket.request({ type: 'room.join', roomId: other });
    expect(joined.type === 'room.snapshot' && joined.snapshot.participants.find((p) => p.id === guestId)).toMatchObject({ role: 'listener', guest: true });
    const publish = await socket.request({ type: 'media.publish', roomId: other, sdp: 'v=0 offer from the guest' });
    expect(publish).toMatchObject({ type: 'error', code: 'forbidden' });
    // Guests still cannot ask to speak there.
    expect(await socket.request({ type: 'stage.raiseHand', roomId: other })).toMatchObject({ type: 'error', code: 'forbidden' });
  });

  it('revoking a used link takes the guest off stage at once (out of the room, told why; back in, they listen); revoking twice is a conflict', async () => {
    const socket = await world.socket(guestCookie);
    await socket.request({ type: 'room.join', roomId });
    expect((await world.as(dee)(`/api/speaker-links/${linkId}`, { method: 'DELETE' })).status).toBe(403);
    expect((await world.as(ada)(`/api/speaker-links/${linkId}`, { method: 'DELETE' })).status).toBe(204);
    expect(await socket.waitFor((m) => m.type === 'room.closed' && m.roomId === roomId)).toMatchObject({ reason: 'revoked' });
    expect(world.media.rooms.get(roomId)?.calls).toContain(`remove ${guestId}`);
    expect((await world.as(ada)(`/api/speaker-links/${linkId}`, { method: 'DELETE' })).status).toBe(409);
    const joined = await socket.request({ type: 'room.join', roomId });
    expect(joined.type === 'room.snapshot' && joined.snapshot.participants.find((p) => p.id === guestId)).toMatchObject({ role: 'listener', guest: true });
    expect(joined.type === 'room.snapshot' && joined.snapshot.participants.find((p) => p.id === guestId)?.speakerLink).toBeUndefined();
  });
});

describe('the other ways a link dies or works', () => {
  it('an unused link revoked by the host cannot be opened', async () => {
    const res = await createLink(ada, {});
    await world.as(ada)(`/api/speaker-links/${res.body.link.id}`, { method: 'DELETE' });
    const redeem = await world.api(`/api/speaker-links/token/${tokenOf(res.body.url)}/redeem`, { method: 'POST' });
    expect(redeem.status).toBe(409);
    expect(redeem.body.error.message).toBe('This speaker link was withdrawn by the host.');
  });

  it('an expired link cannot be opened', async () => {
    const res = await createLink(ada, { expiresAt: inMinutes(1 / 60) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const redeem = await world.api(`/api/speaker-links/token/${tokenOf(res.body.url)}/redeem`, { method: 'POST' });
    expect(redeem.status).toBe(409);
    expect(redeem.body.error.message).toBe('This speaker link has expired. Ask the host for a new one.');
    expect((await world.as(ada)(`/api/speaker-links?roomId=${roomId}`)).body.links.find((l: { id: string }) => l.id === res.body.link.id).status).toBe('expired');
    expect((await createLink(ada, { expiresAt: inMinutes(-1) })).status).toBe(400);
  });

  it('of concurrent openings of one link exactly one gets in', async () => {
    const res = await createLink(ada, {});
    const attempts = await Promise.all([1, 2, 3, 4].map(() => world.api(`/api/speaker-links/token/${tokenOf(res.body.url)}/redeem`, { method: 'POST' })));
    expect(attempts.map((a) => a.status).sort()).toEqual([200, 409, 409, 409]);
  });

  it('a link for an event works before it goes live: the guest waits, then joins the live room on stage', async () => {
    const event = (await world.as(ada)('/api/events', { method: 'POST', json: { title: 'Later today', startsAt: inMinutes(3), timeZone: 'UTC' } })).body.event;
    const res = await world.as(ada)('/api/speaker-links', { method: 'POST', json: { eventId: event.id, guestName: 'Evening Guest' } });
    const token = tokenOf(res.body.url);
    expect((await world.api(`/api/speaker-links/token/${token}`)).body).toMatchObject({ eventId: event.id, roomId: null, startsAt: event.startsAt });
    const redeemed = await world.api(`/api/speaker-links/token/${token}/redeem`, { method: 'POST' });
    expect(redeemed.body).toMatchObject({ eventId: event.id, roomId: null });
    const live = (await world.as(ada)(`/api/events/${event.id}/live`, { method: 'POST' })).body.room;
    const socket = await world.socket(sessionCookieOf(redeemed.headers));
    const joined = await socket.request({ type: 'room.join', roomId: live.id });
    expect(joined.type === 'room.snapshot' && joined.snapshot.participants.find((p) => p.id === redeemed.body.user.id)).toMatchObject({ role: 'speaker', speakerLink: true });
  });

  it('a signed-in member who opens a link is admitted as themselves', async () => {
    const res = await createLink(ada, { guestName: 'Dee' });
    const redeemed = await world.as(dee)(`/api/speaker-links/token/${tokenOf(res.body.url)}/redeem`, { method: 'POST' });
    expect(redeemed.body.user).toMatchObject({ id: dee.user.id, kind: 'member' });
    expect(redeemed.headers.getSetCookie()).toEqual([]);
    const socket = await world.socket(dee.cookie);
    const joined = await socket.request({ type: 'room.join', roomId });
    expect(joined.type === 'room.snapshot' && joined.snapshot.participants.find((p) => p.id === dee.user.id)?.role).toBe('speaker');
  });
});
