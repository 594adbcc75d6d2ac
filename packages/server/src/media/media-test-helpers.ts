import { isTransientNegotiationError, NodeMediaAdapter, type NodeMediaAdapterOptions } from '@parley/client/node';
import type { MediaRoom } from './engine';

/** Test helper: a Node peer publishing a tone into `room` as `participantId`. */
export async function startSpeaker(
  room: MediaRoom,
  participantId: string,
  options: NodeMediaAdapterOptions,
): Promise<NodeMediaAdapter> {
  const adapter = new NodeMediaAdapter(options);
  await adapter.publish((offerSdp) => room.publish(participantId, offerSdp));
  return adapter;
}

/** Test helper: subscribe `participantId` with a Node peer (a new one unless given). */
export async function startListener(
  room: MediaRoom,
  participantId: string,
  adapter: NodeMediaAdapter = new NodeMediaAdapter(),
): Promise<NodeMediaAdapter> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const offerSdp = await room.subscribe(participantId);
      const leg = await adapter.subscribe(offerSdp);
      await room.acceptAnswer(participantId, leg.answerSdp);
      return adapter;
    } catch (error) {
      // Two libdatachannel peers on a busy machine now and then need a second handshake.
      if (attempt >= 3 || !isTransientNegotiationError(error)) throw error;
    }
  }
}

/** Poll `condition` every 20 ms until it holds; fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** Resolve after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
