import { describe, expect, test } from 'vitest';
import type { Invitation, ScheduledEvent } from '@parley/protocol';
import {
  eventActions,
  formatEventTime,
  hostZoneTime,
  invitationsOfEvent,
  invitingFor,
  inviteeName,
  isoToLocalInput,
  joinNames,
  localInputToIso,
  nextFullHour,
  parseInvitation,
  parseInvitee,
  parseNewEvent,
  parseSpeakerLink,
  roomTypeOptions,
  rsvpSentence,
  speakerLinkState,
} from './eventModel';

const eventId = 'evt-0001';

function event(patch: Partial<ScheduledEvent> = {}, viewer: Partial<NonNullable<ScheduledEvent['viewer']>> | null = {}): ScheduledEvent {
  return {
    id: eventId,
    title: 'Launch party',
    description: '',
    startsAt: '2026-05-01T16:00:00.000Z',
    durationMinutes: 60,
    timeZone: 'Europe/Paris',
    roomType: 'open',
    status: 'scheduled',
    hosts: [],
    speakers: [],
    rsvpCount: 0,
    roomId: null,
    link: 'http://localhost/events/evt-0001',
    icsUrl: 'http://localhost/api/events/evt-0001/event.ics',
    createdAt: '2026-04-01T10:00:00.000Z',
    viewer: viewer === null ? null : { host: false, speaker: false, rsvp: false, canManage: false, canGoLive: false, ...viewer },
    ...patch,
  };
}

describe('times', () => {
  test('an event time names its zone', () => {
    const text = formatEventTime('2026-05-01T16:00:00.000Z', { locale: 'en-US', timeZone: 'Europe/Paris' });
    // The joiner between date and time ("at" or ",") depends on the ICU version: check the parts.
    for (const part of ['Friday', 'May 1, 2026', '6:00', 'PM', 'GMT+2']) expect(text).toContain(part);
    expect(formatEventTime('2026-05-01T16:00:00.000Z', { locale: 'en-US', timeZone: 'UTC' })).toContain('4:00 PM UTC');
  });

  test("the host's zone is added only when it differs from the viewer's", () => {
    expect(hostZoneTime(event(), 'Europe/Paris', 'en-US')).toBeNull();
    expect(hostZoneTime(event(), 'America/New_York', 'en-US')).toBe('Fri 6:00 PM in Europe/Paris');
  });

  test('a datetime-local value is read in the local zone and sent as UTC', () => {
    const iso = localInputToIso('2026-05-01T18:00');
    expect(iso).toBe(new Date(2026, 4, 1, 18, 0).toISOString());
    expect(iso?.endsWith('Z')).toBe(true);
    expect(localInputToIso('')).toBeNull();
    expect(localInputToIso('tomorrow')).toBeNull();
    expect(localInputToIso('2026-13-45T99:00')).toBeNull();
  });

  test('the default start is the next full hour, and round-trips through the input format', () => {
    const start = nextFullHour(new Date(2026, 4, 1, 17, 20, 30));
    expect(start).toEqual(new Date(2026, 4, 1, 18, 0, 0, 0));
    expect(isoToLocalInput(start)).toBe('2026-05-01T18:00');
    expect(localInputToIso(isoToLocalInput(start))).toBe(start.toISOString());
  });
});

