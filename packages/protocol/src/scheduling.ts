import { z } from 'zod';
import { PersonRef } from './accounts';
import { Id, RoomSummary, RoomTitle, RoomType } from './model';

/**
 * Scheduled events (a talk announced ahead, held later in a live room), RSVPs, calendar files and the
 * hallway: the bodies and replies of their HTTP endpoints (docs/protocol.md, section "Events").
 */

/** Whether `name` is an IANA time zone this runtime knows (`Europe/Paris`, `America/New_York`, `UTC`). */
export function isTimeZone(name: string): boolean {
  // Region/City names only: newer runtimes also accept offsets such as "+01:00", which are not zones.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone: the one an event's times are shown in. */
export const TimeZone = z.string().trim().min(1).max(64).refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris');

/**
 * A moment with an explicit offset: `2026-05-01T18:00:00+02:00` or `2026-05-01T16:00:00Z`. A time
 * without an offset is refused, since it would mean different moments in different places.
 */
export const Instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time with an offset, e.g. 2026-05-01T18:00:00+02:00' });

/** A username in a body (the rules for new names are checked at sign-up). */
export const UsernameField = z.string().trim().min(1, 'username is required').max(64).regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'not a username');

/** An event's description: plain text, shown on its page and in calendar files. */
export const EventDescription = z.string().trim().max(4000, 'description is at most 4000 characters');

/** Where an event is: announced, on air (its room is live), over, or called off. */
export const ScheduledEventStatus = z.enum(['scheduled', 'live', 'ended', 'cancelled']);
export type ScheduledEventStatus = z.infer<typeof ScheduledEventStatus>;

/** How long an event is expected to last, in minutes (calendar entries; the room itself has no limit). */
export const EventDuration = z.number().int().min(5, 'an event lasts at least 5 minutes').max(24 * 60, 'an event lasts at most a day');

/** What the signed-in person may do with an event, and how they relate to it. */
export const EventViewer = z.object({
  /** On the host list (a host runs the stage as a moderator once live). */
  host: z.boolean(),
  /** On the speaker list (accepted an invitation to speak). */
  speaker: z.boolean(),
  /** Asked to be notified ("notify me"). */
  rsvp: z.boolean(),
  /** May edit, cancel, invite speakers, create speaker links, go live: a host, or a delegate of one with the `events` scope. */
  canManage: z.boolean(),
  /** May press "go live" now: `canManage` and the start time is at most {@link goLiveEarlyMinutes} away. */
  canGoLive: z.boolean(),
});
export type EventViewer = z.infer<typeof EventViewer>;

/** Minutes before the start time from which hosts may go live. */
export const goLiveEarlyMinutes = 15;

/** A scheduled event as its page shows it. Times are UTC; show them in `timeZone` (or the viewer's own). */
export const ScheduledEvent = z.object({
  id: Id,
  title: RoomTitle,
  description: z.string(),
  /** When it starts, in UTC (`…Z`). */
  startsAt: z.iso.datetime(),
  durationMinutes: z.number().int(),
  /** The creator's time zone, for display ("18:00 Paris time"). */
  timeZone: z.string(),
  /** The type of the room it goes live in. */
  roomType: RoomType,
  status: ScheduledEventStatus,
  /** The first host created it and hosts the live room; the others are co-hosts (moderators once live). */
  hosts: z.array(PersonRef),
  /** People who accepted an invitation to speak: on stage when they join the live room. */
  speakers: z.array(PersonRef),
  rsvpCount: z.number().int().nonnegative(),
  /** The live room, once the event went live. */
  roomId: Id.nullable(),
  /** The event page (the share link). */
  link: z.string(),
  /** The calendar file of this event. */
  icsUrl: z.string(),
  createdAt: z.iso.datetime(),
  /** How the signed-in person relates to the event; null without a session. */
  viewer: EventViewer.nullable(),
});
export type ScheduledEvent = z.infer<typeof ScheduledEvent>;

/** `onBehalfOf`: the principal a delegate acts for (see Delegations); omit to act for yourself. */
const onBehalfOf = Id.optional();

/** `POST /api/events`: schedule an event. The caller (or `onBehalfOf`) is its first host. */
export const CreateEventBody = z.object({
  title: RoomTitle,
  description: EventDescription.default(''),
  startsAt: Instant,
  timeZone: TimeZone,
  durationMinutes: EventDuration.default(60),
  roomType: RoomType.default('open'),
  /** Usernames of co-hosts (members), at most 10. */
  coHosts: z.array(UsernameField).max(10, 'at most 10 co-hosts').default([]),
  onBehalfOf,
});
export type CreateEventBody = z.input<typeof CreateEventBody>;

/** `PATCH /api/events/:id`: change a scheduled event (hosts and their delegates). `coHosts` replaces the list. */
export const UpdateEventBody = z
  .object({
    title: RoomTitle.optional(),
    description: EventDescription.optional(),
    startsAt: Instant.optional(),
    timeZone: TimeZone.optional(),
    durationMinutes: EventDuration.optional(),
    roomType: RoomType.optional(),
    coHosts: z.array(UsernameField).max(10, 'at most 10 co-hosts').optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), 'change at least one field');
export type UpdateEventBody = z.input<typeof UpdateEventBody>;

/** `GET|POST|PATCH /api/events/:id` reply. */
export const EventReply = z.object({ event: ScheduledEvent });
export type EventReply = z.infer<typeof EventReply>;

/** `GET /api/events`: events you host, speak at or RSVP'd to (and those of people you are a delegate for). */
export const EventListReply = z.object({ events: z.array(ScheduledEvent) });
export type EventListReply = z.infer<typeof EventListReply>;

/** `POST /api/events/:id/live` reply: the event and its live room (join it over the WebSocket). */
export const GoLiveReply = z.object({ event: ScheduledEvent, room: RoomSummary });
export type GoLiveReply = z.infer<typeof GoLiveReply>;

/** `POST /api/account/calendar-feed` reply: the feed's secret URL, shown only here (rotate to get a new one). */
export const CalendarFeedReply = z.object({ url: z.string(), createdAt: z.iso.datetime() });
export type CalendarFeedReply = z.infer<typeof CalendarFeedReply>;

/** `GET /api/account/calendar-feed`: whether a feed URL exists (its secret is not shown again). */
export const CalendarFeedStatusReply = z.object({ feed: z.object({ createdAt: z.iso.datetime() }).nullable() });
export type CalendarFeedStatusReply = z.infer<typeof CalendarFeedStatusReply>;

/** A live room in the hallway, with the people you follow who are on its stage. */
export const HallwayRoom = z.object({
  room: RoomSummary,
  /** People you follow on stage now: rooms with some come first. */
  followedSpeakers: z.array(PersonRef),
});
export type HallwayRoom = z.infer<typeof HallwayRoom>;

/** Why an upcoming event is in your hallway. */
export const HallwayReason = z.enum(['hosting', 'speaking', 'rsvp', 'following']);
export type HallwayReason = z.infer<typeof HallwayReason>;

/** An upcoming event in the hallway. */
export const HallwayEvent = z.object({ event: ScheduledEvent, reason: HallwayReason });
export type HallwayEvent = z.infer<typeof HallwayEvent>;

/**
 * `GET /api/hallway`: live rooms you may enter — those with people you follow on stage first, then by
 * audience size — and upcoming events you host, speak at, RSVP'd to, or that people you follow host,
 * soonest first.
 */
export const HallwayReply = z.object({ rooms: z.array(HallwayRoom), events: z.array(HallwayEvent) });
export type HallwayReply = z.infer<typeof HallwayReply>;
