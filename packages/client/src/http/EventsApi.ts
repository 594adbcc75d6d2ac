import {
  CalendarFeedReply,
  CalendarFeedStatusReply,
  EventListReply,
  EventReply,
  GoLiveReply,
  HallwayReply,
  type CreateEventBody,
  type ScheduledEvent,
  type UpdateEventBody,
} from '@parley/protocol';
import type { HttpClient } from './HttpClient';

const path = (value: string) => encodeURIComponent(value);

/**
 * Scheduled events (`client.events`): schedule, edit, cancel, RSVP, go live, the personal calendar
 * feed, and the hallway. An event's calendar file is at `event.icsUrl`; its page at `event.link`.
 */
export class EventsApi {
  constructor(private readonly http: HttpClient) {}

  /** Live rooms I may enter and upcoming events that concern me, ranked (works without an account: open rooms only). */
  hallway = (): Promise<HallwayReply> => this.http.send('GET', '/api/hallway', HallwayReply);

  /** Events I (or a principal of mine) host, speak at or RSVP'd to. */
  list = async (): Promise<ScheduledEvent[]> => (await this.http.send('GET', '/api/events', EventListReply)).events;

  /** Schedule an event: `startsAt` with an offset (`2026-05-01T18:00:00+02:00`), `timeZone` an IANA name. */
  create = async (body: CreateEventBody): Promise<ScheduledEvent> => (await this.http.send('POST', '/api/events', EventReply, body)).event;

  get = async (id: string): Promise<ScheduledEvent> => (await this.http.send('GET', `/api/events/${path(id)}`, EventReply)).event;

  /** Change an upcoming event (hosts and their delegates); `coHosts` replaces the co-host list. */
  update = async (id: string, body: UpdateEventBody): Promise<ScheduledEvent> => (await this.http.send('PATCH', `/api/events/${path(id)}`, EventReply, body)).event;

  /** Cancel an upcoming event; its pending invitations are withdrawn. */
  cancel = (id: string): Promise<void> => this.http.sendEmpty('DELETE', `/api/events/${path(id)}`);

  /** "Notify me" (true) or not (false). */
  rsvp = async (id: string, on = true): Promise<ScheduledEvent> => (await this.http.send(on ? 'PUT' : 'DELETE', `/api/events/${path(id)}/rsvp`, EventReply)).event;

  /** Open the event's live room (from 15 minutes before the start); then join `room.id` with `client.joinRoom`. */
  goLive = (id: string): Promise<GoLiveReply> => this.http.send('POST', `/api/events/${path(id)}/live`, GoLiveReply);

  /** Whether I have a calendar feed URL. */
  calendarFeed = (): Promise<CalendarFeedStatusReply> => this.http.send('GET', '/api/account/calendar-feed', CalendarFeedStatusReply);

  /** Make (or rotate) my secret calendar feed URL; the URL is shown only in this reply. */
  createCalendarFeed = (): Promise<CalendarFeedReply> => this.http.send('POST', '/api/account/calendar-feed', CalendarFeedReply);

  /** Turn my calendar feed URL off. */
  deleteCalendarFeed = (): Promise<void> => this.http.sendEmpty('DELETE', '/api/account/calendar-feed');
}
