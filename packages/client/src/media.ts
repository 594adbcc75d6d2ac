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

/** A running publish leg. */
export interface PublishLeg {
  /** Stop or resume sending audio locally (the server enforces mutes as well). */
  setMuted(muted: boolean): void;
  close(): void;
}

/** A running subscribe leg. */
export interface SubscribeLeg {
  /** The SDP answer to send back with `media.answer`. */
  readonly answerSdp: string;
  close(): void;
}
