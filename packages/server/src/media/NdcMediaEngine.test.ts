import type { NodeMediaAdapter } from '@parley/client/node';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { SpeakingLevel } from './engine';
import { startListener, startSpeaker, sleep, waitFor } from './media-test-helpers';
import { NdcMediaEngine } from './NdcMediaEngine';

// Real peers on 127.0.0.1: the SFU in this process, Node peers (node-datachannel + Opus) around it.
const engine = new NdcMediaEngine({ bindAddress: '127.0.0.1' });
const adapters: NodeMediaAdapter[] = [];
let roomCounter = 0;

function newRoom() {
  roomCounter += 1;
  return engine.room(`room-${roomCounter}`);
}

function track(adapter: NodeMediaAdapter): NodeMediaAdapter {
  adapters.push(adapter);
  return adapter;
}

afterEach(() => {
  for (const adapter of adapters.splice(0)) adapter.close();
});

afterAll(async () => {
  await engine.close();
});

/** A room where allowed speaker alice (440 Hz) is heard by listener bob; records `speaking` events. */
async function aliceToBob() {
  const room = newRoom();
  const speaking: SpeakingLevel[][] = [];
  room.on('speaking', (levels) => speaking.push(levels));
  room.setPublishAllowed('alice', true);
  const alice = track(await startSpeaker(room, 'alice', { toneHz: 440 }));
  const bob = track(await startListener(room, 'bob'));
  return { room, speaking, alice, bob };
}

