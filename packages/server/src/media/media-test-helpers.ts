import { MediaConnectError } from '@parley/client';
import { isTransientNegotiationError, NodeMediaAdapter, type NodeMediaAdapterOptions } from '@parley/client/node';
import type { MediaRoom } from './engine';

/** Negotiations per leg before a helper gives up, and how long each leg may take to connect. */
const ATTEMPTS = 3;
const CONNECT_TIMEOUT_MS = 4_000;

/**
 * True for what a fresh negotiation cures: libdatachannel's "without ICE transport" or a leg that
 * did not connect (a DTLS handshake lost on a busy machine). The SDK's room session retries the same.
 */
function isRetryable(error: unknown): boolean {
  return error instanceof MediaConnectError || isTransientNegotiationError(error);
}

/** Test helper: a Node peer publishing a tone into `room` as `participantId`, connected. */
export async function startSpeaker(
  room: MediaRoom,
  participantId: string,
  options: NodeMediaAdapterOptions,
): Promise<NodeMediaAdapter> {
  const adapter = new NodeMediaAdapter(options);
  for (let attempt = 1; ; attempt += 1) {
    try {
      const leg = await adapter.publish((offerSdp) => room.publish(participantId, offerSdp));
      await leg.connected(CONNECT_TIMEOUT_MS);
      return adapter;
    } catch (error) {
      if (attempt >= ATTEMPTS || !isRetryable(error)) {
        adapter.close();
        throw error;
      }
    }
  }
}

/** Test helper: subscribe `participantId` with a Node peer (a new one unless given), connected. */
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
      await leg.connected(CONNECT_TIMEOUT_MS);
      return adapter;
    } catch (error) {
      if (attempt >= ATTEMPTS || !isRetryable(error)) throw error;
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
