import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/index';
import { RecordingMediaEngine } from './fake-media';
import { accountFactory, apiAt, type Member } from './http-helpers';
import { TestSocket } from './ws-client';

/**
 * Profiles, avatars, the follow graph, personal API tokens, and what guests may and may not do, over
 * real HTTP and WebSocket against the whole server (PGlite in memory).
 */

let server: RunningServer;
const api = apiAt(() => server.url);
const accounts = accountFactory(api);
let ada: Member;
let ben: Member;
let cy: Member;

beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: 'memory://', logLevel: 'silent', authRateLimit: 1000 }, { mediaEngine: new RecordingMediaEngine() });
  ada = await accounts.admin();
  ben = await accounts.member('Ben');
  cy = await accounts.member('Cy');
});
afterAll(async () => {
  await server?.close();
});

describe('profiles', () => {
  it('show username, display name, joined date, who invited them, and counts; usernames are case-insensitive', async () => {
    const res = await api(`/api/users/${ben.username.toUpperCase()}`);
    expect(res.status).toBe(200);
    expect(res.body.profile).toMatchObject({
      id: ben.user.id,
      username: ben.username,
      displayName: 'Ben',
      bio: '',
      avatarUrl: null,
      invitedBy: { id: ada.user.id, username: ada.username },
      followerCount: 0,
      followingCount: 0,
      relationship: null,
    });
    expect(Date.parse(res.body.profile.joinedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await api('/api/users/nobody_here')).status).toBe(404);
    expect((await api('/api/users/bad%20name')).status).toBe(404);
  });

  it('the owner edits display name, username and bio; a taken username (any case) is a conflict', async () => {
    const edited = await api('/api/account/profile', { method: 'PATCH', cookie: ben.cookie, json: { displayName: 'Ben B.', bio: '  Sound engineer.  ', username: 'BenB' } });
    expect(edited.status).toBe(200);
    expect(edited.body.profile).toMatchObject({ displayName: 'Ben B.', bio: 'Sound engineer.', username: 'BenB' });
    ben.username = 'BenB';
    expect((await api('/api/session', { cookie: ben.cookie })).body.user.displayName).toBe('Ben B.');
    const taken = await api('/api/account/profile', { method: 'PATCH', cookie: ben.cookie, json: { username: cy.username.toLowerCase() } });
    expect(taken.status).toBe(409);
    const tooLong = await api('/api/account/profile', { method: 'PATCH', cookie: ben.cookie, json: { bio: 'x'.repeat(301) } });
    expect(tooLong.body.error.issues).toEqual(['bio: bio is at most 300 characters']);
    expect((await api('/api/account/profile', { method: 'PATCH', cookie: ben.cookie, json: {} })).status).toBe(400);
    const guest = await api('/api/session', { method: 'POST', json: { displayName: 'Gil' } });
    const guestCookie = guest.headers.getSetCookie()[0]!.split(';')[0]!;
    expect((await api('/api/account/profile', { method: 'PATCH', cookie: guestCookie, json: { bio: 'hi' } })).status).toBe(403);
  });
});