describe('NdcMediaEngine', () => {
  it('room.publish() + room.subscribe(): a 440 Hz tone in is a 440 Hz tone out, without loss', async () => {
    const { room, speaking, alice, bob } = await aliceToBob();
    await waitFor(() => bob.packetsReceived > 0, 5000, 'first packet at the listener');
    const sent0 = alice.packetsSent;
    const received0 = bob.packetsReceived;
    await sleep(2500);
    const sent = alice.packetsSent - sent0;
    const received = bob.packetsReceived - received0;
    const frequency = bob.dominantFrequencyHz();
    console.info(`[media] 440 Hz: sent ${sent}, received ${received}, lost ${bob.packetsLost}, heard ${frequency.toFixed(2)} Hz`);

    expect(sent).toBeGreaterThan(100);
    expect(received / sent).toBeGreaterThanOrEqual(0.95);
    expect(bob.packetsLost).toBeLessThanOrEqual(Math.ceil(bob.packetsReceived * 0.02)); // loopback under load may drop a few
    expect(Math.abs(frequency - 440)).toBeLessThanOrEqual(5);
    expect(bob.slots.filter((slot) => slot.packetsReceived > 0)).toHaveLength(1);
    const stats = room.stats();
    expect(stats).toMatchObject({ publishers: 1, subscribers: 1, packetsDropped: 0 });
    expect(stats.packetsForwarded).toBeGreaterThanOrEqual(bob.packetsReceived);
    // The speaker is reported speaking (its audio-level extension reads above the −50 dBov
    // threshold), once: the event fires when the set of speakers changes.
    const alone = speaking.at(-1);
    expect(alone?.map((level) => level.participantId)).toEqual(['alice']);
    expect(alone?.[0]?.level).toBeGreaterThan(-50);
    expect(speaking.length).toBeLessThanOrEqual(2);
  });

  it('room.setPublishAllowed(false) stops a speaker at once and counts the drops', async () => {
    const { room, speaking, bob } = await aliceToBob();
    await waitFor(() => bob.packetsReceived > 25, 5000, 'audio at the listener');

    const receivedAtStop = bob.packetsReceived;
    const stoppedAt = Date.now();
    room.setPublishAllowed('alice', false);
    const droppedBefore = room.stats().packetsDropped;
    await sleep(600);
    // Latency of the stop = arrival of the last packet at the listener − the call (≤ 0: none after it).
    const dropLatency = (bob.slots[0]?.stats().lastPacketAt ?? 0) - stoppedAt;
    const received = bob.packetsReceived;
    await sleep(400);
    const dropped = room.stats().packetsDropped - droppedBefore;
    console.info(
      `[media] setPublishAllowed(false): ${received - receivedAtStop} packets arrived after the call, ` +
        `last one ${dropLatency} ms after it; ${dropped} dropped in the next second`,
    );

    expect(dropLatency).toBeLessThan(200);
    expect(received - receivedAtStop).toBeLessThanOrEqual(2); // at most what was already in flight
    expect(bob.packetsReceived).toBe(received);
    expect(dropped).toBeGreaterThan(30);
    expect(speaking.at(-1)).toEqual([]);

    // Allowed again: audio resumes on the same slot, as one continuous stream.
    room.setPublishAllowed('alice', true);
    await waitFor(() => bob.packetsReceived > received + 25, 3000, 'audio after allowing again');
    expect(bob.slots.filter((slot) => slot.packetsReceived > 0)).toHaveLength(1);
  });

  it('room.publish() by a participant never allowed (a listener forcing a publish) forwards nothing', async () => {
    const room = newRoom();
    const bob = track(await startListener(room, 'bob'));
    const mallory = track(await startSpeaker(room, 'mallory', { toneHz: 1000 }));
    await waitFor(() => mallory.packetsSent > 50, 5000, 'the forced publish to send');
    await sleep(200);
    const stats = room.stats();
    console.info(`[media] never-allowed publisher: sent ${mallory.packetsSent}, dropped ${stats.packetsDropped}, forwarded ${stats.packetsForwarded}`);
    expect(bob.packetsReceived).toBe(0);
    expect(stats.packetsForwarded).toBe(0);
    expect(stats.packetsDropped).toBeGreaterThan(40);
    expect(stats.packetsDropped).toBe(stats.packetsIn);
  });

  it('room.removeParticipant() closes both legs of the participant at once', async () => {
    const room = newRoom();
    room.setPublishAllowed('alice', true);
    const alice = track(await startSpeaker(room, 'alice', { toneHz: 440 }));
    await startListener(room, 'alice', alice);
    const bob = track(await startListener(room, 'bob'));
    await waitFor(() => bob.packetsReceived > 10, 5000, 'audio at the listener');

    room.removeParticipant('bob');
    expect(room.stats()).toMatchObject({ publishers: 1, subscribers: 1 });
    const bobReceived = bob.packetsReceived;
    await sleep(300);
    expect(bob.packetsReceived).toBeLessThanOrEqual(bobReceived + 1);

    room.removeParticipant('alice');
    expect(room.stats()).toMatchObject({ publishers: 0, subscribers: 0 });
    const packetsIn = room.stats().packetsIn;
    await sleep(300);
    expect(alice.packetsSent).toBeGreaterThan(0);
    expect(room.stats().packetsIn).toBe(packetsIn); // the closed peer no longer delivers anything
    await expect(room.acceptAnswer('bob', 'v=0')).rejects.toThrow();
  });

  it('room.closePublisher() stops forwarding and frees the slot for another speaker', async () => {
    const room = newRoom();
    room.setPublishAllowed('alice', true);
    room.setPublishAllowed('carol', true);
    const alice = track(await startSpeaker(room, 'alice', { toneHz: 440 }));
    const bob = track(await startListener(room, 'bob'));
    await waitFor(() => bob.packetsReceived > 10, 5000, 'audio from alice');
    expect(engine.room(room.roomId).slotAssignment('bob')).toEqual(['alice', null, null]);
    const ssrcBefore = bob.slots[0]?.stats().ssrc;

    room.closePublisher('alice');
    expect(room.stats().publishers).toBe(0);
    expect(engine.room(room.roomId).slotAssignment('bob')).toEqual([null, null, null]);
    track(await startSpeaker(room, 'carol', { toneHz: 1000 }));
    await waitFor(() => engine.room(room.roomId).slotAssignment('bob')?.[0] === 'carol', 3000, 'carol on slot 0');
    // Slot 0 now carries carol's 1000 Hz tone, in the same stream (same SSRC, no sequence gap).
    await waitFor(() => Math.abs(bob.dominantFrequencyHz(0) - 1000) <= 5, 5000, '1000 Hz on slot 0');
    expect(bob.slots[0]?.stats().ssrc).toBe(ssrcBefore);
    expect(bob.packetsLost).toBeLessThanOrEqual(Math.ceil(bob.packetsReceived * 0.02)); // loopback under load may drop a few
    expect(alice.packetsSent).toBeGreaterThan(0);
  });

  it('sends RTCP sender reports on a slot that carries audio, with the slot SSRC and its counts', async () => {
    const { bob } = await aliceToBob();
    // One report per active slot every 5 s, the first within 5 s of the slot starting.
    await waitFor(() => (bob.slots[0]?.stats().senderReports ?? 0) > 0, 7000, 'a sender report on slot 0');
    const slot = bob.slots[0]!.stats();
    const report = slot.lastSenderReport!;
    expect(report.ssrc).toBe(slot.ssrc);
    expect(report.packetCount).toBeGreaterThan(0);
    expect(report.packetCount).toBeLessThanOrEqual(slot.packetsReceived + 5);
    // Opus at 32 kbit/s: tens of payload bytes per packet.
    expect(report.octetCount / report.packetCount).toBeGreaterThan(10);
    expect(report.octetCount / report.packetCount).toBeLessThan(400);
    // Idle slots report nothing.
    expect(bob.slots.slice(1).every((idle) => idle.stats().senderReports === 0)).toBe(true);
  });
});
