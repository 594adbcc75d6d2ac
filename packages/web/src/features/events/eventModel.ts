import {
  CreateEventBody,
  CreateInvitationBody,
  CreateSpeakerLinkBody,
  RoomType,
  type Delegation,
  type Invitation,
  type PersonRef,
  type ScheduledEvent,
  type SpeakerLink,
} from '@parley/protocol';
import { formatWhen } from '../../app/time';
import type { FormSchema } from '../account/forms';

/**
 * The pure side of the event pages: times, form bodies and what the viewer may do. Kept out of the
 * components so it is unit-tested (eventModel.test.ts).
 */

type Issues = { path: readonly PropertyKey[]; message: string }[];
type Parsed<T> = { success: true; data: T } | { success: false; error: { issues: Issues } };

/** The viewer's own IANA time zone (the browser's), e.g. `Europe/Paris`. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** A moment as a person reads it, in their time zone with its name: "Friday, May 1, 2026, 6:00 PM GMT+2". */
export function formatEventTime(iso: string, options: { locale?: string; timeZone?: string } = {}): string {
  return formatWhen(iso, { ...options, style: 'long' });
}

/** A shorter form for lists: "May 1, 6:00 PM GMT+2". */
export function formatShortTime(iso: string, options: { locale?: string; timeZone?: string } = {}): string {
  return formatWhen(iso, { ...options, style: 'short' });
}

/**
 * The event's start in the host's zone when it differs from the viewer's ("6:00 PM in Europe/Paris"),
 * or null when both are in the same zone.
 */
export function hostZoneTime(event: Pick<ScheduledEvent, 'startsAt' | 'timeZone'>, viewerZone: string, locale?: string): string | null {
  if (!event.timeZone || event.timeZone === viewerZone) return null;
  try {
    const time = new Intl.DateTimeFormat(locale, { weekday: 'short', hour: 'numeric', minute: '2-digit', timeZone: event.timeZone }).format(new Date(event.startsAt));
    return `${time} in ${event.timeZone}`;
  } catch {
    return null;
  }
}

/**
 * A `datetime-local` value (`2026-05-01T18:00`, read in the browser's zone) as an ISO UTC instant, or
 * null when it is empty or not a real time.
 */
export function localInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value.trim())) return null;
  // Without an offset, ECMAScript reads a date-time string in the local zone: the browser's.
  const date = new Date(value.trim());
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A `datetime-local` value for a moment, in the browser's zone (to pre-fill the form). */
export function isoToLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The next full hour after `now`, as the form's default start. */
export function nextFullHour(now: Date): Date {
  const next = new Date(now.getTime());
  next.setMinutes(0, 0, 0);
  next.setHours(next.getHours() + 1);
  return next;
}

/** The room types as the "Room type" select offers them, in the protocol's order. */
export const roomTypeOptions: { type: RoomType; label: string; hint: string }[] = RoomType.options.map((type) => ({
  type,
  label: { open: 'Open', social: 'Social', closed: 'Closed' }[type],
  hint: {
    open: 'anyone can join, and it is listed in the hallway.',
    social: 'people who follow you or someone on stage.',
    closed: 'only people you let in.',
  }[type],
}));

/** The fields of the "Schedule an event" form, as strings. */
export type NewEventField = 'title' | 'description' | 'startsAt' | 'durationMinutes' | 'roomType' | 'coHosts';

/** The body the server expects, from the form's strings. */
export type NewEventBody = ReturnType<typeof CreateEventBody.parse>;

/**
 * Parses the "Schedule an event" form with the protocol's schema, after turning the strings into a
 * body: the local start time into ISO UTC, the duration into a number, co-hosts into usernames.
 */