describe('avatars', () => {
  it('an upload is re-encoded to a 256×256 WebP served under a versioned URL with long-lived caching', async () => {
    const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#3366cc' } }).png().toBuffer();
    const res = await api('/api/account/avatar', { method: 'PUT', cookie: cy.cookie, bytes: png, type: 'image/png' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const url = res.body.profile.avatarUrl as string;
    expect(url).toMatch(new RegExp(`^/api/avatars/${cy.user.id}/[A-Za-z0-9_-]{16}$`));

    const image = await api(url);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/webp');
    expect(image.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    const meta = await sharp(image.bytes!).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 256, height: 256 });
    expect(meta.exif).toBeUndefined();

    const etag = image.headers.get('etag')!;
    expect((await api(url, { headers: { 'if-none-match': etag } })).status).toBe(304);

    // A new avatar gets a new URL; the old one is gone.
    const jpeg = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#cc3333' } }).jpeg().toBuffer();
    const replaced = await api('/api/account/avatar', { method: 'PUT', cookie: cy.cookie, bytes: jpeg, type: 'image/jpeg' });
    expect(replaced.body.profile.avatarUrl).not.toBe(url);
    expect((await api(url)).status).toBe(404);
    const removed = await api('/api/account/avatar', { method: 'DELETE', cookie: cy.cookie });
    expect(removed.body.profile.avatarUrl).toBeNull();
  });

  it('refuses what is not an image, types it does not take, and files over 2 MiB', async () => {
    const text = await api('/api/account/avatar', { method: 'PUT', cookie: cy.cookie, bytes: new TextEncoder().encode('<svg onload="x()"></svg>'), type: 'image/png' });
    expect(text.status).toBe(400);
    expect(text.body.error.message).toMatch(/not an image we can read/);
    const svg = await api('/api/account/avatar', { method: 'PUT', cookie: cy.cookie, bytes: new TextEncoder().encode('<svg/>'), type: 'image/svg+xml' });
    expect(svg.status).toBe(415);
    const huge = await api('/api/account/avatar', { method: 'PUT', cookie: cy.cookie, bytes: new Uint8Array(2 * 1024 * 1024 + 1), type: 'image/png' });
    expect(huge.status).toBe(413);
    const tiff = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } }).tiff().toBuffer();
    const wrongFormat = await api('/api/account/avatar', { method: 'PUT', cookie: cy.cookie, bytes: tiff, type: 'image/png' });
    expect(wrongFormat.status).toBe(400);
    expect(wrongFormat.body.error.message).toMatch(/PNG, JPEG, WebP or GIF/);
  });
});