describe('the "Schedule an event" form', () => {
  const values = { title: ' Launch party ', description: '', startsAt: '2026-05-01T18:00', durationMinutes: '60', roomType: 'open', coHosts: '' };

  test('a complete form becomes the body the server expects', () => {
    const parsed = parseNewEvent(values, 'Europe/Paris');
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    expect(parsed.data).toMatchObject({ title: 'Launch party', timeZone: 'Europe/Paris', durationMinutes: 60, roomType: 'open', coHosts: [] });
    expect(parsed.data.startsAt).toBe(new Date(2026, 4, 1, 18, 0).toISOString());
  });

  test('co-hosts are usernames separated by commas or spaces, with or without @', () => {
    const parsed = parseNewEvent({ ...values, coHosts: '@ada, bob  cy' }, 'UTC');
    expect(parsed.success && parsed.data.coHosts).toEqual(['ada', 'bob', 'cy']);
  });

  test('each problem is reported on its field', () => {
    const parsed = parseNewEvent({ ...values, title: ' ', startsAt: '', durationMinutes: 'soon', roomType: 'party' }, 'UTC');
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    const fields = parsed.error.issues.map((issue) => issue.path[0]);
    expect(fields).toEqual(expect.arrayContaining(['title', 'startsAt', 'durationMinutes', 'roomType']));
    expect(parsed.error.issues.filter((issue) => issue.path[0] === 'startsAt')).toHaveLength(1);
    expect(parsed.error.issues.find((issue) => issue.path[0] === 'title')?.message).toBe('title is required');
  });

  test('the room types are those of the protocol', () => {
    expect(roomTypeOptions.map((option) => option.type)).toEqual(['open', 'social', 'closed']);
  });
});

describe('the "Invite a speaker" form', () => {
  const values = { invitee: 'ada', topic: 'Opening talk', expectedAudience: '200 developers', recorded: 'true', message: '' };

  test('a username or an email address', () => {
    expect(parseInvitee(' ada ')).toEqual({ username: 'ada' });
    expect(parseInvitee('@ada')).toEqual({ username: 'ada' });
    expect(parseInvitee('ada@example.com')).toEqual({ email: 'ada@example.com' });
  });

  test('a complete form becomes an invitation to the event', () => {
    const parsed = parseInvitation(values, eventId);
    expect(parsed.success && parsed.data).toMatchObject({ username: 'ada', eventId, topic: 'Opening talk', expectedAudience: '200 developers', recorded: true });
    expect(parsed.success && parsed.data.message).toBeUndefined();
    const emailed = parseInvitation({ ...values, invitee: 'Ada@Example.com', recorded: '', message: ' Hi! ' }, eventId);
    expect(emailed.success && emailed.data).toMatchObject({ email: 'ada@example.com', recorded: false, message: 'Hi!' });
  });

  test('problems with the invitee land on the one field', () => {
    const empty = parseInvitation({ ...values, invitee: '' }, eventId);
    expect(!empty.success && empty.error.issues.map((issue) => issue.path[0])).toEqual(['invitee']);
    const bad = parseInvitation({ ...values, invitee: '9lives', topic: '' }, eventId);
    expect(!bad.success && bad.error.issues.map((issue) => issue.path[0])).toEqual(expect.arrayContaining(['invitee', 'topic']));
  });

  test('guest links need a name', () => {
    expect(parseSpeakerLink({ guestName: 'Grace' }, eventId)).toMatchObject({ success: true, data: { guestName: 'Grace', eventId } });
    expect(parseSpeakerLink({ guestName: '  ' }, eventId).success).toBe(false);
  });
});

describe('what the event page offers', () => {
  test('a visitor sees no member controls and is asked to sign in for reminders', () => {
    expect(eventActions(event({}, null), false)).toEqual({ rsvp: null, signInForReminders: true, goLive: false, goLiveOpen: false, joinRoomId: null, manage: false });
  });

  test('a member may ask to be notified, then stop', () => {
    expect(eventActions(event(), true).rsvp).toBe('on');
    expect(eventActions(event({}, { rsvp: true }), true).rsvp).toBe('off');
    expect(eventActions(event({ status: 'ended' }), true).rsvp).toBeNull();
    expect(eventActions(event({ status: 'ended' }, { rsvp: true }), true).rsvp).toBe('off');
  });

  test('hosts (and delegates who may manage) get the tools and "Go live" while upcoming', () => {
    const early = eventActions(event({}, { host: true, canManage: true }), true);
    expect(early).toMatchObject({ manage: true, goLive: true, goLiveOpen: false });
    expect(eventActions(event({}, { canManage: true, canGoLive: true }), true)).toMatchObject({ manage: true, goLive: true, goLiveOpen: true });
    expect(eventActions(event(), true)).toMatchObject({ manage: false, goLive: false });
    expect(eventActions(event({ status: 'cancelled' }, { host: true, canManage: true }), true)).toMatchObject({ manage: false, goLive: false });
  });

  test('a live event links to its room, for everyone', () => {
    const live = event({ status: 'live', roomId: 'room-0001' }, { host: true, canManage: true, canGoLive: true });
    expect(eventActions(live, true)).toMatchObject({ joinRoomId: 'room-0001', goLive: false, manage: true });
    expect(eventActions(event({ status: 'live', roomId: 'room-0001' }, null), false).joinRoomId).toBe('room-0001');
  });
});

