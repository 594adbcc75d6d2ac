import {
  goLiveEarlyMinutes,
  ParleyError,
  type CalendarFeedReply,
  type CalendarFeedStatusReply,
  type CreateEventBody,
  type GoLiveReply,
  type RoomSummary,
  type ScheduledEvent,
  type UpdateEventBody,
  type User,
} from '@parley/protocol';
import type { z } from 'zod';
import { renderCalendar, type CalendarEntry } from './calendar';
import { requireMember, type DelegationService } from './delegations';
import { hashToken, newId, newToken } from './ids';
import { toPersonRef, type LinkBuilder } from './invites';
import type { JobRunner } from './jobs';
import type { NotificationService } from './notifications';
import type { Store } from './ports';
import type { RoomService } from './rooms';
import type { EventChanges, EventView } from './scheduling-ports';
import { eventStatus } from './scheduling-views';

/** Reminders go out this long before the start. */
export const reminderLeadMinutes = 10;

/** Job kind of the "starts in 10 minutes" reminder. */
export const eventReminderJob = 'event.reminder';

/** How long a go-live that lost the claim waits for the winner's room: 60 × 50 ms. */
const roomWaitAttempts = 60;
const roomWaitMs = 50;

/** How far back a person's own list and calendar feed reach. */
const pastWindowMs = 30 * 86_400_000;

/** Collaborators of the {@link EventService}. */
export interface EventServiceDeps {
  store: Store;
  rooms: RoomService;
  delegations: DelegationService;
  notifications: NotificationService;
  jobs: JobRunner;
  links: LinkBuilder;
  /** Tell hallways on screen to refresh. */
  hallwayChanged: () => void;
  clock?: () => Date;
}

/** Parsed bodies (defaults applied). */
type CreateEvent = z.output<typeof CreateEventBody>;
type UpdateEvent = z.output<typeof UpdateEventBody>;

/**
 * Scheduled events: a talk announced ahead with a title, description, start time (stored in UTC,
 * shown in the creator's time zone), hosts and co-hosts, and the type of room it will go live in.
 * People RSVP ("notify me") and get a reminder 10 minutes before; the event has a page, a calendar
 * file and a place in each host's and RSVP's calendar feed. From 15 minutes before the start its
 * hosts (or their delegates) press "go live", which opens the room with the hosts as moderators and
 * the accepted speakers on stage as they join.
 */
export class EventService {
  private readonly clock: () => Date;

  constructor(private readonly deps: EventServiceDeps) {
    this.clock = deps.clock ?? (() => new Date());
    deps.jobs.register(eventReminderJob, (payload) => this.remind(payload.eventId ?? ''));
  }

  /** Schedule an event; the user (or the principal they act for) is its first host. */
  async create(user: User, input: CreateEvent): Promise<ScheduledEvent> {
    requireMember(user, 'schedule events');
    const principal = await this.deps.delegations.principalFor(user, input.onBehalfOf, 'events');
    const hostIds = await this.hostList(principal, input.coHosts);
    const now = this.clock();
    const startsAt = new Date(input.startsAt);
    const id = newId();
    await this.deps.store.scheduling.events.create(
      {
        id,
        title: input.title,
        description: input.description,
        startsAt,
        durationMinutes: input.durationMinutes,
        timeZone: input.timeZone,
        roomType: input.roomType,
        createdBy: principal,
        createdAt: now,
        updatedAt: now,
        cancelledAt: null,
        roomId: null,
        liveAt: null,
      },
      hostIds,
      this.deps.delegations.act('event.created', id, user.id, principal),
    );
    await this.scheduleReminder(id, startsAt);
    this.deps.hallwayChanged();
    return this.get(id, user);
  }

  /** An event's page, as the viewer sees it. Closed events are shown only to the people they concern. */
  async get(id: string, viewer: User | null): Promise<ScheduledEvent> {
    const view = await this.view(id, viewer);
    return this.toEvent(view, viewer);
  }

  /** Events the user (or a principal of theirs) hosts, speaks at or RSVP'd to, from 30 days ago on. */
  async list(user: User): Promise<ScheduledEvent[]> {
    requireMember(user, 'list your events');
    const principals = await this.deps.delegations.principalsOf(user, 'events');
    const related = await this.deps.store.scheduling.events.related({ userIds: principals, from: new Date(this.clock().getTime() - pastWindowMs), following: false, limit: 200 });
    return Promise.all(related.map(({ view }) => this.toEvent(view, user)));
  }

