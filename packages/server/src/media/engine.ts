import type { MediaLogger } from './events';

// The port itself is declared by the domain (dependencies point inward); the engine implements it.
export type { MediaEngine, MediaRoom, MediaRoomEvents, SpeakingLevel } from '../domain/media-port';

/** A room's counters (tests, diagnostics; /metrics reads the engine's totals). */
export interface MediaRoomStats {
  publishers: number;
  subscribers: number;
  /** RTP packets received from publishers (allowed or not). */
  packetsIn: number;
  /** RTP packets dropped because the publisher was not allowed to publish at that moment. */
  packetsDropped: number;
  /** RTP packets sent to subscribers (one per packet per subscriber slot). */
  packetsForwarded: number;
}

/** Options for the node-datachannel engine; every field comes from config. */
export interface MediaEngineOptions {
  /** Addresses to gather host candidates on; 127.0.0.1 is always included. */
  bindAddress?: string;
  /** Public address announced in candidates (PUBLIC_IP), when behind NAT. */
  publicIp?: string;
  /** UDP port for all peers (ICE UDP mux); 0 = ephemeral ports per peer. */
  rtcPort?: number;
  /**
   * How many UDP ports from `rtcPort` on the peers are spread over (round robin). Each port is its own
   * ICE mux with its own thread, whose every wake-up scans the peers on that port. Default 1.
   */
  rtcPorts?: number;
  /** Audio slots per subscriber: the N loudest speakers are forwarded. Default 3. */
  audioSlots?: number;
  /** ICE servers (TURN) for the engine's own gathering; no public STUN by default. */
  iceServers?: string[];
  /** Level above which a publisher counts as speaking, dBov (silence ≈ −105..−127). Default −50. */
  speakingThresholdDbov?: number;
  /** Bonus in dB a speaker holding a slot keeps when ranking, against slot flapping. Default 3. */
  slotHysteresisDb?: number;
  /** Longest wait for ICE gathering before an SDP is returned. Default 5000 ms. */
  gatheringTimeoutMs?: number;
  /** Structured logger (pino fits); lifecycle lines at info, nothing per packet. */
  logger?: MediaLogger;
}