describe('follows', () => {
  it('follow and unfollow change the counts; following twice is once; nobody follows themselves', async () => {
    const followed = await api(`/api/users/${ada.username}/follow`, { method: 'PUT', cookie: ben.cookie });
    expect(followed.status).toBe(200);
    expect(followed.body.profile).toMatchObject({ username: ada.username, followerCount: 1, relationship: { youFollow: true, followsYou: false } });
    expect((await api(`/api/users/${ada.username}/follow`, { method: 'PUT', cookie: ben.cookie })).body.profile.followerCount).toBe(1);
    expect((await api(`/api/users/${ben.username}`)).body.profile.followingCount).toBe(1);
    expect((await api(`/api/users/${ben.username}/follow`, { method: 'PUT', cookie: ben.cookie })).status).toBe(409);
    const unfollowed = await api(`/api/users/${ada.username}/follow`, { method: 'DELETE', cookie: ben.cookie });
    expect(unfollowed.body.profile).toMatchObject({ followerCount: 0, relationship: { youFollow: false, followsYou: false } });
    expect((await api(`/api/users/${ada.username}/follow`, { method: 'PUT' })).status).toBe(401);
  });

  it('lists are paginated newest first and mark mutual follows from the viewer’s side', async () => {
    const people = [ben, cy];
    for (let i = 0; i < 3; i++) people.push(await accounts.member(`Fan${i}`));
    for (const follower of people) expect((await api(`/api/users/${ada.username}/follow`, { method: 'PUT', cookie: follower.cookie })).status).toBe(200);
    await api(`/api/users/${ben.username}/follow`, { method: 'PUT', cookie: ada.cookie });

    const first = await api(`/api/users/${ada.username}/followers?limit=2`, { cookie: ada.cookie });
    expect(first.body.people.map((p: { username: string }) => p.username)).toEqual(people.map((p) => p.username).reverse().slice(0, 2));
    expect(first.body.people).toHaveLength(2);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { status: number; body: { people: { username: string; relationship: unknown }[]; nextCursor: string | null } } = await api(
        `/api/users/${ada.username}/followers?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { cookie: ada.cookie },
      );
      seen.push(...page.body.people.map((p) => p.username));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(people.map((p) => p.username).reverse());

    const all = await api(`/api/users/${ada.username}/followers`, { cookie: ada.cookie });
    const benEntry = all.body.people.find((p: { id: string }) => p.id === ben.user.id);
    const cyEntry = all.body.people.find((p: { id: string }) => p.id === cy.user.id);
    expect(benEntry.relationship).toEqual({ youFollow: true, followsYou: true });
    expect(cyEntry.relationship).toEqual({ youFollow: false, followsYou: true });
    expect((await api(`/api/users/${ada.username}/followers`)).body.people[0].relationship).toBeNull();

    const following = await api(`/api/users/${ada.username}/following`, { cookie: ben.cookie });
    expect(following.body).toMatchObject({ people: [{ username: ben.username, relationship: null }], nextCursor: null });
    expect((await api(`/api/users/${ada.username}`, { cookie: ben.cookie })).body.profile).toMatchObject({
      followerCount: 5,
      followingCount: 1,
      relationship: { youFollow: true, followsYou: true },
    });
    expect((await api(`/api/users/${ada.username}/followers?limit=500`)).status).toBe(400);
    expect((await api(`/api/users/${ada.username}/followers?cursor=garbage`)).status).toBe(400);
  });
});

describe('personal API tokens', () => {
  it('are created, listed and revoked in settings; the secret is shown once and works as a Bearer token', async () => {
    const created = await api('/api/account/tokens', { method: 'POST', cookie: ben.cookie, json: { name: 'Tone bot' } });
    expect(created.status).toBe(201);
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^parley_[A-Za-z0-9_-]{43}$/);
    const listed = await api('/api/account/tokens', { cookie: ben.cookie });
    expect(listed.body.tokens).toEqual([{ id: created.body.token.id, name: 'Tone bot', createdAt: created.body.token.createdAt, lastUsedAt: null }]);
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    expect((await api('/api/session', { token: secret })).body.user).toMatchObject({ id: ben.user.id, kind: 'member' });
    expect((await api('/api/account/tokens', { cookie: ben.cookie })).body.tokens[0].lastUsedAt).not.toBeNull();
    const room = await api('/api/rooms', { method: 'POST', token: secret, json: { title: 'Token room' } });
    expect(room.status).toBe(201);
    const socket = await TestSocket.open(server.url, undefined, { authorization: `Bearer ${secret}` });
    expect(await socket.request({ type: 'room.join', roomId: room.body.room.id })).toMatchObject({ type: 'room.snapshot' });
    socket.close();

    // A bad token is refused even when a good cookie comes with it.
    expect((await api('/api/session', { token: 'parley_not-a-real-token', cookie: ben.cookie })).status).toBe(401);
    expect((await api(`/api/account/tokens/${created.body.token.id}`, { method: 'DELETE', cookie: cy.cookie })).status).toBe(404);
    expect((await api(`/api/account/tokens/${created.body.token.id}`, { method: 'DELETE', cookie: ben.cookie })).status).toBe(204);
    expect((await api('/api/session', { token: secret })).status).toBe(401);
    await expect(TestSocket.open(server.url, undefined, { authorization: `Bearer ${secret}` })).rejects.toThrow(/401/);
  });
});

describe('guests', () => {
  it('listen to open rooms but may not host, accept an invitation to speak, publish, follow or make tokens', async () => {
    const guest = await api('/api/session', { method: 'POST', json: { displayName: 'Gil Guest' } });
    const cookie = guest.headers.getSetCookie()[0]!.split(';')[0]!;
    const host = await api('/api/rooms', { method: 'POST', cookie, json: { title: 'Guest room' } });
    expect(host.status).toBe(403);
    expect(host.body.error.message).toMatch(/Sign in with an account to host a room/);
    expect((await api('/api/account/tokens', { method: 'POST', cookie, json: { name: 'x' } })).status).toBe(403);
    expect((await api(`/api/users/${ada.username}/follow`, { method: 'PUT', cookie })).status).toBe(403);
    expect((await api('/api/account', { cookie })).status).toBe(403);

    const room = await api('/api/rooms', { method: 'POST', cookie: ada.cookie, json: { title: 'Members host' } });
    const roomId = room.body.room.id as string;
    const hostSocket = await TestSocket.open(server.url, ada.cookie);
    await hostSocket.request({ type: 'room.join', roomId });
    const guestSocket = await TestSocket.open(server.url, cookie);
    expect(await guestSocket.request({ type: 'room.join', roomId })).toMatchObject({ type: 'room.snapshot' });
    // Refused at the edge, before the stage rules: whatever the room's state, a guest does not go on stage.
    const accept = await guestSocket.request({ type: 'stage.acceptInvite', roomId });
    expect(accept).toMatchObject({ type: 'error', code: 'forbidden', message: expect.stringMatching(/Sign in with an account to speak/) });
    expect(await guestSocket.request({ type: 'media.publish', roomId, sdp: 'v=0\r\nforged offer' })).toMatchObject({ type: 'error', code: 'forbidden' });
    hostSocket.close();
    guestSocket.close();
  });
});
