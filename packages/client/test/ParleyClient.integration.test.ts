import { handQueue, ParleyError } from '@parley/protocol';
import { startServer, type RunningServer } from '@parley/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError } from '../src/errors';
import { silentLogger } from '../src/logger';
import type { MediaAdapter } from '../src/media';
import { ParleyClient } from '../src/ParleyClient';

/**
 * The stage flow needs no peers; media through the SDK is covered by the bot CLI test. Any media call
 * here is a bug in the test, so the adapter fails loudly.
 */
const noMedia: MediaAdapter = {
  publish: () => Promise.reject(new Error('media is not part of this test')),
  subscribe: () => Promise.reject(new Error('media is not part of this test')),
  close: () => undefined,
};

describe('ParleyClient against the real server', () => {
  let server: RunningServer;
  const clients: ParleyClient[] = [];

  function newClient(): ParleyClient {
    const client = new ParleyClient({ baseUrl: server.url, logger: silentLogger, pingIntervalMs: 0 });
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', dataDir: 'memory://', logLevel: 'warn' });
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await server?.close();
  });

  it('session.start() sets the cookie the client keeps; session.end() clears it', async () => {
    const client = newClient();
    expect(await client.session.get()).toBeNull();
    const user = await client.session.start('  Ada  ');
    expect(user).toMatchObject({ displayName: 'Ada', kind: 'guest' });
    expect(await client.session.get()).toEqual(user);
    await client.session.end();
    expect(await client.session.get()).toBeNull();
  });

  it('rejects invalid input with the server’s error code', async () => {
    const client = newClient();
    await expect(client.session.start('')).rejects.toMatchObject({ name: 'ParleyError', code: 'invalid_message' });
    await expect(client.rooms.create('No session')).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('refuses the WebSocket without a session', async () => {
    const client = newClient();
    const error = await client.joinRoom('room-does-not-matter', { media: noMedia }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(String(error)).toMatch(/401/);
  });

  it('accounts: the first sign-up is the admin, who invites a member; a guest may not host', async () => {
    const admin = newClient();
    const signedUp = await admin.accounts.signUp({ email: 'hana@example.org', password: 'hana hosts rooms', username: 'hana', displayName: 'Hana Host' });
    expect(signedUp.account).toMatchObject({ role: 'admin', username: 'hana', emailVerified: false });
    expect(await admin.session.get()).toEqual(signedUp.user);
    const invite = await admin.invites.create();
    const member = newClient();
    expect((await member.invites.lookup(invite.code)).username).toBe('hana');
    const joined = await member.accounts.signUp({ email: 'gil@example.org', password: 'gil speaks up', username: 'gil', displayName: 'Gil Guest', inviteCode: invite.code });
    expect(joined.account.role).toBe('member');
    expect((await member.profiles.get('gil')).invitedBy?.username).toBe('hana');

    const visitor = newClient();
    await visitor.session.start('Vee Visitor');
    await expect(visitor.rooms.create('Not for guests')).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('runs a room: join, raise hand, invite, accept, mute, move to audience, end', async () => {
    const host = newClient();
    const guest = newClient();
    const hostUser = (await host.accounts.signIn({ email: 'hana@example.org', password: 'hana hosts rooms' })).user;
    const guestUser = (await guest.accounts.signIn({ email: 'gil@example.org', password: 'gil speaks up' })).user;

    const room = await host.rooms.create('Integration room');
    expect(room).toMatchObject({ title: 'Integration room', status: 'live', hostId: hostUser.id });
    expect((await guest.rooms.get(room.id)).id).toBe(room.id);
    expect(host.roomLink(room.id)).toBe(`${server.url}/rooms/${room.id}`);

    const hostRoom = await host.joinRoom(room.id, { media: noMedia });
    expect(hostRoom.me).toMatchObject({ id: hostUser.id, role: 'host' });
    const guestRoom = await guest.joinRoom(room.id, { media: noMedia });
    expect(guestRoom.me).toMatchObject({ id: guestUser.id, role: 'listener' });
    expect((await guest.rooms.list()).map((r) => r.id)).toContain(room.id);

    // The host sees the guest arrive through a delta.
    await expect.poll(() => hostRoom.state.participants.map((p) => p.displayName)).toEqual(['Hana Host', 'Gil Guest']);

    // A listener cannot run the stage.
    await expect(guestRoom.inviteToSpeak(hostUser.id)).rejects.toBeInstanceOf(ParleyError);
    await expect(guestRoom.startSpeaking()).rejects.toMatchObject({ code: 'forbidden' });

    await guestRoom.raiseHand();
    await expect.poll(() => handQueue(hostRoom.state).map((p) => p.id)).toEqual([guestUser.id]);

    await hostRoom.inviteToSpeak(guestUser.id);
    await expect.poll(() => guestRoom.me?.invitedToSpeak).toBe(true);

    await guestRoom.acceptInvite();
    await expect.poll(() => hostRoom.state.participants.find((p) => p.id === guestUser.id)?.role).toBe('speaker');
    await expect.poll(() => guestRoom.me?.role).toBe('speaker');
    expect(hostRoom.state.room.speakerNames).toEqual(['Hana Host', 'Gil Guest']);

    await guestRoom.setMuted(true);
    await expect.poll(() => hostRoom.state.participants.find((p) => p.id === guestUser.id)?.muted).toBe(true);

    await hostRoom.moveToAudience(guestUser.id);
    await expect.poll(() => guestRoom.me?.role).toBe('listener');

    // Both sides folded the same deltas: their states agree but for `you`.
    await expect.poll(() => guestRoom.state.seq).toBe(hostRoom.state.seq);
    expect({ ...guestRoom.state, you: '' }).toEqual({ ...hostRoom.state, you: '' });

    const guestClosed = new Promise((resolve) => guestRoom.on('closed', resolve));
    await hostRoom.end();
    expect(hostRoom.closed).toBe('ended');
    expect(await guestClosed).toBe('ended');
    expect((await guest.rooms.list()).map((r) => r.id)).not.toContain(room.id);
    expect((await guest.rooms.get(room.id)).status).toBe('ended');
  });

  it('a bot with a personal API token hosts a room over HTTP and the WebSocket, until the token is revoked', async () => {
    const owner = newClient();
    await owner.accounts.signIn({ email: 'hana@example.org', password: 'hana hosts rooms' });
    const { token, secret } = await owner.tokens.create('Tone bot');
    const bot = new ParleyClient({ baseUrl: server.url, logger: silentLogger, pingIntervalMs: 0, token: secret });
    clients.push(bot);
    expect(await bot.session.get()).toMatchObject({ displayName: 'Hana Host', kind: 'member' });
    const room = await bot.rooms.create('Bot room');
    const session = await bot.joinRoom(room.id, { media: noMedia });
    expect(session.me?.role).toBe('host');
    expect((await owner.tokens.list()).map((t) => t.id)).toEqual([token.id]);
    await session.end();

    await owner.tokens.revoke(token.id);
    await expect(bot.rooms.create('After revoking')).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
