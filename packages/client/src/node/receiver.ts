import { dominantFrequency } from './frequency';
import { OpusDecoder } from './opus';
import { isRtcp, readSequenceNumber, readSsrc, rtpPayload, sequenceDistance } from './rtp';
import { SAMPLE_RATE } from './tone';

/** Counters of one audio slot (one received track). */
export interface SlotReceiveStats {
  /** Slot index (order of the tracks in the server's offer). */
  slot: number;
  /** SSRC of the latest stream on the slot, or undefined before the first packet. */
  ssrc: number | undefined;
  packetsReceived: number;
  /** Packets missing from the sequence-number ranges seen (RFC 3550 expected − received). */
  packetsLost: number;
  /** Epoch ms of the slot's first packet, or undefined. */
  firstPacketAt: number | undefined;
  /** Epoch ms of the slot's latest packet, or undefined. */
  lastPacketAt: number | undefined;
  /** RTCP sender reports received on the slot. */
  senderReports: number;
  /** The latest sender report's SSRC and counts, or undefined before the first. */
  lastSenderReport: { ssrc: number; packetCount: number; octetCount: number } | undefined;
}

/** What a Node receiver has counted, JSON-ready (the shape `parley bot listen --json` prints). */
export interface ReceiveStats {
  packetsReceived: number;
  packetsLost: number;
  /** Epoch ms of the first RTP packet on any slot, or undefined. */
  firstPacketAt: number | undefined;
  /** Dominant frequency of the loudest recently active slot in Hz; null when nothing was decoded. */
  dominantFrequencyHz: number | null;
  slots: SlotReceiveStats[];
}

/** Options of {@link AudioReceiver}. */
export interface AudioReceiverOptions {
  /** Decode Opus and keep recent PCM for frequency analysis. Off for bench bots that only count. */
  decode: boolean;
  /** Decoded samples kept per slot for analysis (16384 ≈ 0.34 s at 48 kHz). */
  windowSamples: number;
}

/** A slot counts as active for {@link AudioReceiver.dominantFrequencyHz} if it received this recently. */
const ACTIVE_WITHIN_MS = 1000;

/** Counting and (optionally) decoding one received slot track. */
export class SlotReceiver {
  /** Totals of earlier streams on this slot (a new subscribe leg brings new SSRCs). */
  private previousReceived = 0;
  private previousLost = 0;
  private ssrc: number | undefined;
  private received = 0;
  private baseSequence = 0;
  private highestSequence = 0;
  private extendedHighest = 0;
  private firstPacketAt: number | undefined;
  private lastPacketAt: number | undefined;
  private senderReports = 0;
  private lastSenderReport: SlotReceiveStats['lastSenderReport'];
  private decoder: OpusDecoder | undefined;
  private readonly pcm: Float32Array;
  private writeIndex = 0;
  private filled = 0;

  constructor(
    /** Slot index. */
    readonly slot: number,
    private readonly options: AudioReceiverOptions,
  ) {
    this.pcm = new Float32Array(options.decode ? options.windowSamples : 0);
  }

  /** Count (and decode) one packet of the slot's track; of RTCP, sender reports are counted. */
  handlePacket(packet: Buffer, now: number): void {
    if (packet.length < 12) return;
    if (isRtcp(packet)) {
      this.noteRtcp(packet);
      return;
    }
    const ssrc = readSsrc(packet);
    const sequence = readSequenceNumber(packet);
    if (ssrc !== this.ssrc) {
      this.previousReceived += this.received;
      this.previousLost += this.lostInStream();
      this.ssrc = ssrc;
      this.received = 0;
      this.baseSequence = sequence;
      this.highestSequence = sequence;
      this.extendedHighest = sequence;
    }
    const distance = sequenceDistance(sequence, this.highestSequence);
    if (distance > 0) {
      this.highestSequence = sequence;
      this.extendedHighest += distance;
    }
    this.received += 1;
    this.firstPacketAt ??= now;
    this.lastPacketAt = now;
    if (this.options.decode) this.decode(packet);
  }

  /** Sender reports (PT 200, 28 bytes without report blocks) anywhere in a compound RTCP packet. */
  private noteRtcp(packet: Buffer): void {
    let offset = 0;
    while (offset + 4 <= packet.length) {
      const length = 4 * (packet.readUInt16BE(offset + 2) + 1);
      if (packet.readUInt8(offset + 1) === 200 && offset + 28 <= packet.length) {
        this.senderReports += 1;
        this.lastSenderReport = {
          ssrc: packet.readUInt32BE(offset + 4),
          packetCount: packet.readUInt32BE(offset + 20),
          octetCount: packet.readUInt32BE(offset + 24),
        };
      }
      offset += length;
    }
  }

  private decode(packet: Buffer): void {
    const payload = rtpPayload(packet);
    if (!payload || payload.length === 0) return;
    this.decoder ??= new OpusDecoder();
    let samples: Int16Array;
    try {
      samples = this.decoder.decode(payload);
    } catch {
      return; // a corrupt packet is counted, not played
    }
    const capacity = this.pcm.length;
    for (let i = 0; i < samples.length; i += 1) {
      this.pcm[this.writeIndex] = (samples[i] ?? 0) / 32768;
      this.writeIndex = (this.writeIndex + 1) % capacity;
    }
    this.filled = Math.min(capacity, this.filled + samples.length);
  }

