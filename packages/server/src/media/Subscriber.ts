import { randomInt } from 'node:crypto';
import nodeDataChannel from 'node-datachannel';
import type { PeerConnection } from 'node-datachannel';
import { Consumer } from './Consumer';
import type { Producer } from './Producer';
import { createPeerConnection, isTerminalState, localSdp, whenGatheringComplete, type PeerSettings } from './peer';
import type { SlotAssignment } from './slots';

/** Opus payload type the server offers on every slot. */
export const SLOT_PAYLOAD_TYPE = 111;

/** What a subscriber reports to its room. */
export interface SubscriberHandlers {
  /** The peer failed or closed without the room asking. */
  onPeerClosed(subscriber: Subscriber): void;
}

/**
 * A participant's receiving peer: the server offers N sendonly Opus tracks (the audio slots) with
 * fixed SSRCs from the start, so speakers coming and going never need a renegotiation. Created only by
 * its room; owns its consumers (one per slot).
 */
export class Subscriber {
  /** One consumer per slot, by slot index. */
  readonly consumers: readonly Consumer[];
  private closed = false;
  private answered = false;
  /** Last state the peer connection reported (metrics), kept here so a scrape makes no native call. */
  peerState = 'new';

  /**
   * Who is on each slot, as one string (participant ids joined by a newline; empty for idle): the
   * room ranks speakers once per distinct assignment rather than once per listener. Kept current by
   * the consumers' source changes, so reading it allocates nothing.
   */
  assignmentKey = '';

  private constructor(
    /** The receiving participant. */
    readonly participantId: string,
    private readonly pc: PeerConnection,
    consumers: Consumer[],
  ) {
    this.consumers = consumers;
    for (const consumer of consumers) consumer.onSourceChange = () => this.updateAssignmentKey();
    this.updateAssignmentKey();
  }

  /** Create the peer with `slotCount` slot tracks; resolves with the offer SDP (candidates included). */
  static async create(
    participantId: string,
    slotCount: number,
    settings: PeerSettings,
    handlers: SubscriberHandlers,
  ): Promise<{ subscriber: Subscriber; offerSdp: string }> {
    const pc = createPeerConnection(settings, `subscribe-${participantId}`);
    const consumers: Consumer[] = [];
    const ssrcs = new Set<number>();
    for (let index = 0; index < slotCount; index += 1) {
      let ssrc = randomInt(1, 0xffffffff);
      while (ssrcs.has(ssrc)) ssrc = randomInt(1, 0xffffffff);
      ssrcs.add(ssrc);
      const audio = new nodeDataChannel.Audio(String(index), 'SendOnly');
      audio.addOpusCodec(SLOT_PAYLOAD_TYPE);
      // One stream per slot, so a browser plays each slot on its own <audio> element.
      audio.addSSRC(ssrc, `parley-${index}`, `parley-slot-${index}`, `slot-${index}`);
      // addTrack copies the description: the Audio wrapper need not outlive this loop.
      consumers.push(new Consumer(index, ssrc, SLOT_PAYLOAD_TYPE, pc.addTrack(audio)));
    }
    const subscriber = new Subscriber(participantId, pc, consumers);
    pc.onStateChange((state) => {
      subscriber.peerState = state;
      // One callback per peer opens all its slots (a per-track onOpen would cost a native async
      // handle per slot, scanned by the event loop on every wake-up).
      if (state === 'connected') for (const consumer of consumers) consumer.markOpen();
      if (isTerminalState(state) && !subscriber.closed) {
        subscriber.close();
        handlers.onPeerClosed(subscriber);
      }
    });
    const gathered = whenGatheringComplete(pc, settings.gatheringTimeoutMs);
    try {
      pc.setLocalDescription();
      await gathered;
      return { subscriber, offerSdp: localSdp(pc, settings) };
    } catch (error) {
      subscriber.close();
      throw error;
    }
  }

  /** Apply the participant's answer to our offer. */
  acceptAnswer(answerSdp: string): void {
    if (this.closed) throw new Error('subscriber is closed');
    if (this.answered) throw new Error('answer already applied');
    this.pc.setRemoteDescription(answerSdp, 'answer');
    this.answered = true;
  }

  /** Who is on each slot now (participant id or null), by slot index. */
  assignment(): (string | null)[] {
    return this.consumers.map((consumer) => consumer.source?.participantId ?? null);
  }

  private updateAssignmentKey(): void {
    this.assignmentKey = this.consumers.map((consumer) => consumer.source?.participantId ?? '').join('\n');
  }

  /** Sender reports for every slot that sent since its last one; returns how many went out. */
  sendReports(scratch: Buffer, nowEpochMs: number, now: number): number {
    let sent = 0;
    for (const consumer of this.consumers) if (consumer.sendReport(scratch, nowEpochMs, now)) sent += 1;
    return sent;
  }

  /** Put speakers on slots per `assignment`; `producers` resolves participant ids. */
  applyAssignment(assignment: SlotAssignment, producers: ReadonlyMap<string, Producer>): void {
    this.consumers.forEach((consumer, index) => {
      const participantId = assignment[index] ?? null;
      consumer.setSource(participantId === null ? null : (producers.get(participantId) ?? null));
    });
  }

  /** Packets sent to this participant over all slots. */
  packetsSent(): number {
    return this.consumers.reduce((sum, consumer) => sum + consumer.packetsSent, 0);
  }

  /** True once closed (by the room or by the peer). */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Close every slot and the peer. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const consumer of this.consumers) consumer.close();
    try {
      this.pc.close();
    } catch {
      // Already closed natively.
    }
  }
}
