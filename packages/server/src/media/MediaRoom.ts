import type { MediaRoom, MediaRoomEvents, MediaRoomStats, SpeakingLevel } from './engine';
import { SafeEmitter, type MediaLogger } from './events';
import type { PeerSettings } from './peer';
import { Producer } from './Producer';
import { isRtp, readPayloadType, readSequenceNumber, readTimestamp } from './rtp';
import { assignSlots, sameAssignment, type SlotCandidate } from './slots';
import { Subscriber } from './Subscriber';

/** Monotonic forwarding counters of a room (the engine sums them over rooms for /metrics). */
export interface ForwardingCounters {
  /** RTP packets received from publishers (allowed or not). */
  packetsIn: number;
  /** RTP packets dropped because the publisher was not allowed to publish at that moment. */
  packetsDropped: number;
  /** RTP packets handed to subscribers' slot tracks. */
  packetsForwarded: number;
  /** Bytes of those packets (RTP header and payload, before SRTP). */
  bytesForwarded: number;
  /** Sends the native track refused (peer closing, send buffer full). */
  sendFailures: number;
}

/** Counters plus the state of every peer connection of a room, for metrics. */
export interface RoomForwardingStats extends ForwardingCounters {
  publishers: number;
  subscribers: number;
  /** Peer connections by leg and state ('connected', 'connecting', …). */
  peers: { leg: 'publish' | 'subscribe'; state: string }[];
}

/** Settings a room gets from its engine. */
export interface RoomSettings {
  /** How peers are created and candidates announced. */
  peer: PeerSettings;
  /** Audio slots per subscriber. */
  audioSlots: number;
  /** Level above which a participant counts as speaking, dBov. */
  speakingThresholdDbov: number;
  /** Bonus a slot holder gets when ranking speakers, dB. */
  slotHysteresisDb: number;
  /** Engine logger. */
  logger: MediaLogger;
}

/** How often slots are re-ranked: a new loud speaker is heard within this delay. */
const SLOT_TICK_MS = 100;
/** Minimum spacing of `speaking` events (≤ 4 per second). */
const SPEAKING_INTERVAL_MS = 250;

/**
 * The node-datachannel media side of one live room: publishers (producers), subscribers with their
 * audio slots, publish permission, and the forwarding loop. Created by {@link NdcMediaEngine}.
 */
export class NdcMediaRoom implements MediaRoom {
  private readonly producers = new Map<string, Producer>();
  private readonly subscribers = new Map<string, Subscriber>();
  private readonly allowed = new Set<string>();
  /**
   * Bumped per leg (`publish:<id>`, `subscribe:<id>`) on every negotiation and removal, so a slow
   * negotiation that lost a race is discarded when it lands.
   */
  private readonly generations = new Map<string, number>();
  private readonly events: SafeEmitter<MediaRoomEvents>;
  private readonly counters: ForwardingCounters = { packetsIn: 0, packetsDropped: 0, packetsForwarded: 0, bytesForwarded: 0, sendFailures: 0 };
  private readonly timer: NodeJS.Timeout;
  private lastSpeakingAt = 0;
  private lastSpeakingKey = '';
  private closed = false;

  constructor(
    /** The live room's id. */
    readonly roomId: string,
    private readonly settings: RoomSettings,
    private readonly onClose: (room: NdcMediaRoom) => void,
  ) {
    this.events = new SafeEmitter<MediaRoomEvents>(settings.logger);
    this.timer = setInterval(() => this.tick(), SLOT_TICK_MS);
    this.timer.unref();
  }

  async publish(participantId: string, offerSdp: string): Promise<string> {
    this.assertOpen();
    const generation = this.nextGeneration(`publish:${participantId}`);
    const { producer, answerSdp } = await Producer.create(participantId, offerSdp, this.settings.peer, {
      onPacket: (source, packet) => this.handlePacket(source, packet),
      onPeerClosed: (source) => this.handleProducerEnded(source),
    });
    if (this.closed || this.generations.get(`publish:${participantId}`) !== generation) {
      producer.close();
      throw new Error('publish superseded');
    }
    this.producers.get(participantId)?.close();
    this.producers.set(participantId, producer);
    this.settings.logger.info({ roomId: this.roomId, participantId }, 'publisher added');
    this.updateSlots(performance.now());
    return answerSdp;
  }