  /** Change an event that has not gone live (hosts and their delegates). */
  async update(user: User, id: string, input: UpdateEvent): Promise<ScheduledEvent> {
    const view = await this.managed(user, id);
    const { coHosts, startsAt, ...rest } = input;
    const changes: EventChanges = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
    if (startsAt !== undefined) changes.startsAt = new Date(startsAt);
    if (coHosts !== undefined) changes.hostIds = await this.hostList(view.event.createdBy, coHosts);
    const principal = await this.managerPrincipal(user, view);
    if (!(await this.deps.store.scheduling.events.update(id, changes, this.clock(), this.deps.delegations.act('event.updated', id, user.id, principal)))) {
      throw new ParleyError('conflict', 'This event went live or was cancelled: it can no longer be changed.');
    }
    if (changes.startsAt) await this.scheduleReminder(id, changes.startsAt);
    this.deps.hallwayChanged();
    return this.get(id, user);
  }

  /** Call an event off (before it goes live); its pending invitations are withdrawn. */
  async cancel(user: User, id: string): Promise<void> {
    const view = await this.managed(user, id);
    const principal = await this.managerPrincipal(user, view);
    if (!(await this.deps.store.scheduling.events.cancel(id, this.clock(), this.deps.delegations.act('event.cancelled', id, user.id, principal)))) {
      throw new ParleyError('conflict', 'This event went live or was already cancelled.');
    }
    await this.deps.jobs.cancel(reminderKey(id));
    this.deps.hallwayChanged();
  }

  /** "Notify me" on (true) or off. */
  async rsvp(user: User, id: string, on: boolean): Promise<ScheduledEvent> {
    requireMember(user, 'get reminders');
    const view = await this.view(id, user);
    if (on && eventStatus(view.event, view.roomStatus) !== 'scheduled') throw new ParleyError('conflict', 'This event is not upcoming any more.');
    await this.deps.store.scheduling.events.setRsvp(id, user.id, on, this.clock());
    return this.get(id, user);
  }

  /**
   * "Go live": open the event's room (from 15 minutes before the start). Pressing it again, or two
   * hosts pressing it at once, gives the same room.
   */
  async goLive(user: User, id: string): Promise<GoLiveReply> {
    const view = await this.managed(user, id, { live: true });
    const { event } = view;
    if (event.roomId) return this.liveRoomOf(user, id, event.roomId);
    const now = this.clock();
    const opensAt = event.startsAt.getTime() - goLiveEarlyMinutes * 60_000;
    if (now.getTime() < opensAt) {
      throw new ParleyError('conflict', `Too early: hosts can go live from ${goLiveEarlyMinutes} minutes before the start (${new Date(opensAt).toISOString()}).`);
    }
    const principal = await this.managerPrincipal(user, view);
    const claim = await this.deps.store.scheduling.events.claimRoom(id, newId(), now, this.deps.delegations.act('event.live', id, user.id, principal));
    if (!claim) throw new ParleyError('conflict', 'This event was cancelled.');
    if (!claim.won) return this.liveRoomOf(user, id, claim.roomId);
    const host = view.hosts[0];
    if (!host) throw new ParleyError('conflict', 'This event has no host.');
    try {
      await this.deps.rooms.openForEvent({ roomId: claim.roomId, title: event.title, type: event.roomType, host: { id: host.id, displayName: host.displayName } });
    } catch (error) {
      await this.deps.store.scheduling.events.releaseRoom(id, claim.roomId);
      throw error;
    }
    await this.deps.jobs.cancel(reminderKey(id));
    return this.liveRoomOf(user, id, claim.roomId);
  }

  /** The event's `.ics` file. */
  async ics(id: string, viewer: User | null): Promise<string> {
    const view = await this.view(id, viewer);
    return renderCalendar(view.event.title, [this.calendarEntry(view)], this.clock());
  }

  /** Make (or replace) the person's secret calendar feed URL. */
  async createFeed(user: User): Promise<CalendarFeedReply> {
    requireMember(user, 'have a calendar feed');
    const token = newToken();
    const now = this.clock();
    await this.deps.store.scheduling.calendarFeeds.set(user.id, hashToken(token), now);
    return { url: this.deps.links(`/api/calendar/${token}.ics`), createdAt: now.toISOString() };
  }

