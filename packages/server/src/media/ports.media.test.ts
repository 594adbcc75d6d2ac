import { NodeMediaAdapter } from '@parley/client/node';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from './media-test-helpers';
import { freeUdpPorts } from './udp-ports';
import { NdcMediaEngine } from './NdcMediaEngine';

// RTC_PORTS: real Node peers through the SFU, spread over three ICE mux ports.
const firstPort = await freeUdpPorts(3);
const engine = new NdcMediaEngine({ bindAddress: '127.0.0.1', rtcPort: firstPort, rtcPorts: 3 });
const adapters: NodeMediaAdapter[] = [];

afterAll(async () => {
  for (const adapter of adapters) adapter.close();
  await engine.close();
});

/** The ports of the UDP host candidates in an SDP. */
function candidatePorts(sdp: string): number[] {
  return sdp
    .split(/\r?\n/)
    .filter((line) => line.startsWith('a=candidate:') && / udp /i.test(line) && line.includes(' typ host'))
    .map((line) => Number(line.split(' ')[5]));
}

describe('RTC_PORTS: peers spread over several ICE mux ports', () => {
  it('takes the ports in turn, and audio crosses from a peer on one port to peers on the others', async () => {
    const room = engine.room('ports');
    const ports = new Set<number>();
    room.setPublishAllowed('speaker', true);
    const speaker = new NodeMediaAdapter({ toneHz: 440 });
    const published = await speaker.publish(async (offerSdp) => {
      const answer = await room.publish('speaker', offerSdp);
      for (const port of candidatePorts(answer)) ports.add(port);
      return answer;
    });
    await published.connected(8000);
    adapters.push(speaker);
    const listeners: NodeMediaAdapter[] = [];
    for (const id of ['ann', 'ben', 'cay']) {
      const offer = await room.subscribe(id);
      for (const port of candidatePorts(offer)) ports.add(port);
      const adapter = new NodeMediaAdapter();
      adapters.push(adapter);
      const leg = await adapter.subscribe(offer);
      await room.acceptAnswer(id, leg.answerSdp);
      await leg.connected(8000);
      listeners.push(adapter);
    }
    // Four peers over three ports: every port serves one at least.
    expect([...ports].sort()).toEqual([firstPort, firstPort + 1, firstPort + 2]);
    for (const listener of listeners) {
      await waitFor(() => Math.abs((listener.slots[0]?.dominantFrequencyHz() ?? 0) - 440) <= 5, 8000, 'the tone at each listener');
    }
  });
});