export function parseNewEvent(values: Record<NewEventField, string>, timeZone: string): Parsed<NewEventBody> {
  const issues: Issues = [];
  const startsAt = localInputToIso(values.startsAt);
  if (!startsAt) issues.push({ path: ['startsAt'], message: 'Pick the date and time it starts.' });
  const durationText = values.durationMinutes.trim();
  const duration = durationText === '' ? undefined : Number(durationText);
  const coHosts = values.coHosts
    .split(/[\s,]+/)
    .map((name) => name.replace(/^@/, ''))
    .filter((name) => name !== '');
  const parsed = CreateEventBody.safeParse({
    title: values.title,
    description: values.description,
    startsAt: startsAt ?? undefined,
    timeZone,
    durationMinutes: duration,
    roomType: values.roomType,
    coHosts,
  });
  if (parsed.success && issues.length === 0) return { success: true, data: parsed.data };
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    if (issue.path[0] === 'startsAt' && issues.length > 0) continue;
    if (issue.path[0] === 'durationMinutes' && Number.isNaN(duration)) {
      issues.push({ path: ['durationMinutes'], message: 'the duration is a number of minutes' });
      continue;
    }
    issues.push({ path: issue.path, message: issue.message });
  }
  return { success: false, error: { issues } };
}

/** The "Schedule an event" form's schema for `useForm` (features/account/forms.tsx). */
export function newEventSchema(timeZone: string): FormSchema<NewEventBody> {
  return { safeParse: (input) => parseNewEvent(input as Record<NewEventField, string>, timeZone) };
}

/** The fields of the "Invite a speaker" form, as strings ("recorded" is "true" or ""). */
export type InviteField = 'invitee' | 'topic' | 'expectedAudience' | 'recorded' | 'message';

export type InviteBody = ReturnType<typeof CreateInvitationBody.parse>;

/** "Username or email": an address has an `@` inside; a leading `@` before a username is dropped. */
export function parseInvitee(text: string): { username: string } | { email: string } {
  const trimmed = text.trim();
  if (/^[^@\s]+@[^@\s]+$/.test(trimmed)) return { email: trimmed };
  return { username: trimmed.replace(/^@/, '') };
}

/** Parses the "Invite a speaker" form with the protocol's schema; invitee errors land on the one field. */
export function parseInvitation(values: Record<InviteField, string>, eventId: string): Parsed<InviteBody> {
  if (values.invitee.trim() === '') return { success: false, error: { issues: [{ path: ['invitee'], message: 'Give their username or email address.' }] } };
  const message = values.message.trim();
  const parsed = CreateInvitationBody.safeParse({
    ...parseInvitee(values.invitee),
    eventId,
    topic: values.topic,
    expectedAudience: values.expectedAudience,
    recorded: values.recorded === 'true',
    message: message === '' ? undefined : message,
  });
  if (parsed.success) return { success: true, data: parsed.data };
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path[0] === 'username' || issue.path[0] === 'email' ? ['invitee'] : issue.path,
    message: issue.message,
  }));
  return { success: false, error: { issues } };
}

/** The "Invite a speaker" form's schema for `useForm`. */
export function invitationSchema(eventId: string): FormSchema<InviteBody> {
  return { safeParse: (input) => parseInvitation(input as Record<InviteField, string>, eventId) };
}

export type SpeakerLinkBody = ReturnType<typeof CreateSpeakerLinkBody.parse>;

/** Parses the "Guest speaker links" form with the protocol's schema. */
export function parseSpeakerLink(values: { guestName: string }, eventId: string): Parsed<SpeakerLinkBody> {
  const parsed = CreateSpeakerLinkBody.safeParse({ guestName: values.guestName, eventId });
  if (parsed.success) return { success: true, data: parsed.data };
  return { success: false, error: { issues: parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message })) } };
}

/** What the event page offers the viewer. */
export interface EventActions {
  /** "Notify me" / "Stop notifying me" (members; turning it on only while the event is upcoming). */
  rsvp: 'on' | 'off' | null;
  /** Ask a visitor or guest to sign in for reminders. */
  signInForReminders: boolean;
  /** "Go live" (hosts and their delegates while the event is upcoming; the server may still say "too early"). */
  goLive: boolean;
  /** Go live is open now (15 minutes before the start): otherwise a hint says from when. */
  goLiveOpen: boolean;
  /** "Join the live room": the event is live. */
  joinRoomId: string | null;
  /** The hosts' tools: invite speakers, guest speaker links. */
  manage: boolean;
}

