import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParleyClient, silentLogger, type RoomSession } from '@parley/client';
import { NodeMediaAdapter, releaseNativeResources } from '@parley/client/node';
import { startServer, type RunningServer } from '../src/index';
import { accountFactory, apiAt } from './http-helpers';

/**
 * A guest who came by a one-time speaker link is heard, through the real server and the real SFU,
 * with Node peers that send and decode Opus: the stage rules let them publish in that room, the SFU
 * forwards their audio, and revoking the link silences them.
 */
let server: RunningServer;
const adapters: NodeMediaAdapter[] = [];
const clients: ParleyClient[] = [];
const api = apiAt(() => server.url);
const accounts = accountFactory(api);

beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: 'memory://', logLevel: 'silent', rtcBindAddress: '127.0.0.1', rateLimitFactor: 10, mediaThread: 'main' });
});
afterAll(async () => {
  for (const client of clients) client.close();
  for (const adapter of adapters) adapter.close();
  await server?.close();
  releaseNativeResources();
});

function client(token?: string): ParleyClient {
  const made = new ParleyClient({ baseUrl: server.url, logger: silentLogger, ...(token ? { token } : {}) });
  clients.push(made);
  return made;
}

function media(toneHz?: number): NodeMediaAdapter {
  const made = new NodeMediaAdapter({ toneHz, bindAddress: '127.0.0.1' });
  adapters.push(made);
  return made;
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a speaker-link guest through the real SFU', () => {
  let host: ParleyClient;
  let roomId: string;
  let listenerMedia: NodeMediaAdapter;
  let guest: RoomSession;
  let linkId: string;

  beforeAll(async () => {
    const member = await accounts.member('Host');
    const token = (await api('/api/account/tokens', { method: 'POST', cookie: member.cookie, json: { name: 'test' } })).body.secret;
    host = client(token);
    roomId = (await host.rooms.create('Guest on air')).id;
    await host.joinRoom(roomId, { media: media() });
    listenerMedia = media();
    const listener = client();
    await listener.session.start('Lis');
    const listening = await listener.joinRoom(roomId, { media: listenerMedia });
    await listening.startListening();
  });

  it('opens the link without an account, joins on stage, and is heard: 660 Hz reaches the listener', async () => {
    const { url, link } = await host.speakerLinks.create({ roomId, guestName: 'Gina Guest' });
    linkId = link.id;
    const visitor = client();
    const redeemed = await visitor.speakerLinks.redeem(url.split('/').pop()!);
    expect(redeemed.user).toMatchObject({ displayName: 'Gina Guest', kind: 'guest' });
    guest = await visitor.joinRoom(roomId, { media: media(660) });
    expect(guest.me).toMatchObject({ role: 'speaker', guest: true, speakerLink: true });
    await guest.startSpeaking();
    const before = listenerMedia.packetsReceived;
    await until(() => listenerMedia.packetsReceived > before + 25);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(listenerMedia.dominantFrequencyHz()).toBeGreaterThan(655);
    expect(listenerMedia.dominantFrequencyHz()).toBeLessThan(665);
  });

  it('revoking the link takes the guest out: their audio stops reaching the listener', async () => {
    const closed = new Promise<string>((resolve) => guest.on('closed', resolve));
    await host.speakerLinks.revoke(linkId);
    expect(await closed).toBe('revoked');
    const stoppedAt = listenerMedia.packetsReceived;
    await new Promise((resolve) => setTimeout(resolve, 500));
    // A packet or two may have been in flight when the leg closed.
    expect(listenerMedia.packetsReceived - stoppedAt).toBeLessThan(5);
  });
});
