/**
 * The media port of the client SDK. The SDK does signalling; an adapter owns the peer connections.
 * The browser adapter wraps RTCPeerConnection and the microphone; the Node adapter wraps
 * node-datachannel with a synthetic tone source and an Opus-decoding sink (bots, bench, tests).
 * The web bundle imports only the browser adapter, so it never pulls the native module.
 */
export interface MediaAdapter {
  /**
   * Publish leg: create a peer with one sendonly Opus track, pass its offer to `negotiate` (which
   * sends `media.publish` and resolves with the server's answer), apply the answer.
   */
  publish(negotiate: (offerSdp: string) => Promise<string>): Promise<PublishLeg>;
  /** Subscribe leg: apply the server's offer (N audio slot tracks) and return the answer. */
  subscribe(offerSdp: string): Promise<SubscribeLeg>;
  /** Close every leg and free native resources the adapter holds. */
  close(): void;
}

/** What both legs share: waiting for the transport, and closing. */
export interface MediaLeg {
  /**
   * Resolves once the leg's peer connection is connected (ICE and DTLS done: audio can flow); rejects
   * with a {@link MediaConnectError} if it fails, closes, or is not connected within `timeoutMs`.
   * The session then negotiates a fresh leg.
   */
  connected(timeoutMs: number): Promise<void>;
  close(): void;
}

/** A running publish leg. */
export interface PublishLeg extends MediaLeg {
  /** Stop or resume sending audio locally (the server enforces mutes as well). */
  setMuted(muted: boolean): void;
}

/** A running subscribe leg. */
export interface SubscribeLeg extends MediaLeg {
  /** The SDP answer to send back with `media.answer`. */
  readonly answerSdp: string;
}

/** A leg's peer connection failed, closed, or did not connect in time. */
export class MediaConnectError extends Error {
  override readonly name = 'MediaConnectError';
  constructor(
    /** The last state the peer connection reported ('failed', 'closed', 'connecting', …). */
    readonly state: string,
    message = `The media connection did not come up (state: ${state})`,
  ) {
    super(message);
  }
}

/**
 * Poll `readState` every 10 ms until it says 'connected' (resolve), a terminal state or the timeout
 * (reject with {@link MediaConnectError}). For peers without a cheap state-change event; polling keeps
 * node-datachannel from holding a native callback per peer.
 */
export function pollUntilConnected(readState: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = () => {
      let state: string;
      try {
        state = readState();
      } catch {
        state = 'closed';
      }
      if (state === 'connected') resolve();
      else if (state === 'failed' || state === 'closed') reject(new MediaConnectError(state));
      else if (Date.now() >= deadline) reject(new MediaConnectError(state, `The media connection did not come up within ${timeoutMs} ms (state: ${state})`));
      else setTimeout(check, 10);
    };
    check();
  });
}