describe('lists', () => {
  const person = (name: string) => ({ id: `${name}-00001`, username: name.toLowerCase(), displayName: name, avatarUrl: null });
  const invitation = (id: string, eventOf: string | null, patch: Partial<Invitation> = {}) =>
    ({
      id,
      kind: eventOf ? 'event' : 'room',
      status: 'pending',
      event: eventOf ? { id: eventOf, title: 'T', startsAt: '2026-05-01T16:00:00.000Z', timeZone: 'UTC', status: 'scheduled' } : null,
      room: eventOf ? null : { id: 'room-0001', title: 'R', status: 'live' },
      invitee: person('Ada'),
      inviteeEmail: null,
      ...patch,
    }) as Invitation;

  test("an event's invitations, and who they went to", () => {
    const list = [invitation('inv-1', eventId), invitation('inv-2', 'evt-0002'), invitation('inv-3', null), invitation('inv-4', eventId, { invitee: null, inviteeEmail: 'x@example.com' })];
    expect(invitationsOfEvent(list, eventId).map((i) => i.id)).toEqual(['inv-1', 'inv-4']);
    expect(inviteeName(list[0]!)).toBe('Ada');
    expect(inviteeName(list[3]!)).toBe('x@example.com');
  });

  test('a host invites as themselves; a delegate for the host who granted them invitations', () => {
    const [ada, bob, cy] = [person('Ada'), person('Bob'), person('Cy')];
    const grant = (principal: typeof ada, scopes: ('invitations' | 'events')[]) => ({ id: `g-${principal.id}`, principal, delegate: cy, scopes, createdAt: '2026-04-01T10:00:00.000Z' });
    expect(invitingFor(event({ hosts: [ada] }, { host: true }), [])).toBe('self');
    expect(invitingFor(event({ hosts: [ada, bob] }, { canManage: true }), [grant(ada, ['events']), grant(bob, ['events', 'invitations'])])).toEqual(bob);
    expect(invitingFor(event({ hosts: [ada] }, { canManage: true }), [grant(ada, ['events'])])).toBeNull();
  });

  test('speaker link states', () => {
    const format = (iso: string) => iso.slice(0, 10);
    expect(speakerLinkState({ status: 'open', expiresAt: '2026-05-02T00:00:00Z', usedAt: null }, format)).toBe('Not used yet · expires 2026-05-02');
    expect(speakerLinkState({ status: 'used', expiresAt: '2026-05-02T00:00:00Z', usedAt: '2026-05-01T00:00:00Z' }, format)).toBe('Used 2026-05-01');
    expect(speakerLinkState({ status: 'expired', expiresAt: '2026-05-02T00:00:00Z', usedAt: null }, format)).toBe('Expired 2026-05-02');
    expect(speakerLinkState({ status: 'revoked', expiresAt: '2026-05-02T00:00:00Z', usedAt: null }, format)).toBe('Revoked');
  });

  test('sentences', () => {
    expect(rsvpSentence(0)).toBe('Nobody asked to be notified yet.');
    expect(rsvpSentence(1)).toBe('1 person asked to be notified.');
    expect(rsvpSentence(3)).toBe('3 people asked to be notified.');
    expect(joinNames(['Ada'])).toBe('Ada');
    expect(joinNames(['Ada', 'Bob'])).toBe('Ada and Bob');
    expect(joinNames(['Ada', 'Bob', 'Cy'])).toBe('Ada, Bob and Cy');
  });
});
