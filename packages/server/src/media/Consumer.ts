import type { Track } from 'node-datachannel';
import { retainTrack } from './peer';
import type { Producer } from './Producer';
import { rewriteHeader, sequenceDistance } from './rtp';

/** RTP clock ticks per millisecond for Opus (48 kHz). */
const TICKS_PER_MS = 48;
/** One 20 ms Opus frame in RTP ticks: the least a timestamp may advance across a source switch. */
const FRAME_TICKS = 960;

/**
 * One audio slot of a subscriber: a sendonly track with a fixed SSRC that carries whichever speaker
 * the slot is assigned to. Sequence numbers and timestamps are rewritten so the receiver sees one
 * continuous stream across speaker switches (no renegotiation, no jitter-buffer reset).
 */
export class Consumer {
  /** The speaker currently forwarded on this slot, or null when idle. */
  private sourceProducer: Producer | null = null;
  private open = false;
  private closed = false;
  /** Last sequence number / timestamp sent on the slot (initially random, as RFC 3550 asks). */
  private lastSequence = Math.floor(Math.random() * 0x10000);
  private lastTimestamp = Math.floor(Math.random() * 0x1_0000_0000);
  private lastSentAt = 0;
  private sequenceOffset = 0;
  private timestampOffset = 0;
  /** Set when the source changes: the next packet re-anchors the offsets. */
  private resync = true;
  /** Packets sent on this slot. */
  packetsSent = 0;

  constructor(
    /** Slot index in the subscriber's offer (0-based). */
    readonly index: number,
    /** The slot's fixed SSRC, announced in the offer. */
    readonly ssrc: number,
    /** Payload type negotiated on the subscribe leg (Opus, 111). */
    private readonly payloadType: number,
    private readonly track: Track,
  ) {
    track.onOpen(() => {
      this.open = true;
    });
    retainTrack(track, () => {
      this.open = false;
    });
  }

  /** The speaker on this slot, or null. */
  get source(): Producer | null {
    return this.sourceProducer;
  }

  /** Point the slot at another speaker (or none); the next packet continues the stream seamlessly. */
  setSource(producer: Producer | null): void {
    if (producer === this.sourceProducer) return;
    this.sourceProducer?.detachConsumer(this);
    this.sourceProducer = producer;
    this.resync = true;
    producer?.attachConsumer(this);
  }

  /**
   * Send one packet of the slot's source. Rewrites the header of `packet` in place (node-datachannel
   * copies on send, so the caller's buffer is reused for the next slot). Returns whether it was sent.
   */
  forward(packet: Buffer, sequenceNumber: number, timestamp: number, now: number): boolean {
    if (!this.open || this.closed) return false;
    if (this.resync) {
      const elapsedTicks = this.packetsSent === 0 ? 0 : Math.round((now - this.lastSentAt) * TICKS_PER_MS);
      const nextTimestamp = this.lastTimestamp + (this.packetsSent === 0 ? 0 : Math.max(FRAME_TICKS, elapsedTicks));
      this.sequenceOffset = (this.lastSequence + 1 - sequenceNumber) & 0xffff;
      this.timestampOffset = (nextTimestamp - timestamp) >>> 0;
      this.resync = false;
    }
    const outSequence = (sequenceNumber + this.sequenceOffset) & 0xffff;
    const outTimestamp = (timestamp + this.timestampOffset) >>> 0;
    rewriteHeader(packet, this.payloadType, outSequence, outTimestamp, this.ssrc);
    try {
      if (!this.track.sendMessageBinary(packet)) return false;
    } catch {
      // The native track went away between the open check and the send (peer closing).
      this.open = false;
      return false;
    }
    // Reordered packets keep their place; only a newer packet moves the anchor for the next switch.
    if (sequenceDistance(outSequence, this.lastSequence) > 0 || this.packetsSent === 0) {
      this.lastSequence = outSequence;
      this.lastTimestamp = outTimestamp;
    }
    this.lastSentAt = now;
    this.packetsSent += 1;
    return true;
  }

  /** Detach from the source and stop sending (the parent subscriber closes the peer). */
  close(): void {
    if (this.closed) return;
    this.setSource(null);
    this.closed = true;
    this.open = false;
  }
}
