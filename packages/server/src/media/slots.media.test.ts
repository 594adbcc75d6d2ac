import type { NodeMediaAdapter } from '@parley/client/node';
import { afterAll, describe, expect, it } from 'vitest';
import { startListener, startSpeaker, waitFor } from './media-test-helpers';
import { freeUdpPorts } from './udp-ports';
import { NdcMediaEngine } from './NdcMediaEngine';

// Four speakers, three slots: real Node peers through the SFU on 127.0.0.1 (one UDP port, ICE mux).
const engine = new NdcMediaEngine({ bindAddress: '127.0.0.1', rtcPort: await freeUdpPorts(), audioSlots: 3 });
const adapters: NodeMediaAdapter[] = [];

afterAll(async () => {
  for (const adapter of adapters) adapter.close();
  await engine.close();
});

/** Frequencies heard on each slot that carries audio, rounded to the nearest Hz, sorted. */
function heard(adapter: NodeMediaAdapter): number[] {
  return adapter.slots
    .map((slot) => slot.dominantFrequencyHz())
    .filter((hz) => !Number.isNaN(hz))
    .map((hz) => Math.round(hz))
    .sort((a, b) => a - b);
}

function near(actual: number[], expected: number[]): boolean {
  return actual.length === expected.length && actual.every((hz, i) => Math.abs(hz - (expected[i] ?? 0)) <= 5);
}

describe('audio slots', () => {
  it('a subscriber hears the 3 loudest of 4 speakers, and a speaker never hears itself', async () => {
    const room = engine.room('stage');
    // Distinct tones at distinct levels: 300 Hz loudest … 900 Hz quietest (−9, −11, −15, −29 dBov).
    const speakers = [
      { id: 's300', toneHz: 300, toneAmplitude: 0.5 },
      { id: 's500', toneHz: 500, toneAmplitude: 0.4 },
      { id: 's700', toneHz: 700, toneAmplitude: 0.25 },
      { id: 's900', toneHz: 900, toneAmplitude: 0.05 },
    ];
    const publishers: NodeMediaAdapter[] = [];
    for (const { id, toneHz, toneAmplitude } of speakers) {
      room.setPublishAllowed(id, true);
      const adapter = await startSpeaker(room, id, { toneHz, toneAmplitude });
      adapters.push(adapter);
      publishers.push(adapter);
    }
    // The loudest speaker also listens: its slots must carry the other three, never its own tone.
    const loudest = publishers[0] as NodeMediaAdapter;
    await startListener(room, 's300', loudest);
    const listener = await startListener(room, 'listener');
    adapters.push(listener);

    await waitFor(() => near(heard(listener), [300, 500, 700]), 8000, 'the three loudest at the listener').catch((error: Error) => {
      const state = { heard: heard(listener), slots: listener.receiveStats().slots, assignment: engine.room('stage').slotAssignment('listener'), stats: room.stats() };
      throw new Error(`${error.message}: ${JSON.stringify(state)}`);
    });
    await waitFor(() => near(heard(loudest), [500, 700, 900]), 8000, 'the other three at the loudest speaker');
    const assignment = engine.room('stage').slotAssignment('listener') ?? [];
    console.info(`[media] slots: listener hears ${heard(listener).join(', ')} Hz (${assignment.join(', ')}); s300 hears ${heard(loudest).join(', ')} Hz`);
    expect([...assignment].sort()).toEqual(['s300', 's500', 's700']);
    expect(engine.room('stage').slotAssignment('s300')).not.toContain('s300');
    expect(listener.packetsLost).toBeLessThanOrEqual(Math.ceil(listener.packetsReceived * 0.02)); // loopback under load may drop a few

    // The quiet speaker takes a slot as soon as a louder one is stopped, on the freed slot only.
    const before = engine.room('stage').slotAssignment('listener') ?? [];
    room.setPublishAllowed('s500', false);
    const after = engine.room('stage').slotAssignment('listener') ?? [];
    const freed = before.indexOf('s500');
    expect(after[freed]).toBe('s900');
    expect(after.filter((id, i) => i !== freed)).toEqual(before.filter((id, i) => i !== freed));
    await waitFor(() => near(heard(listener), [300, 700, 900]), 5000, 'the 900 Hz speaker on the freed slot');
    // Each slot stays one stream: same SSRC, no sequence jump across the switch. A wrong rewrite shows
    // as a jump of hundreds or thousands; a loaded 2-core machine may lose a few datagrams on loopback.
    expect(listener.packetsLost).toBeLessThanOrEqual(Math.ceil(listener.packetsReceived * 0.02));
    expect(listener.slots.map((slot) => slot.stats().ssrc).filter((ssrc) => ssrc !== undefined)).toHaveLength(3);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const exact = listener.slots.map((slot) => slot.dominantFrequencyHz().toFixed(2));
    console.info(`[media] after the switch: slots at ${exact.join(', ')} Hz, ${listener.packetsReceived} packets, ${listener.packetsLost} lost`);
  });
});
