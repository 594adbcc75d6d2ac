import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ThreadMediaEngine } from './ThreadMediaEngine';

// node-datachannel lives on the media thread only, and a process can start one media thread in its
// life: every test here shares one engine, and none opens peers on the test's own thread (audio end
// to end through the media thread: test/media-thread.test.ts and the E2E suite, which run `parley
// serve`).

/** A sendonly Opus offer as a speaker's peer makes it (the SFU answers it; nothing connects here). */
const SPEAKER_OFFER = [
  'v=0',
  'o=rtc 1000034794 0 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=msid-semantic:WMS *',
  'a=ice-options:ice2,trickle',
  'a=fingerprint:sha-256 19:45:74:83:E0:4D:60:9D:85:DD:93:46:C3:25:C8:5C:87:B9:9E:C9:98:4D:EA:2E:33:75:50:B7:59:B3:6C:32',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 0.0.0.0',
  'a=mid:0',
  'a=sendonly',
  'a=ssrc:1234 cname:c',
  'a=msid:s t',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'a=setup:actpass',
  'a=ice-ufrag:rcrM',
  'a=ice-pwd:ZV/wXQAryBd1YUQsekOqsm',
  '',
].join('\r\n');

const lines: { level: string; message: string }[] = [];
const logger = {
  debug: () => {},
  info: (_fields: object, message: string) => lines.push({ level: 'info', message }),
  warn: (_fields: object, message: string) => lines.push({ level: 'warn', message }),
};
let engine: ThreadMediaEngine;

beforeAll(async () => {
  engine = await ThreadMediaEngine.start({ bindAddress: '127.0.0.1', logger, logLevel: 'info' });
});

afterAll(async () => {
  await engine.close();
});

/** The worker behind the engine (tests only). */
function workerOf(engine: ThreadMediaEngine): Worker {
  return (engine as unknown as { worker: Worker }).worker;
}

describe('ThreadMediaEngine (the SFU on its own thread)', () => {
  it('negotiates both legs on the media thread, counts them and relays its log lines', async () => {
    const room = engine.createRoom('room-a');
    expect(engine.createRoom('room-a')).toBe(room);

    const answer = await room.publish('alice', SPEAKER_OFFER);
    expect(answer).toMatch(/^v=0/);
    expect(answer).toContain('a=recvonly');
    const offer = await room.subscribe('bob');
    // Three audio slots, each a sendonly Opus track.
    expect(offer.match(/^m=audio /gm)).toHaveLength(3);
    expect(offer.match(/^a=sendonly/gm)).toHaveLength(3);

    const stats = await engine.mediaStats();
    expect(stats).toMatchObject({ rooms: 1, publishers: 1, subscribers: 1 });
    expect(Object.keys(stats.peers).sort()).toEqual([expect.stringMatching(/^publish /), expect.stringMatching(/^subscribe /)]);
    expect(await room.stats()).toMatchObject({ publishers: 1, subscribers: 1, packetsIn: 0 });
    const thread = await engine.threadStats();
    expect(thread.loopDelay.p99).toBeGreaterThan(0);
    expect(thread.loopDelay.max).toBeGreaterThanOrEqual(thread.loopDelay.p99);
    expect(thread.heapUsedBytes).toBeGreaterThan(1_000_000);
    expect(lines.some((line) => line.message === 'publisher added')).toBe(true);

    room.removeParticipant('alice');
    room.removeParticipant('bob');
    // Orders are applied in the order sent: the stats call after them sees both legs gone.
    expect(await engine.mediaStats()).toMatchObject({ publishers: 0, subscribers: 0 });
    room.close();
  });

  it('rejects a bad negotiation with the engine\'s reason and keeps serving', async () => {
    const room = engine.createRoom('room-b');
    await expect(room.acceptAnswer('nobody', 'v=0\r\n')).rejects.toThrow('no subscribe leg for participant nobody');
    await expect(room.publish('mallory', 'not an SDP')).rejects.toThrow();
    expect(await room.subscribe('carol')).toMatch(/^v=0/);
    room.close();
  });

  it('closing a room closes its peers; a later room under the same id starts afresh', async () => {
    const room = engine.createRoom('room-c');
    await room.subscribe('dave');
    room.close();
    await expect(room.subscribe('erin')).rejects.toThrow('is closed');
    expect(await engine.mediaStats()).toMatchObject({ rooms: 0, subscribers: 0 });
    const again = engine.createRoom('room-c');
    expect(again).not.toBe(room);
    await again.subscribe('erin');
    expect(await engine.mediaStats()).toMatchObject({ rooms: 1, subscribers: 1 });
  });

  it('gives up on a call not answered in time; the late answer is dropped and the engine keeps serving', async () => {
    const room = engine.createRoom('room-d');
    // 0 ms: given up before the thread can answer (a subscribe waits at least one gathering poll).
    await expect(engine.call({ op: 'subscribe', roomId: 'room-d', participantId: 'frank' }, 0)).rejects.toThrow(
      'the media thread did not answer (subscribe) within 0 ms',
    );
    expect(lines.some((line) => line.level === 'warn' && line.message === 'media thread did not answer in time')).toBe(true);
    // The thread finishes it all the same (its answer goes nowhere), and later calls are answered.
    expect(await room.subscribe('grace')).toMatch(/^v=0/);
    await vi.waitFor(async () => expect(await room.stats()).toMatchObject({ subscribers: 2 }));
    room.removeParticipant('frank');
    expect(await room.stats()).toMatchObject({ subscribers: 1 });
    room.close();
  });

  it('close() ends the thread; the engine then refuses work', async () => {
    // Last: the engine cannot be started again in this process.
    await engine.createRoom('room-e').subscribe('heidi');
    const worker = workerOf(engine);
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    await engine.close();
    expect(await exited).toBe(0);
    expect(() => engine.createRoom('room-f')).toThrow('closed');
    await expect(engine.mediaStats()).rejects.toThrow('closed');
  });
});
