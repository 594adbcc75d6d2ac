import type { Track } from 'node-datachannel';
import { retainTrack } from './peer';
import type { Producer } from './Producer';
import { writeSenderReport } from './rtp';

/** RTP clock ticks per millisecond for Opus (48 kHz). */
const TICKS_PER_MS = 48;
/** One 20 ms Opus frame in RTP ticks: the least a timestamp may advance across a source switch. */
const FRAME_TICKS = 960;

/** {@link Consumer.forward}: handed to the native track (SRTP and the socket follow synchronously). */
export const FORWARD_SENT = 1;
/** {@link Consumer.forward}: not sent, the slot's peer is not connected yet, or closed. */
export const FORWARD_SKIPPED = 0;
/** {@link Consumer.forward}: the native track refused it (closing, or not quite open at the start). */
export const FORWARD_FAILED = -1;
/** What {@link Consumer.forward} did with a packet. */
export type ForwardResult = typeof FORWARD_SENT | typeof FORWARD_SKIPPED | typeof FORWARD_FAILED;

/**
 * One audio slot of a subscriber: a sendonly track with a fixed SSRC that carries whichever speaker
 * the slot is assigned to. Sequence numbers and timestamps are rewritten so the receiver sees one
 * continuous stream across speaker switches (no renegotiation, no jitter-buffer reset).
 *
 * The forwarding path is {@link forward}, called once per packet per listening slot: integer fields
 * only, the header rewritten in place with byte stores, no allocation, no native call but the send.
 */
export class Consumer {
  /** The speaker currently forwarded on this slot, or null when idle. */
  private sourceProducer: Producer | null = null;
  /** @internal Position in the source producer's consumer array (−1 when idle), kept by the producer. */
  sourceIndex = -1;
  /** Set by the subscriber once its peer is connected; false again when closed. */
  private open = false;
  private closed = false;
  /** The SSRC as four header bytes, written into every packet. */
  private readonly ssrc0: number;
  private readonly ssrc1: number;
  private readonly ssrc2: number;
  private readonly ssrc3: number;
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
  /** RTP payload octets sent on this slot (for RTCP sender reports). */
  octetsSent = 0;
  /** `packetsSent` when the last sender report went out: a report is due only after new packets. */
  private reportedPackets = 0;

  constructor(
    /** Slot index in the subscriber's offer (0-based). */
    readonly index: number,
    /** The slot's fixed SSRC, announced in the offer. */
    readonly ssrc: number,
    /** Payload type negotiated on the subscribe leg (Opus, 111). */
    private readonly payloadType: number,
    private readonly track: Track,
  ) {
    this.ssrc0 = (ssrc >>> 24) & 0xff;
    this.ssrc1 = (ssrc >>> 16) & 0xff;
    this.ssrc2 = (ssrc >>> 8) & 0xff;
    this.ssrc3 = ssrc & 0xff;
    // No onOpen callback: every native callback is a libuv async handle that the event loop scans on
    // each wake-up. The subscriber opens its slots when its peer connects (see markOpen).
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
    this.onSourceChange?.();
  }

  /** @internal Called after every source change (the subscriber keeps its assignment key current). */
  onSourceChange: (() => void) | undefined;

  /** @internal The subscriber's peer connected: the slot may send. */
  markOpen(): void {
    if (!this.closed) this.open = true;
  }

  /**
   * Send one packet of the slot's source. Rewrites the header of `packet` in place (node-datachannel
   * copies on send, so the same buffer serves every slot in turn). `payloadBytes` is the packet's RTP
   * payload size, computed once per packet by the room.
   */
  forward(packet: Buffer, sequenceNumber: number, timestamp: number, payloadBytes: number, now: number): ForwardResult {
    if (!this.open) return FORWARD_SKIPPED;
    if (this.resync) this.anchor(sequenceNumber, timestamp, now);
    const outSequence = (sequenceNumber + this.sequenceOffset) & 0xffff;
    const outTimestamp = (timestamp + this.timestampOffset) >>> 0;
    // Byte stores instead of Buffer#write*: no bounds-check calls, inlined by the JIT. The marker bit
    // of byte 1 is kept; the room has checked the packet is at least a full fixed header.
    packet[1] = (packet[1]! & 0x80) | this.payloadType;
    packet[2] = outSequence >>> 8;
    packet[3] = outSequence & 0xff;
    packet[4] = outTimestamp >>> 24;
    packet[5] = (outTimestamp >>> 16) & 0xff;
    packet[6] = (outTimestamp >>> 8) & 0xff;
    packet[7] = outTimestamp & 0xff;
    packet[8] = this.ssrc0;
    packet[9] = this.ssrc1;
    packet[10] = this.ssrc2;
    packet[11] = this.ssrc3;
    try {
      if (!this.track.sendMessageBinary(packet)) return FORWARD_FAILED;
    } catch {
      // The native track is closing (its close callback clears `open`) or not quite open yet.
      return FORWARD_FAILED;
    }
    // Reordered packets keep their place; only a newer packet moves the anchor for the next switch.
    const ahead = (outSequence - this.lastSequence) & 0xffff;
    if ((ahead !== 0 && ahead < 0x8000) || this.packetsSent === 0) {
      this.lastSequence = outSequence;
      this.lastTimestamp = outTimestamp;
    }
    this.lastSentAt = now;
    this.packetsSent += 1;
    this.octetsSent += payloadBytes;
    return FORWARD_SENT;
  }

  /** Re-anchor the offsets after a source change, so the slot's stream continues without a gap. */
  private anchor(sequenceNumber: number, timestamp: number, now: number): void {
    const elapsedTicks = this.packetsSent === 0 ? 0 : Math.round((now - this.lastSentAt) * TICKS_PER_MS);
    const nextTimestamp = this.lastTimestamp + (this.packetsSent === 0 ? 0 : Math.max(FRAME_TICKS, elapsedTicks));
    this.sequenceOffset = (this.lastSequence + 1 - sequenceNumber) & 0xffff;
    this.timestampOffset = (nextTimestamp - timestamp) >>> 0;
    this.resync = false;
  }

  /**
   * Send an RTCP sender report (RFC 3550 §6.4.1) if packets went out since the last one: the
   * receiver's clock mapping and packet/octet counts. `scratch` is reused by the caller (the native
   * send copies). Returns whether a report was sent.
   */
  sendReport(scratch: Buffer, nowEpochMs: number, now: number): boolean {
    if (!this.open || this.packetsSent === this.reportedPackets) return false;
    // The RTP timestamp that corresponds to "now" on this slot's clock.
    const rtpNow = (this.lastTimestamp + Math.round((now - this.lastSentAt) * TICKS_PER_MS)) >>> 0;
    const length = writeSenderReport(scratch, this.ssrc, nowEpochMs, rtpNow, this.packetsSent, this.octetsSent);
    try {
      if (!this.track.sendMessageBinary(scratch.subarray(0, length))) return false;
    } catch {
      return false;
    }
    this.reportedPackets = this.packetsSent;
    return true;
  }

  /** Detach from the source and stop sending (the parent subscriber closes the peer). */
  close(): void {
    if (this.closed) return;
    this.setSource(null);
    this.onSourceChange = undefined;
    this.closed = true;
    this.open = false;
  }
}
