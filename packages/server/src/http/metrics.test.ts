import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParleyClient, silentLogger, type ParleyClientOptions } from '@parley/client';
import WebSocket from 'ws';
import { NodeMediaAdapter, releaseNativeResources } from '@parley/client/node';
import { startServer, type RunningServer } from '../index';

// /metrics of a real server while real Node peers speak and listen through its SFU.
let server: RunningServer;
const clients: ParleyClient[] = [];
const adapters: NodeMediaAdapter[] = [];

beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: 'memory://', logLevel: 'silent', rtcBindAddress: '127.0.0.1', mediaThread: 'main' });
});

afterAll(async () => {
  for (const client of clients) client.close();
  for (const adapter of adapters) adapter.close();
  await server?.close();
  releaseNativeResources();
});

async function scrape(): Promise<{ contentType: string | null; values: Map<string, number> }> {
  const response = await fetch(`${server.url}/metrics`);
  expect(response.status).toBe(200);
  const values = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    values.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return { contentType: response.headers.get('content-type'), values };
}

/** A signed-in member (hosting needs an account): its session cookie rides on every request. */
async function member(name: string): Promise<Pick<ParleyClientOptions, 'fetch' | 'webSocketFactory'>> {
  const username = `metrics${Date.now().toString(36)}`;
  const response = await fetch(`${server.url}/api/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `${username}@example.org`, password: `correct horse ${username}`, username, displayName: name }),
  });
  expect(response.status).toBe(201);
  const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return {
    fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie } }),
    webSocketFactory: (url, headers) => new WebSocket(url, { headers: { ...headers, cookie } }),
  };
}

async function person(name: string, toneHz?: number, asMember = false) {
  const transport = asMember ? await member(name) : {};
  const client = new ParleyClient({ baseUrl: server.url, logger: silentLogger, ...transport });
  const media = new NodeMediaAdapter({ toneHz, decode: false });
  clients.push(client);
  adapters.push(media);
  if (!asMember) await client.session.start(name);
  return { client, media };
}

async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('GET /metrics', () => {
  it('serves Prometheus text with process metrics and zeroed SFU counters before any room', async () => {
    const { contentType, values } = await scrape();
    expect(contentType).toContain('text/plain');
    expect(values.get('parley_rooms_live')).toBe(0);
    expect(values.get('parley_rtp_packets_forwarded_total')).toBe(0);
    expect(values.get('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(values.has('nodejs_eventloop_lag_p99_seconds')).toBe(true);
    expect(values.has('parley_cpu_microseconds_per_forwarded_packet')).toBe(true);
  });

  it('publishes the event-loop sampling interval, which the delay figures include', async () => {
    await scrape(); // each scrape starts the histograms afresh
    await new Promise((resolve) => setTimeout(resolve, 250));
    const { values } = await scrape();
    const interval = values.get('parley_eventloop_sample_interval_seconds');
    expect(interval).toBe(0.01);
    // An almost idle loop for ~25 samples: its median "delay" is the interval itself, not ~0 — the
    // histogram records the time between two samples, so a reader subtracts the interval.
    expect(values.get('nodejs_eventloop_lag_p50_seconds')).toBeGreaterThanOrEqual(0.9 * interval!);
  });

  it('counts rooms, participants, peers, and forwarded packets and bytes as audio flows', async () => {
    const host = await person('Metrics host', 440, true);
    const room = await host.client.rooms.create('Metrics');
    const hostSession = await host.client.joinRoom(room.id, { media: host.media });
    await hostSession.startSpeaking();
    const listener = await person('Metrics listener');
    const listenerSession = await listener.client.joinRoom(room.id, { media: listener.media });
    await listenerSession.startListening();
    await until(() => listener.media.packetsReceived > 10, 'audio at the listener');

    const first = (await scrape()).values;
    expect(first.get('parley_rooms_live')).toBe(1);
    expect(first.get('parley_participants')).toBe(2);
    expect(first.get('parley_media_rooms')).toBe(1);
    expect(first.get('parley_media_legs{leg="publish"}')).toBe(1);
    expect(first.get('parley_media_legs{leg="subscribe"}')).toBe(1);
    expect(first.get('parley_peers{leg="subscribe",state="connected"}')).toBe(1);
    expect(first.get('parley_peers{leg="publish",state="connected"}')).toBe(1);
    const forwarded = first.get('parley_rtp_packets_forwarded_total') ?? 0;
    expect(forwarded).toBeGreaterThanOrEqual(10);
    expect(first.get('parley_rtp_packets_received_total')).toBeGreaterThanOrEqual(forwarded);

    // Half a second later the counters have moved by about 25 packets (one 20 ms frame each).
    await new Promise((resolve) => setTimeout(resolve, 500));
    const second = (await scrape()).values;
    const moved = (second.get('parley_rtp_packets_forwarded_total') ?? 0) - forwarded;
    expect(moved).toBeGreaterThanOrEqual(10);
    const bytesMoved = (second.get('parley_rtp_bytes_forwarded_total') ?? 0) - (first.get('parley_rtp_bytes_forwarded_total') ?? 0);
    // An Opus packet at 32 kbit/s is ~80 bytes of payload plus header: between 20 and 1500 bytes.
    expect(bytesMoved / moved).toBeGreaterThan(20);
    expect(bytesMoved / moved).toBeLessThan(1500);
    expect(second.get('parley_rtp_packets_dropped_total')).toBe(0);
    expect(listener.media.packetsReceived).toBeGreaterThanOrEqual(moved);

    // Room broadcasts: the host muting themself is one more, sent to both participants.
    const before = (await scrape()).values;
    await hostSession.setMuted(true);
    await until(() => listenerSession.state.participants.some((p) => p.muted), 'the mute at the listener');
    const raised = (await scrape()).values;
    expect((raised.get('parley_room_broadcasts_total') ?? 0) - (before.get('parley_room_broadcasts_total') ?? 0)).toBeGreaterThanOrEqual(1);
    expect((raised.get('parley_room_broadcast_frames_total') ?? 0) - (before.get('parley_room_broadcast_frames_total') ?? 0)).toBeGreaterThanOrEqual(2);
    expect(raised.get('parley_room_broadcast_seconds_total')).toBeGreaterThan(0);

    // Counters never go backwards once the room closes.
    await hostSession.end();
    await until(async () => (await scrape()).values.get('parley_media_rooms') === 0, 'the media room to close');
    const after = (await scrape()).values;
    expect(after.get('parley_rtp_packets_forwarded_total')).toBeGreaterThanOrEqual(second.get('parley_rtp_packets_forwarded_total') ?? 0);
  });
});