/** Decides the event page's controls from the event and whether the viewer is a member. */
export function eventActions(event: ScheduledEvent, member: boolean): EventActions {
  const viewer = event.viewer;
  const upcoming = event.status === 'scheduled';
  const manage = member && viewer !== null && viewer.canManage && (upcoming || event.status === 'live');
  let rsvp: EventActions['rsvp'] = null;
  if (member && viewer) {
    if (viewer.rsvp) rsvp = 'off';
    else if (upcoming) rsvp = 'on';
  }
  return {
    rsvp,
    signInForReminders: !member && upcoming,
    goLive: manage && upcoming,
    goLiveOpen: viewer?.canGoLive ?? false,
    joinRoomId: event.status === 'live' && event.roomId ? event.roomId : null,
    manage,
  };
}

/** When hosts may press "Go live": 15 minutes (goLiveEarlyMinutes) before the start. */
export function goLiveOpensAt(startsAt: string, earlyMinutes: number): Date {
  return new Date(new Date(startsAt).getTime() - earlyMinutes * 60_000);
}

/** "Scheduled", "Live now", "Ended", "Cancelled". */
export function eventStatusLabel(status: ScheduledEvent['status']): string {
  return { scheduled: 'Scheduled', live: 'Live now', ended: 'Ended', cancelled: 'Cancelled' }[status];
}

/** The "Guest speaker links" form's schema for `useForm`. */
export function speakerLinkSchema(eventId: string): FormSchema<SpeakerLinkBody> {
  return { safeParse: (input) => parseSpeakerLink(input as { guestName: string }, eventId) };
}

/**
 * For whom the viewer invites speakers to an event: themselves when they host it (`self`), else the
 * first host who made them a delegate for invitations, or null when they may not invite for anyone.
 */
export function invitingFor(event: Pick<ScheduledEvent, 'hosts' | 'viewer'>, received: readonly Delegation[]): 'self' | PersonRef | null {
  if (event.viewer?.host) return 'self';
  for (const host of event.hosts) {
    if (received.some((grant) => grant.principal.id === host.id && grant.scopes.includes('invitations'))) return host;
  }
  return null;
}

/** Who an invitation went to: the member's display name, or the address it was emailed to. */
export function inviteeName(invitation: Pick<Invitation, 'invitee' | 'inviteeEmail'>): string {
  return invitation.invitee?.displayName ?? invitation.inviteeEmail ?? 'someone';
}

/** The invitations sent for one event, newest first (the list comes newest first from the server). */
export function invitationsOfEvent(invitations: readonly Invitation[], eventId: string): Invitation[] {
  return invitations.filter((invitation) => invitation.kind === 'event' && invitation.event?.id === eventId);
}

/** A speaker link's state in words, with its time. */
export function speakerLinkState(link: Pick<SpeakerLink, 'status' | 'expiresAt' | 'usedAt'>, format: (iso: string) => string = (iso) => formatShortTime(iso)): string {
  switch (link.status) {
    case 'open':
      return `Not used yet · expires ${format(link.expiresAt)}`;
    case 'used':
      return link.usedAt ? `Used ${format(link.usedAt)}` : 'Used';
    case 'expired':
      return `Expired ${format(link.expiresAt)}`;
    case 'revoked':
      return 'Revoked';
  }
}

/** The sentence for the people count: "3 people asked to be notified". */
export function rsvpSentence(count: number): string {
  if (count === 0) return 'Nobody asked to be notified yet.';
  return `${count} ${count === 1 ? 'person' : 'people'} asked to be notified.`;
}

/** Names as a list: "Ada", "Ada and Bob", "Ada, Bob and Cy". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
