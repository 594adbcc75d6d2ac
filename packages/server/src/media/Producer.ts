import type { PeerConnection, Track } from 'node-datachannel';
import type { Consumer } from './Consumer';
import { createPeerConnection, isTerminalState, localSdp, retainTrack, whenGatheringComplete, type PeerSettings } from './peer';
import { LatenessFilter } from './lateness';
import { findAudioLevelExtensionId, findOpusPayloadType, readAudioLevel, SILENCE_DBOV } from './rtp';

/**
 * After this long without any packet a speaker counts as silent (muted locally, gone). DTX silence
 * still sends a packet every ~400 ms carrying its low level, so this only catches a stopped stream;
 * it is generous so that an event-loop stall does not reshuffle the slots.
 */
const STALE_AFTER_MS = 1500;
/** Weight of a louder packet's level in the running average: a speaker is noticed within ~2 packets. */
const LEVEL_ATTACK = 0.6;
/** Weight of a quieter packet's level: ~5 packets (100 ms) of memory, so pauses between words hold. */
const LEVEL_RELEASE = 0.2;

/** What a producer reports to its room. */
export interface ProducerHandlers {
  /** Every packet (RTP or RTCP) arriving on the speaker's track. */
  onPacket(producer: Producer, packet: Buffer): void;
  /** The peer failed or closed without the room asking. */
  onPeerClosed(producer: Producer): void;
}

/**
 * A speaker's publish leg: the peer connection answering their offer and the one incoming Opus track.
 * Tracks the speaker's loudness from the RFC 6464 header extension and knows which slots
 * (consumers) currently forward it. Created only by its room.
 */
export class Producer {
  /**
   * Slots currently forwarding this speaker, iterated for every packet: a plain array (the fastest
   * thing to walk); attach and detach, which are rare, pay for keeping it.
   */
  readonly consumers: Consumer[] = [];
  /**
   * Whether the speaker may be heard right now (on stage and not muted), set by the room from
   * {@link MediaRoom.setPublishAllowed}: the per-packet enforcement check is this one field read.
   */
  allowed = false;
  /** Smoothed audio level in dBov of recent packets. */
  private smoothedLevel = SILENCE_DBOV;
  private lastPacketAt = -Infinity;
  private closed = false;
  /** Tells packets that reach the forwarding loop too late to be worth sending. */
  private readonly lateness = new LatenessFilter();
  // Held so the native objects stay alive as long as the producer (a collected Track closes).
  private track: Track | undefined;
  /** Header extension id of the audio level in this leg, from the negotiated SDP. */
  private audioLevelExtensionId: number | undefined;
  /** Payload type of Opus in this leg (browsers usually pick 111, but it is theirs to choose). */
  opusPayloadType = 111;
  /** Last state the peer connection reported (metrics), kept here so a scrape makes no native call. */
  peerState = 'new';

  private constructor(
    /** The speaking participant. */
    readonly participantId: string,
    private readonly pc: PeerConnection,
    private readonly handlers: ProducerHandlers,
  ) {}

  /** Answer a speaker's offer; resolves with the producer and the answer SDP (candidates included). */
  static async create(
    participantId: string,
    offerSdp: string,
    settings: PeerSettings,
    handlers: ProducerHandlers,
  ): Promise<{ producer: Producer; answerSdp: string }> {
    const pc = createPeerConnection(settings, `publish-${participantId}`);
    const producer = new Producer(participantId, pc, handlers);
    pc.onTrack((track) => producer.attachTrack(track));
    pc.onStateChange((state) => {
      producer.peerState = state;
      if (isTerminalState(state)) producer.peerEnded();
    });
    const gathered = whenGatheringComplete(pc, settings.gatheringTimeoutMs);
    try {
      pc.setRemoteDescription(offerSdp, 'offer');
      await gathered;
      const answerSdp = localSdp(pc, settings);
      // The answer echoes the offer's extmap; prefer it, fall back to the offer's id.
      producer.audioLevelExtensionId = findAudioLevelExtensionId(answerSdp) ?? findAudioLevelExtensionId(offerSdp);
      producer.opusPayloadType = findOpusPayloadType(answerSdp) ?? findOpusPayloadType(offerSdp) ?? 111;
      return { producer, answerSdp };
    } catch (error) {
      producer.close();
      throw error;
    }
  }

  private attachTrack(track: Track): void {
    this.track = retainTrack(track);
    track.onMessage((packet) => {
      if (!this.closed) this.handlers.onPacket(this, packet);
    });
  }

  /** Record the level carried by an RTP packet (called by the room for allowed packets). */
  noteLevel(packet: Buffer, now: number): void {
    this.lastPacketAt = now;
    if (this.audioLevelExtensionId === undefined) return;
    const level = readAudioLevel(packet, this.audioLevelExtensionId);
    if (level === undefined) return;
    const weight = level > this.smoothedLevel ? LEVEL_ATTACK : LEVEL_RELEASE;
    this.smoothedLevel += (level - this.smoothedLevel) * weight;
  }

  /**
   * True when a packet with RTP `timestamp` arriving at `now` (ms) is too late to forward (the event
   * loop is behind; see {@link LatenessFilter}). Called once per packet, not per slot.
   */
  isLate(timestamp: number, now: number): boolean {
    return this.lateness.isLate(timestamp, now);
  }

  /** Recent loudness in dBov; silence once packets stop arriving (muted, DTX, gone). */
  levelAt(now: number): number {
    return now - this.lastPacketAt > STALE_AFTER_MS ? SILENCE_DBOV : this.smoothedLevel;
  }

  /** Forget the speaker's loudness (its audio was just stopped). */
  resetLevel(): void {
    this.smoothedLevel = SILENCE_DBOV;
    this.lastPacketAt = -Infinity;
  }

  /** @internal Called by a consumer taking this speaker onto its slot. */
  attachConsumer(consumer: Consumer): void {
    if (consumer.sourceIndex !== -1) return;
    consumer.sourceIndex = this.consumers.length;
    this.consumers.push(consumer);
  }

  /** @internal Called by a consumer leaving this speaker. */
  detachConsumer(consumer: Consumer): void {
    const index = consumer.sourceIndex;
    if (index === -1 || this.consumers[index] !== consumer) return;
    // Swap-remove in O(1): order does not matter, and the array stays dense.
    const last = this.consumers.pop()!;
    if (last !== consumer) {
      this.consumers[index] = last;
      last.sourceIndex = index;
    }
    consumer.sourceIndex = -1;
  }

  /** True once closed (by the room or by the peer). */
  get isClosed(): boolean {
    return this.closed;
  }

  private peerEnded(): void {
    if (this.closed) return;
    this.close();
    this.handlers.onPeerClosed(this);
  }

  /** Close the peer and detach every slot forwarding it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const consumer of [...this.consumers]) consumer.setSource(null);
    this.allowed = false;
    try {
      // Closing the peer closes its track; closing the track first trips node-datachannel's cleanup().
      this.pc.close();
    } catch {
      // Already closed natively; nothing left to release.
    }
  }
}
