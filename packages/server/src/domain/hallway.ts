import type { HallwayEvent, HallwayReason, HallwayReply, HallwayRoom, RoomSummary, User } from '@parley/protocol';
import { toPersonRef } from './invites';
import type { LiveUpdates, NotificationService } from './notifications';
import type { Store } from './ports';
import type { RoomObserver, RoomService } from './rooms';
import type { EventService } from './scheduled-events';
import { eventStatus } from './scheduling-views';

/** How long before now an event that has not gone live yet still counts as upcoming (a late start). */
const lateStartMs = 2 * 3_600_000;

/** The logging the announcer needs. */
export interface AnnouncerLog {
  warn(obj: object, msg: string): void;
}

/**
 * The hallway: the live rooms a person may enter — those with people they follow on stage first,
 * then the fullest — and the upcoming events that concern them (they host, speak at or RSVP'd to
 * them, or someone they follow hosts them), soonest first. Which rooms a person may see at all is
 * {@link RoomService.listFor}'s rule, plus the closed rooms that admit them
 * ({@link RoomService.closedRoomsFor}); nobody sees the events of someone in a block with them.
 */
export class HallwayService {
  constructor(
    private readonly store: Store,
    private readonly rooms: RoomService,
    private readonly events: EventService,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The viewer's hallway (a guest or anonymous visitor sees open rooms only). */
  async hallway(viewer: User | null): Promise<HallwayReply> {
    const member = viewer?.kind === 'member' ? viewer : null;
    // Which rooms a person may see is the room service's rule (types, access lists, bans, blocks):
    // the hallway only ranks them. Closed rooms are never listed publicly, but appear to those they admit.
    const [listed, closed, following, blocks] = await Promise.all([
      this.rooms.listFor(viewer),
      member ? this.rooms.closedRoomsFor(member) : Promise.resolve([]),
      member ? this.store.scheduling.people.followingIds(member.id) : Promise.resolve([]),
      member ? this.store.moderation.blocks.relations(member.id) : Promise.resolve(null),
    ]);
    const followed = new Set(following);
    const blocked = (id: string) => blocks !== null && (blocks.blocks.has(id) || blocks.blockedBy.has(id));

    const summaries = [...listed, ...closed];
    const visible = summaries.map((room) => ({ room, followedIds: this.rooms.speakersOf(room.id).filter((id) => followed.has(id)) }));
    const people = await this.store.scheduling.people.byIds(visible.flatMap((v) => v.followedIds));
    const rooms: HallwayRoom[] = visible
      .map(({ room, followedIds }) => ({ room, followedSpeakers: people.filter((p) => followedIds.includes(p.id)).map(toPersonRef) }))
      .sort((a, b) => Number(b.followedSpeakers.length > 0) - Number(a.followedSpeakers.length > 0) || b.room.participantCount - a.room.participantCount);

    return { rooms, events: member ? await this.upcoming(member, blocked) : [] };
  }

  private async upcoming(member: User, blocked: (id: string) => boolean): Promise<HallwayEvent[]> {
    const from = new Date(this.clock().getTime() - lateStartMs);
    const related = await this.store.scheduling.events.related({ userIds: [member.id], from, following: true, limit: 100 });
    const events: HallwayEvent[] = [];
    for (const { view, relation } of related) {
      if (eventStatus(view.event, view.roomStatus) !== 'scheduled') continue;
      if (view.hosts.some((host) => blocked(host.id))) continue;
      const reason: HallwayReason = relation.hosting ? 'hosting' : relation.speaking ? 'speaking' : relation.rsvp ? 'rsvp' : 'following';
      // A closed event is shown only to the people it concerns, not to everyone following its host.
      if (view.event.roomType === 'closed' && reason === 'following') continue;
      events.push({ event: await this.events.toEvent(view, member), reason });
    }
    return events;
  }

}

/**
 * Hears rooms open and end: tells hallways on screen to refresh (at most once a second), and tells
 * the followers of a room's hosts that they went live (not for closed rooms, which admit only their list).
 */
export class LiveAnnouncer implements RoomObserver {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    private readonly notifications: NotificationService,
    private readonly live: LiveUpdates,
    private readonly log: AnnouncerLog,
    private readonly debounceMs = 1000,
  ) {}

  opened(room: RoomSummary): void {
    this.changed();
    this.announce(room).catch((error: unknown) => this.log.warn({ err: error, roomId: room.id }, 'announcing a live room failed'));
  }

  ended(): void {
    this.changed();
  }

  /** Something in the hallway changed: one `hallway.changed` to everyone, coalesced. */
  changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.live.toEveryone({ type: 'hallway.changed' });
    }, this.debounceMs);
    this.timer.unref();
  }

  private async announce(room: RoomSummary): Promise<void> {
    const record = await this.store.rooms.get(room.id);
    if (!record || record.type === 'closed') return;
    const event = await this.store.scheduling.events.findByRoom(room.id);
    const hostIds = event ? ((await this.store.scheduling.events.get(event.id, null))?.hosts.map((h) => h.id) ?? [room.hostId]) : [room.hostId];
    const followers = (await this.store.scheduling.people.followerIds(hostIds)).filter((id) => !hostIds.includes(id));
    await this.notifications.notify({
      kind: 'followee.live',
      recipients: followers.map((userId) => ({ userId, onBehalfOf: null })),
      actorId: room.hostId,
      text: () => `${room.hostName} is live: “${room.title}”.`,
      link: `/rooms/${room.id}`,
      roomId: room.id,
      ...(event ? { eventId: event.id } : {}),
      dedupeKey: `followee.live:${room.id}`,
    });
  }
}