  async subscribe(participantId: string): Promise<string> {
    this.assertOpen();
    const generation = this.nextGeneration(`subscribe:${participantId}`);
    const { subscriber, offerSdp } = await Subscriber.create(
      participantId,
      this.settings.audioSlots,
      this.settings.peer,
      { onPeerClosed: (source) => this.handleSubscriberEnded(source) },
    );
    if (this.closed || this.generations.get(`subscribe:${participantId}`) !== generation) {
      subscriber.close();
      throw new Error('subscribe superseded');
    }
    this.subscribers.get(participantId)?.close();
    this.subscribers.set(participantId, subscriber);
    this.settings.logger.info({ roomId: this.roomId, participantId }, 'subscriber added');
    this.updateSlots(performance.now());
    return offerSdp;
  }

  async acceptAnswer(participantId: string, answerSdp: string): Promise<void> {
    this.assertOpen();
    const subscriber = this.subscribers.get(participantId);
    if (!subscriber) throw new Error(`no subscribe leg for participant ${participantId}`);
    subscriber.acceptAnswer(answerSdp);
  }

  setPublishAllowed(participantId: string, allowed: boolean): void {
    if (allowed === this.allowed.has(participantId)) return;
    if (allowed) {
      this.allowed.add(participantId);
    } else {
      this.allowed.delete(participantId);
      // The packet loop checks `allowed` on every packet, so audio stops at once; free the slots too.
      this.producers.get(participantId)?.resetLevel();
    }
    this.updateSlots(performance.now());
  }

  closePublisher(participantId: string): void {
    const producer = this.producers.get(participantId);
    if (!producer) return;
    this.producers.delete(participantId);
    producer.close();
    this.settings.logger.info({ roomId: this.roomId, participantId }, 'publisher closed');
    this.updateSlots(performance.now());
  }

  removeParticipant(participantId: string): void {
    // A negotiation still in flight is dropped when it lands.
    this.nextGeneration(`publish:${participantId}`);
    this.nextGeneration(`subscribe:${participantId}`);
    this.allowed.delete(participantId);
    this.closePublisher(participantId);
    const subscriber = this.subscribers.get(participantId);
    if (subscriber) {
      this.subscribers.delete(participantId);
      subscriber.close();
      this.settings.logger.info({ roomId: this.roomId, participantId }, 'subscriber closed');
    }
  }

  on<E extends keyof MediaRoomEvents>(event: E, listener: MediaRoomEvents[E]): void {
    this.events.on(event, listener);
  }

  off<E extends keyof MediaRoomEvents>(event: E, listener: MediaRoomEvents[E]): void {
    this.events.off(event, listener);
  }

  stats(): MediaRoomStats {
    return { publishers: this.producers.size, subscribers: this.subscribers.size, ...this.counters };
  }

  /** Counters and peer states for metrics (a copy; cheap enough to call per scrape). */
  forwardingStats(): RoomForwardingStats {
    const peers: RoomForwardingStats['peers'] = [];
    for (const producer of this.producers.values()) peers.push({ leg: 'publish', state: producer.peerState });
    for (const subscriber of this.subscribers.values()) peers.push({ leg: 'subscribe', state: subscriber.peerState });
    return { publishers: this.producers.size, subscribers: this.subscribers.size, ...this.counters, peers };
  }

  /** Who is on each audio slot of a participant's subscribe leg (diagnostics, tests). */
  slotAssignment(participantId: string): (string | null)[] | undefined {
    return this.subscribers.get(participantId)?.assignment();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    for (const producer of this.producers.values()) producer.close();
    for (const subscriber of this.subscribers.values()) subscriber.close();
    this.producers.clear();
    this.subscribers.clear();
    this.allowed.clear();
    this.generations.clear();
    this.events.clear();
    this.settings.logger.info({ roomId: this.roomId }, 'media room closed');
    this.onClose(this);
  }

