import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParleyClient, silentLogger, type RoomSession } from '@parley/client';
import { NodeMediaAdapter, releaseNativeResources } from '@parley/client/node';
import { startServer, type RunningServer } from '../src/index';
import { TestSocket } from './ws-client';
import { accountFactory, apiAt } from './http-helpers';

/**
 * Enforcement in the media plane, end to end: real server, real SFU, real Node peers sending and
 * decoding Opus. A moderator's decision must silence a speaker at every listener within 200 ms, and no
 * packet of someone off the stage may reach anyone.
 */
let server: RunningServer;
const adapters: NodeMediaAdapter[] = [];
const clients: ParleyClient[] = [];

beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: 'memory://', logLevel: 'silent', rtcBindAddress: '127.0.0.1', rateLimitFactor: 10, mediaThread: 'main' });
});
afterAll(async () => {
  for (const client of clients) client.close();
  for (const adapter of adapters) adapter.close();
  await server?.close();
  releaseNativeResources();
});

const api = apiAt(() => server.url);
const accounts = accountFactory(api);

/** A member with an SDK client signed in by a personal API token, as bots are. */
async function person(name: string, toneHz?: number): Promise<{ client: ParleyClient; media: NodeMediaAdapter; id: string }> {
  const member = await accounts.member(name);
  const created = await api('/api/account/tokens', { method: 'POST', cookie: member.cookie, json: { name: 'test' } });
  const client = new ParleyClient({ baseUrl: server.url, logger: silentLogger, token: created.body.secret });
  const media = new NodeMediaAdapter({ toneHz, bindAddress: '127.0.0.1' });
  clients.push(client);
  adapters.push(media);
  return { client, media, id: member.user.id };
}

/** Sample a counter every 2 ms and return when it last moved, relative to `since`. */
async function lastIncrease(read: () => number, since: number, windowMs: number): Promise<number> {
  let last = read();
  let lastAt = 0;
  while (performance.now() - since < windowMs) {
    await new Promise((resolve) => setTimeout(resolve, 2));
    const now = read();
    if (now !== last) {
      last = now;
      lastAt = performance.now() - since;
    }
  }
  return lastAt;
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line ? Number(line.split(' ').pop()) : NaN;
}

describe('media enforcement through the real server', () => {
  let roomId: string;
  let host: RoomSession;
  let speaker: { session: RoomSession; media: NodeMediaAdapter; id: string };
  let listener: { session: RoomSession; media: NodeMediaAdapter };

  beforeAll(async () => {
    const h = await person('Host');
    roomId = (await h.client.rooms.create('Enforcement')).id;
    host = await h.client.joinRoom(roomId, { media: h.media });
    const s = await person('Speaker', 440);
    speaker = { session: await s.client.joinRoom(roomId, { media: s.media }), media: s.media, id: s.id };
    const l = await person('Listener');
    listener = { session: await l.client.joinRoom(roomId, { media: l.media }), media: l.media };
    await listener.session.startListening();
  });

  async function bringSpeakerUp(): Promise<void> {
    await host.inviteToSpeak(speaker.id);
    await until(() => speaker.session.me?.invitedToSpeak === true);
    await speaker.session.acceptInvite();
    await speaker.session.startSpeaking();
    const before = listener.media.packetsReceived;
    await until(() => listener.media.packetsReceived > before + 25);
  }

  it('a speaker is heard: 440 Hz reaches the listener', async () => {
    await bringSpeakerUp();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(listener.media.dominantFrequencyHz()).toBeGreaterThan(435);
    expect(listener.media.dominantFrequencyHz()).toBeLessThan(445);
  });

  it('stage.mute by a moderator: the tone stops reaching the listener within 200 ms', async () => {
    const t0 = performance.now();
    await host.mute(speaker.id);
    const last = await lastIncrease(() => listener.media.packetsReceived, t0, 700);
    console.info(`[figure] mute → last packet at the listener after ${last.toFixed(0)} ms`);
    expect(last).toBeLessThan(200);
    // The speaker may unmute themselves, and is heard again.
    const before = listener.media.packetsReceived;
    await speaker.session.setMuted(false);
    await until(() => listener.media.packetsReceived > before + 10);
  });

  it('stage.moveToAudience: the tone stops within 200 ms and the publish leg is closed', async () => {
    const t0 = performance.now();
    await host.moveToAudience(speaker.id);
    const last = await lastIncrease(() => listener.media.packetsReceived, t0, 700);
    console.info(`[figure] move to audience → last packet at the listener after ${last.toFixed(0)} ms`);
    expect(last).toBeLessThan(200);
    expect(await metric('parley_media_legs{leg="publish"}')).toBe(0);
  });

  it('a listener forcing a publish is refused and no packet of theirs gets through', async () => {
    const forger = await person('Forger', 1000);
    const cookie = await (async () => {
      // The forger speaks the raw protocol: a hand-crafted media.publish from a listener.
      const res = await fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ displayName: 'Raw forger' }) });
      return res.headers.get('set-cookie')!.split(';')[0]!;
    })();
    const socket = await TestSocket.open(server.url, cookie);
    await socket.request({ type: 'room.join', roomId });
    const before = listener.media.packetsReceived;
    await expect(
      forger.media.publish(async (offer) => {
        const reply = await socket.request({ type: 'media.publish', roomId, sdp: offer });
        if (reply.type !== 'media.answer') throw new Error(`refused: ${reply.type === 'error' ? reply.code : reply.type}`);
        return reply.sdp;
      }),
    ).rejects.toThrow(/forbidden/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(listener.media.packetsReceived).toBe(before);
    expect(await metric('parley_media_legs{leg="publish"}')).toBe(0);
    socket.close();
  });

  it('stage.remove: the removed speaker is cut off at once, their peers closed, and they cannot rejoin', async () => {
    await bringSpeakerUp();
    expect(await metric('parley_media_legs{leg="publish"}')).toBe(1);
    const closed = new Promise<string>((resolve) => speaker.session.on('closed', resolve));
    const t0 = performance.now();
    await host.remove(speaker.id);
    const last = await lastIncrease(() => listener.media.packetsReceived, t0, 700);
    console.info(`[figure] remove → last packet at the listener after ${last.toFixed(0)} ms`);
    expect(last).toBeLessThan(200);
    expect(await closed).toBe('removed');
    expect(await metric('parley_media_legs{leg="publish"}')).toBe(0);
    expect(await metric('parley_media_legs{leg="subscribe"}')).toBe(1);
    expect(speaker.session.closed).toBe('removed');
    const client = clients[1]!;
    await expect(client.joinRoom(roomId, { media: speaker.media })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
