import type { MediaRoom, MediaRoomEvents, MediaRoomStats, SpeakingLevel } from './engine';
import { SafeEmitter, type MediaLogger } from './events';
import { PacketInbox } from './inbox';
import type { PeerSettings } from './peer';
import { Producer } from './Producer';
import { FORWARD_FAILED, FORWARD_SENT } from './Consumer';
import { RTP_HEADER_SIZE, rtpHeaderLength, SENDER_REPORT_SIZE } from './rtp';
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
  /** Packets not forwarded because they reached the loop too late (event loop behind; load shedding). */
  packetsLate: number;
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
/** Each slot that carries audio gets an RTCP sender report this often (Chrome sends one per ~1–5 s). */
const REPORT_INTERVAL_MS = 5000;
/** Sender reports are spread over this many ticks. */
const REPORT_SLICES = REPORT_INTERVAL_MS / SLOT_TICK_MS;

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
  private readonly counters: ForwardingCounters = { packetsIn: 0, packetsDropped: 0, packetsForwarded: 0, bytesForwarded: 0, sendFailures: 0, packetsLate: 0 };
  private readonly timer: NodeJS.Timeout;
  /** Packets from the speakers' native callbacks, forwarded in the loop's check phase (see PacketInbox). */
  private readonly inbox = new PacketInbox<Producer>((producer, packet) => this.handlePacket(producer, packet));
  private lastSpeakingAt = 0;
  private reportTick = 0;
  /** Where sender reports are written before the (copying) native send. */
  private readonly reportScratch = Buffer.alloc(SENDER_REPORT_SIZE);
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
      onPacket: (source, packet) => this.inbox.push(source, packet),
      onPeerClosed: (source) => this.handleProducerEnded(source),
    });
    if (this.closed || this.generations.get(`publish:${participantId}`) !== generation) {
      producer.close();
      throw new Error('publish superseded');
    }
    this.producers.get(participantId)?.close();
    producer.allowed = this.allowed.has(participantId);
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
    // Only the newcomer needs slots: everyone else's assignment is unchanged by a join.
    this.updateSlots(performance.now(), subscriber);
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
    const producer = this.producers.get(participantId);
    if (allowed) {
      this.allowed.add(participantId);
    } else {
      this.allowed.delete(participantId);
      // The packet loop checks the producer's flag on every packet, so audio stops at once; free the
      // slots too.
      producer?.resetLevel();
    }
    if (producer) producer.allowed = allowed;
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

  /**
   * The forwarding hot path: one call per packet from any publisher (from the inbox, in the loop's
   * check phase). Everything that is the same for every listener (validation, enforcement, level,
   * sequence number, timestamp, payload size, clock) is done once here; each slot then only rewrites
   * 12 header bytes and sends. No allocation, no logging, no map lookup.
   */
  private handlePacket(producer: Producer, packet: Buffer): void {
    if (packet.length < RTP_HEADER_SIZE) return;
    const first = packet[0]!;
    const payloadType = packet[1]! & 0x7f;
    // Version 2, and not RTCP (64–95 once the marker bit is masked): speakers' RTCP is not forwarded.
    if (first >> 6 !== 2 || (payloadType >= 64 && payloadType <= 95)) return;
    const counters = this.counters;
    counters.packetsIn += 1;
    if (!producer.allowed) {
      counters.packetsDropped += 1;
      return;
    }
    // Comfort noise or other codecs a browser may switch to cannot be played on an Opus slot.
    if (payloadType !== producer.opusPayloadType) return;
    const now = performance.now();
    producer.noteLevel(packet, now);
    const consumers = producer.consumers;
    const count = consumers.length;
    if (count === 0) return;
    const headerLength = rtpHeaderLength(packet);
    if (headerLength < 0) return;
    const payloadBytes = packet.length - headerLength;
    const sequenceNumber = (packet[2]! << 8) | packet[3]!;
    const timestamp = packet.readUInt32BE(4);
    if (producer.isLate(timestamp, now)) {
      counters.packetsLate += 1;
      return;
    }
    let forwarded = 0;
    let failed = 0;
    for (let i = 0; i < count; i += 1) {
      const result = consumers[i]!.forward(packet, sequenceNumber, timestamp, payloadBytes, now);
      if (result === FORWARD_SENT) forwarded += 1;
      else if (result === FORWARD_FAILED) failed += 1;
    }
    counters.packetsForwarded += forwarded;
    counters.bytesForwarded += forwarded * packet.length;
    counters.sendFailures += failed;
  }

  private tick(): void {
    const now = performance.now();
    this.updateSlots(now);
    if (now - this.lastSpeakingAt >= SPEAKING_INTERVAL_MS) {
      this.lastSpeakingAt = now;
      this.emitSpeaking(now);
    }
    this.sendReports(now);
  }

  /**
   * RTCP sender reports: each subscriber gets one per slot that carried audio, every
   * {@link REPORT_INTERVAL_MS}; a tick serves one slice of the subscribers so the work is spread out.
   */
  private sendReports(now: number): void {
    this.reportTick = (this.reportTick + 1) % REPORT_SLICES;
    const nowEpochMs = Date.now();
    let index = 0;
    for (const subscriber of this.subscribers.values()) {
      if (index % REPORT_SLICES === this.reportTick) subscriber.sendReports(this.reportScratch, nowEpochMs, now);
      index += 1;
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

  /**
   * Re-rank the speakers for every subscriber (or only `only`). Listeners who hold the same slots get
   * the same answer, so the ranking runs once per distinct assignment (usually one or two for a whole
   * audience), not once per listener; speakers who also listen are ranked on their own, without
   * themselves.
   */
  private updateSlots(now: number, only?: Subscriber): void {
    if (this.closed || this.subscribers.size === 0) return;
    const candidates = this.candidates(now);
    const options = { hysteresisDb: this.settings.slotHysteresisDb, exclude: undefined as string | undefined };
    const shared = new Map<string, (string | null)[] | null>();
    const update = (subscriber: Subscriber) => {
      const isCandidate = this.producers.has(subscriber.participantId);
      let next = isCandidate ? undefined : shared.get(subscriber.assignmentKey);
      if (next === undefined) {
        const current = subscriber.assignment();
        options.exclude = subscriber.participantId;
        const ranked = assignSlots(current, candidates, options);
        next = sameAssignment(current, ranked) ? null : ranked;
        if (!isCandidate) shared.set(subscriber.assignmentKey, next);
      }
      if (next !== null) subscriber.applyAssignment(next, this.producers);
    };
    if (only) update(only);
    else for (const subscriber of this.subscribers.values()) update(subscriber);
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