  /** Whether the person has a feed URL. */
  async feedStatus(user: User): Promise<CalendarFeedStatusReply> {
    requireMember(user, 'have a calendar feed');
    const feed = await this.deps.store.scheduling.calendarFeeds.get(user.id);
    return { feed: feed ? { createdAt: feed.createdAt.toISOString() } : null };
  }

  /** Stop the feed URL from working. */
  async deleteFeed(user: User): Promise<void> {
    requireMember(user, 'have a calendar feed');
    await this.deps.store.scheduling.calendarFeeds.remove(user.id);
  }

  /** The feed behind a secret token: events the person hosts, speaks at or RSVP'd to. */
  async feed(token: string): Promise<string> {
    const userId = await this.deps.store.scheduling.calendarFeeds.findUser(hashToken(token));
    if (!userId) throw new ParleyError('not_found', 'No such calendar.');
    const related = await this.deps.store.scheduling.events.related({ userIds: [userId], from: new Date(this.clock().getTime() - pastWindowMs), following: false, limit: 500 });
    return renderCalendar('Parley', related.map(({ view }) => this.calendarEntry(view)), this.clock());
  }

  /** Whether the user may manage the event: a host, or a delegate of one with the `events` scope. */
  async canManage(user: User, view: EventView): Promise<boolean> {
    if (user.kind !== 'member') return false;
    const principals = await this.deps.delegations.principalsOf(user, 'events');
    return view.hosts.some((host) => principals.includes(host.id));
  }

  /** The event as the viewer sees it, or `not_found` (also for a closed event that does not concern them). */
  async view(id: string, viewer: User | null): Promise<EventView> {
    const view = await this.deps.store.scheduling.events.get(id, viewer?.id ?? null);
    if (!view || !(await this.maySee(view, viewer))) throw new ParleyError('not_found', 'No such event.');
    return view;
  }

  /** The protocol's event, with what the viewer may do. */
  async toEvent(view: EventView, viewer: User | null): Promise<ScheduledEvent> {
    const { event } = view;
    const status = eventStatus(event, view.roomStatus);
    const canManage = viewer ? await this.canManage(viewer, view) : false;
    const opensAt = event.startsAt.getTime() - goLiveEarlyMinutes * 60_000;
    return {
      id: event.id,
      title: event.title,
      description: event.description,
      startsAt: event.startsAt.toISOString(),
      durationMinutes: event.durationMinutes,
      timeZone: event.timeZone,
      roomType: event.roomType,
      status,
      hosts: view.hosts.map(toPersonRef),
      speakers: view.speakers.map(toPersonRef),
      rsvpCount: view.rsvpCount,
      roomId: event.roomId,
      link: this.deps.links(`/events/${event.id}`),
      icsUrl: this.deps.links(`/api/events/${event.id}/event.ics`),
      createdAt: event.createdAt.toISOString(),
      viewer: viewer
        ? {
            host: view.hosts.some((h) => h.id === viewer.id),
            speaker: view.speakers.some((s) => s.id === viewer.id),
            rsvp: view.viewerRsvp,
            canManage,
            canGoLive: canManage && (status === 'live' || (status === 'scheduled' && this.clock().getTime() >= opensAt)),
          }
        : null,
    };
  }

  private async maySee(view: EventView, viewer: User | null): Promise<boolean> {
    if (view.event.roomType !== 'closed') return true;
    if (!viewer || viewer.kind !== 'member') return false;
    if (view.speakers.some((s) => s.id === viewer.id) || view.viewerRsvp || (await this.canManage(viewer, view))) return true;
    // Invited people see the event they are invited to (and their delegates do).
    const principals = await this.deps.delegations.principalsOf(viewer, 'invitations');
    const invitations = await this.deps.store.scheduling.invitations.list({ principalIds: principals, box: 'received', limit: 200 });
    return invitations.some((i) => i.invitation.eventId === view.event.id);
  }