  /** The forwarding hot path: one call per packet from any publisher. No allocation, no logging. */
  private handlePacket(producer: Producer, packet: Buffer): void {
    if (!isRtp(packet)) return; // speakers' RTCP (sender reports) is not forwarded
    this.counters.packetsIn += 1;
    if (!this.allowed.has(producer.participantId)) {
      this.counters.packetsDropped += 1;
      return;
    }
    // Comfort noise or other codecs a browser may switch to cannot be played on an Opus slot.
    if (readPayloadType(packet) !== producer.opusPayloadType) return;
    const now = performance.now();
    producer.noteLevel(packet, now);
    if (producer.consumers.size === 0) return;
    const sequenceNumber = readSequenceNumber(packet);
    const timestamp = readTimestamp(packet);
    let forwarded = 0;
    for (const consumer of producer.consumers) {
      if (consumer.forward(packet, sequenceNumber, timestamp, now)) forwarded += 1;
    }
    this.counters.packetsForwarded += forwarded;
    this.counters.bytesForwarded += forwarded * packet.length;
  }

  private tick(): void {
    const now = performance.now();
    this.updateSlots(now);
    if (now - this.lastSpeakingAt >= SPEAKING_INTERVAL_MS) {
      this.lastSpeakingAt = now;
      this.emitSpeaking(now);
    }
  }

  /** Allowed speakers with their current loudness: the candidates for slots. */
  private candidates(now: number): SlotCandidate[] {
    const candidates: SlotCandidate[] = [];
    for (const [participantId, producer] of this.producers) {
      if (this.allowed.has(participantId)) candidates.push({ participantId, level: producer.levelAt(now) });
    }
    return candidates;
  }

  private updateSlots(now: number): void {
    if (this.closed || this.subscribers.size === 0) return;
    const candidates = this.candidates(now);
    for (const subscriber of this.subscribers.values()) {
      const current = subscriber.assignment();
      const next = assignSlots(current, candidates, {
        hysteresisDb: this.settings.slotHysteresisDb,
        exclude: subscriber.participantId,
      });
      if (!sameAssignment(current, next)) subscriber.applyAssignment(next, this.producers);
    }
  }

  private emitSpeaking(now: number): void {
    if (this.events.listenerCount('speaking') === 0) return;
    const levels: SpeakingLevel[] = this.candidates(now)
      .filter((candidate) => candidate.level > this.settings.speakingThresholdDbov)
      .map((candidate) => ({ participantId: candidate.participantId, level: Math.round(candidate.level) }))
      .sort((a, b) => b.level - a.level);
    const key = levels
      .map((level) => level.participantId)
      .sort()
      .join('\n');
    if (key === this.lastSpeakingKey) return;
    this.lastSpeakingKey = key;
    this.events.emit('speaking', levels);
  }

  private handleProducerEnded(producer: Producer): void {
    if (this.producers.get(producer.participantId) !== producer) return;
    this.producers.delete(producer.participantId);
    this.settings.logger.info({ roomId: this.roomId, participantId: producer.participantId }, 'publisher peer ended');
    this.updateSlots(performance.now());
    this.events.emit('peerClosed', producer.participantId, 'publish');
  }

  private handleSubscriberEnded(subscriber: Subscriber): void {
    if (this.subscribers.get(subscriber.participantId) !== subscriber) return;
    this.subscribers.delete(subscriber.participantId);
    this.settings.logger.info({ roomId: this.roomId, participantId: subscriber.participantId }, 'subscriber peer ended');
    this.events.emit('peerClosed', subscriber.participantId, 'subscribe');
  }

  private nextGeneration(key: string): number {
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    return generation;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`media room ${this.roomId} is closed`);
  }
}
