import type { RoomEvent, ServerMessage } from '@parley/protocol';
import type { SequencedEvent } from './live-room';

/** Where an outbox delivers: everyone in the room but `except`, or one person. */
export interface OutboxDelivery {
  /** Send to every connection of the room except these participants. */
  broadcast(json: string, except?: ReadonlySet<string>): void;
  /** Send to one participant (skipped when they are gone). */
  sendTo(participantId: string, json: string): void;
}

/**
 * How long the audience's changes wait in a room with `recipients` connections: at least `minMs`
 * (`AUDIENCE_BATCH_MS`; 0 turns waiting off), and 0.2 ms per recipient up to 2 s, so that a room's
 * audience changes cost at most ~5,000 frames a second however big it grows (a room of 5,000 hears of
 * newcomers once a second).
 */
export function audienceDelayMs(minMs: number, recipients: number): number {
  if (minMs <= 0) return 0;
  const bySize = Math.round(recipients / 5);
  const longest = Math.max(minMs, 2000);
  return Math.min(longest, Math.max(minMs, bySize));
}

/**
 * A room's events on their way to its connections, in `seq` order. A change on stage (a hand, a role,
 * a mute, the room's end) leaves at once; the audience coming and going (a listener joining, anyone
 * leaving) waits a moment ({@link audienceDelayMs}) and leaves together with the changes that pile up
 * meanwhile: a burst of joins costs each connection one frame instead of one per newcomer
 * (`room.events`), which is what makes a thousand arrivals affordable for a room of thousands. A stage
 * change flushes what waits first, so nobody sees events out of order.
 *
 * Someone handed a snapshot while events wait already has them: they get only the later ones.
 */
export class RoomOutbox {
  private pending: SequencedEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Snapshots handed out while events waited: participant → the `seq` their snapshot includes. */
  private readonly snapshots = new Map<string, number>();

  constructor(
    private readonly roomId: string,
    private readonly delivery: OutboxDelivery,
    /** How long audience changes may wait now, ms (0: not at all); asked when the first one arrives. */
    private readonly audienceDelay: () => number,
  ) {}

  /** Send an event now, or with the audience's next frame. */
  publish(event: SequencedEvent): void {
    if (isAudienceChange(event.event)) {
      if (this.pending.length > 0) {
        this.pending.push(event);
        return;
      }
      const delay = this.audienceDelay();
      if (delay > 0) {
        this.pending.push(event);
        this.timer = setTimeout(() => this.flush(), delay);
        return;
      }
    }
    this.flush();
    this.delivery.broadcast(this.frame([event]));
  }

  /** A participant was handed a snapshot including everything up to `seq`. */
  snapshotGiven(participantId: string, seq: number): void {
    if (this.pending.length > 0) this.snapshots.set(participantId, seq);
  }

  /** Send what waits now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const events = this.pending;
    this.pending = [];
    if (this.snapshots.size === 0) {
      this.delivery.broadcast(this.frame(events));
      return;
    }
    const late = new Map(this.snapshots);
    this.snapshots.clear();
    this.delivery.broadcast(this.frame(events), new Set(late.keys()));
    for (const [participantId, seq] of late) {
      const newer = events.filter((e) => e.seq > seq);
      if (newer.length > 0) this.delivery.sendTo(participantId, this.frame(newer));
    }
  }

  /** Drop what waits (the room is gone). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
    this.snapshots.clear();
  }

  private frame(events: SequencedEvent[]): string {
    const message: ServerMessage =
      events.length === 1 && events[0]
        ? { type: 'room.event', roomId: this.roomId, seq: events[0].seq, event: events[0].event }
        : { type: 'room.events', roomId: this.roomId, events };
    return JSON.stringify(message);
  }
}

/** Changes to the audience, which may wait a moment: a listener arriving, anyone leaving. */
function isAudienceChange(event: RoomEvent): boolean {
  return (event.kind === 'participantJoined' && event.participant.role === 'listener') || event.kind === 'participantLeft';
}