  /** The event, if the user may manage it (else `forbidden`) and it is still upcoming (or, with `live`, live). */
  private async managed(user: User, id: string, allow: { live?: boolean } = {}): Promise<EventView> {
    requireMember(user, 'manage events');
    const view = await this.view(id, user);
    if (!(await this.canManage(user, view))) throw new ParleyError('forbidden', "Only the event's hosts (or their delegates) can do this.");
    const status = eventStatus(view.event, view.roomStatus);
    if (status === 'cancelled') throw new ParleyError('conflict', 'This event was cancelled.');
    if (status === 'ended') throw new ParleyError('conflict', 'This event is over.');
    if (status === 'live' && !allow.live) throw new ParleyError('conflict', 'This event is live: it can no longer be changed.');
    return view;
  }

  /** For which host the user acts on this event: themselves if a host, else the first host they are a delegate of. */
  private async managerPrincipal(user: User, view: EventView): Promise<string> {
    const principals = await this.deps.delegations.principalsOf(user, 'events');
    return principals.find((p) => view.hosts.some((h) => h.id === p)) ?? user.id;
  }

  /** First host, then the co-hosts by username (members, each once, at most 10). */
  private async hostList(firstHost: string, coHosts: readonly string[]): Promise<string[]> {
    const hosts = [firstHost];
    for (const username of coHosts) {
      const person = await this.deps.store.scheduling.people.byUsername(username);
      if (!person) throw new ParleyError('not_found', `Nobody has the username ${username}.`);
      if (!hosts.includes(person.id)) hosts.push(person.id);
    }
    return hosts;
  }

  private async liveRoomOf(user: User, eventId: string, roomId: string): Promise<GoLiveReply> {
    const room = await this.openedRoom(roomId);
    if (room.status === 'ended') throw new ParleyError('conflict', 'This event is over.');
    this.deps.hallwayChanged();
    return { event: await this.get(eventId, user), room };
  }

  /**
   * The room a go-live claimed. Someone who lost the claim to a host pressing at the same moment may
   * ask before the winner has stored the room (it claims first, then opens): wait a moment for it.
   */
  private async openedRoom(roomId: string): Promise<RoomSummary> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.deps.rooms.get(roomId);
      } catch (error) {
        if (!(error instanceof ParleyError && error.code === 'not_found') || attempt >= roomWaitAttempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, roomWaitMs));
      }
    }
  }

  private async scheduleReminder(eventId: string, startsAt: Date): Promise<void> {
    const runAt = new Date(Math.max(this.clock().getTime(), startsAt.getTime() - reminderLeadMinutes * 60_000));
    await this.deps.jobs.schedule(eventReminderJob, reminderKey(eventId), { eventId, startsAt: startsAt.toISOString() }, runAt);
  }

  /** The reminder job: everyone who hosts, speaks at or RSVP'd to the event hears it starts soon (or is live). */
  private async remind(eventId: string): Promise<void> {
    const view = await this.deps.store.scheduling.events.get(eventId, null);
    if (!view) return;
    const status = eventStatus(view.event, view.roomStatus);
    if (status === 'cancelled' || status === 'ended') return;
    const audience = await this.deps.store.scheduling.events.audience(eventId);
    const title = view.event.title;
    const minutes = Math.max(0, Math.round((view.event.startsAt.getTime() - this.clock().getTime()) / 60_000));
    await this.deps.notifications.notify({
      kind: 'event.starting',
      recipients: audience.map((userId) => ({ userId, onBehalfOf: null })),
      actorId: null,
      text: () => (status === 'live' ? `“${title}” is live now.` : minutes > 0 ? `“${title}” starts in ${minutes} minutes.` : `“${title}” is starting.`),
      link: `/events/${eventId}`,
      eventId,
      dedupeKey: `event.starting:${eventId}:${view.event.startsAt.toISOString()}`,
    });
  }

  private calendarEntry(view: EventView): CalendarEntry {
    const { event } = view;
    const hosts = view.hosts.map((h) => h.displayName).join(', ');
    return {
      uid: `${event.id}@parley`,
      title: event.title,
      description: [event.description, `Hosted by ${hosts}. Times are set in ${event.timeZone}.`].filter(Boolean).join('\n\n'),
      startsAt: event.startsAt,
      durationMinutes: event.durationMinutes,
      url: this.deps.links(`/events/${event.id}`),
      cancelled: event.cancelledAt !== null,
      createdAt: event.createdAt,
      updatedAt: event.updatedAt,
    };
  }
}

function reminderKey(eventId: string): string {
  return `event.reminder:${eventId}`;
}