  private lostInStream(): number {
    if (this.received === 0) return 0;
    const expected = this.extendedHighest - this.baseSequence + 1;
    return Math.max(0, expected - this.received);
  }

  /** Packets received on this slot over every stream it carried. */
  get packetsReceived(): number {
    return this.previousReceived + this.received;
  }

  /** Packets lost on this slot over every stream it carried. */
  get packetsLost(): number {
    return this.previousLost + this.lostInStream();
  }

  /** The decoded samples kept for analysis, oldest first (a copy). */
  recentPcm(): Float32Array {
    const out = new Float32Array(this.filled);
    const start = (this.writeIndex - this.filled + this.pcm.length) % Math.max(1, this.pcm.length);
    for (let i = 0; i < this.filled; i += 1) out[i] = this.pcm[(start + i) % this.pcm.length] ?? 0;
    return out;
  }

  /** RMS of the recent decoded audio (0..1). */
  recentRms(): number {
    if (this.filled === 0) return 0;
    let sum = 0;
    for (let i = 0; i < this.filled; i += 1) sum += (this.pcm[i] ?? 0) ** 2;
    return Math.sqrt(sum / this.filled);
  }

  /** Dominant frequency of the recent decoded audio in Hz, NaN before enough audio was decoded. */
  dominantFrequencyHz(): number {
    return dominantFrequency(this.recentPcm(), SAMPLE_RATE);
  }

  /** Counters as plain data. */
  stats(): SlotReceiveStats {
    return {
      slot: this.slot,
      ssrc: this.ssrc,
      packetsReceived: this.packetsReceived,
      packetsLost: this.packetsLost,
      firstPacketAt: this.firstPacketAt,
      lastPacketAt: this.lastPacketAt,
      senderReports: this.senderReports,
      lastSenderReport: this.lastSenderReport,
    };
  }

  /** True when a packet arrived within `withinMs` of `now`. */
  activeAt(now: number, withinMs: number): boolean {
    return this.lastPacketAt !== undefined && now - this.lastPacketAt <= withinMs;
  }

  /** Free the decoder. */
  close(): void {
    this.decoder?.close();
    this.decoder = undefined;
  }
}

/**
 * Everything a Node listener received, over all its audio slots and subscribe legs: packet and loss
 * counts, time of the first packet, and the dominant frequency of what it heard.
 */
export class AudioReceiver {
  private readonly slotReceivers: SlotReceiver[] = [];

  constructor(private readonly options: AudioReceiverOptions) {}

  /** The receiver of slot `index`, created on first use. */
  slot(index: number): SlotReceiver {
    while (this.slotReceivers.length <= index) {
      this.slotReceivers.push(new SlotReceiver(this.slotReceivers.length, this.options));
    }
    return this.slotReceivers[index] as SlotReceiver;
  }

  /** All slots seen so far, by index. */
  get slots(): readonly SlotReceiver[] {
    return this.slotReceivers;
  }

  /** RTP packets received over all slots. */
  get packetsReceived(): number {
    return this.slotReceivers.reduce((sum, slot) => sum + slot.packetsReceived, 0);
  }

  /** RTP packets lost over all slots. */
  get packetsLost(): number {
    return this.slotReceivers.reduce((sum, slot) => sum + slot.packetsLost, 0);
  }

  /** Epoch ms of the first packet on any slot, or undefined. */
  get firstPacketAt(): number | undefined {
    const times = this.slotReceivers.map((slot) => slot.stats().firstPacketAt).filter((t) => t !== undefined);
    return times.length === 0 ? undefined : Math.min(...times);
  }

  /**
   * Dominant frequency in Hz of slot `slot`, or when omitted of the loudest slot among those that
   * received audio in the last second (any slot if none did). NaN when nothing was decoded (decoding
   * off, or no audio yet).
   */
  dominantFrequencyHz(slot?: number): number {
    if (slot !== undefined) return this.slotReceivers[slot]?.dominantFrequencyHz() ?? Number.NaN;
    const now = Date.now();
    const active = this.slotReceivers.filter((s) => s.activeAt(now, ACTIVE_WITHIN_MS));
    const pool = active.length > 0 ? active : this.slotReceivers;
    let loudest: SlotReceiver | undefined;
    let loudestRms = 0;
    for (const candidate of pool) {
      const rms = candidate.recentRms();
      if (rms > loudestRms) {
        loudestRms = rms;
        loudest = candidate;
      }
    }
    return loudest ? loudest.dominantFrequencyHz() : Number.NaN;
  }

  /** Counters and frequency as plain JSON-ready data. */
  stats(): ReceiveStats {
    const frequency = this.dominantFrequencyHz();
    return {
      packetsReceived: this.packetsReceived,
      packetsLost: this.packetsLost,
      firstPacketAt: this.firstPacketAt,
      dominantFrequencyHz: Number.isNaN(frequency) ? null : frequency,
      slots: this.slotReceivers.map((slot) => slot.stats()),
    };
  }

  /** Free every decoder. */
  close(): void {
    for (const slot of this.slotReceivers) slot.close();
  }
}
