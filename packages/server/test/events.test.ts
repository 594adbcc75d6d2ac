import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member } from './http-helpers';
import { eventually, inMinutes, nextNotification, notificationsOn, SchedulingWorld } from './scheduling-helpers';

/**
 * Scheduled events over real HTTP and WebSocket: times and zones, hosts and co-hosts, RSVPs and the
 * reminder, calendar files and the secret feed, cancelling, and going live — the room opens with the
 * hosts as moderators and the accepted speakers on stage, once however many hosts press the button.
 */

let world: SchedulingWorld;
let ada: Member;
let ben: Member;
let cy: Member;
let dee: Member;

beforeAll(async () => {
  world = await SchedulingWorld.start();
  ada = await world.member('Ada');
  ben = await world.member('Ben');
  cy = await world.member('Cy');
  dee = await world.member('Dee');
});
afterAll(async () => {
  await world?.close();
});

const schedule = (by: Member, json: Record<string, unknown>) => world.as(by)('/api/events', { method: 'POST', json: { title: 'Talk', timeZone: 'Europe/Paris', startsAt: inMinutes(120), ...json } });

describe('scheduling', () => {
  it('a start time with an offset is stored in UTC; the creator’s zone is kept for display; co-hosts by username', async () => {
    const res = await schedule(ada, { title: 'Morning, Paris', description: 'Coffee; talk, questions', startsAt: '2031-05-01T09:30:00+02:00', coHosts: [ben.username], durationMinutes: 45 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.event).toMatchObject({
      title: 'Morning, Paris',
      startsAt: '2031-05-01T07:30:00.000Z',
      timeZone: 'Europe/Paris',
      durationMinutes: 45,
      roomType: 'open',
      status: 'scheduled',
      hosts: [{ username: ada.username }, { username: ben.username }],
      speakers: [],
      rsvpCount: 0,
      roomId: null,
      link: `http://parley.test/events/${res.body.event.id}`,
      viewer: { host: true, canManage: true, canGoLive: false },
    });
    // Anyone with the link sees an open event's page.
    const anonymous = await world.api(`/api/events/${res.body.event.id}`);
    expect(anonymous.body.event).toMatchObject({ title: 'Morning, Paris', viewer: null });
  });

  it('refuses times without an offset, unknown zones, unknown co-hosts, and guests', async () => {
    const noOffset = await schedule(ada, { startsAt: '2031-05-01T09:30:00' });
    expect(noOffset.status).toBe(400);
    expect(noOffset.body.error.issues[0]).toMatch(/startsAt: must be an ISO 8601 time with an offset/);
    expect((await schedule(ada, { timeZone: 'Mars/Olympus' })).body.error.issues).toEqual(['timeZone: must be an IANA time zone such as Europe/Paris']);
    expect((await schedule(ada, { timeZone: '+01:00' })).status).toBe(400);
    expect((await schedule(ada, { coHosts: ['nobody_at_all'] })).status).toBe(404);
    const guest = await world.guest('Gus');
    expect((await world.api('/api/events', { method: 'POST', cookie: guest.cookie, json: { title: 'x', timeZone: 'UTC', startsAt: inMinutes(60) } })).status).toBe(403);
  });

  it('hosts and their delegates on events edit it; others may not', async () => {
    const event = (await schedule(ada, { coHosts: [ben.username] })).body.event;
    expect((await world.as(dee)(`/api/events/${event.id}`, { method: 'PATCH', json: { title: 'Mine now' } })).status).toBe(403);
    const byCoHost = await world.as(ben)(`/api/events/${event.id}`, { method: 'PATCH', json: { title: 'Renamed by a co-host', startsAt: '2031-06-01T18:00:00-04:00', timeZone: 'America/New_York' } });
    expect(byCoHost.body.event).toMatchObject({ title: 'Renamed by a co-host', startsAt: '2031-06-01T22:00:00.000Z', timeZone: 'America/New_York' });
    expect((await world.as(cy)(`/api/events/${event.id}`, { method: 'PATCH', json: { description: 'x' } })).status).toBe(403);
    await world.as(ada)('/api/delegations', { method: 'POST', json: { username: cy.username, scopes: ['events'] } });
    const byDelegate = await world.as(cy)(`/api/events/${event.id}`, { method: 'PATCH', json: { description: 'Edited by Ada’s office' } });
    expect(byDelegate.status).toBe(200);
    expect(byDelegate.body.event.viewer).toMatchObject({ host: false, canManage: true });
    const history = (await world.as(ada)('/api/delegations/activity')).body.acts;
    expect(history[0]).toMatchObject({ action: 'event.updated', subjectId: event.id, actor: { username: cy.username }, principal: { username: ada.username } });
    // Co-hosts are replaced as a list; the first host stays first.
    const cohosts = await world.as(ada)(`/api/events/${event.id}`, { method: 'PATCH', json: { coHosts: [dee.username] } });
    expect(cohosts.body.event.hosts.map((h: { username: string }) => h.username)).toEqual([ada.username, dee.username]);
  });

  it('a closed event is shown only to the people it concerns', async () => {
    const event = (await schedule(ada, { roomType: 'closed', title: 'Private' })).body.event;
    expect((await world.as(dee)(`/api/events/${event.id}`)).status).toBe(404);
    expect((await world.api(`/api/events/${event.id}/event.ics`)).status).toBe(404);
    await world.as(ada)('/api/invitations', { method: 'POST', json: { eventId: event.id, username: dee.username, topic: 'Join', recorded: false } });
    expect((await world.as(dee)(`/api/events/${event.id}`)).body.event.title).toBe('Private');
  });
});

describe('RSVP, the calendar file and the feed', () => {
  let eventId: string;

  it('RSVP on and off ("notify me"); guests cannot', async () => {
    eventId = (await schedule(ada, { title: 'Feed me' })).body.event.id;
    const on = await world.as(dee)(`/api/events/${eventId}/rsvp`, { method: 'PUT' });
    expect(on.body.event).toMatchObject({ rsvpCount: 1, viewer: { rsvp: true, host: false, canManage: false } });
    expect((await world.as(dee)(`/api/events/${eventId}/rsvp`, { method: 'PUT' })).body.event.rsvpCount).toBe(1);
    expect((await world.as(cy)(`/api/events/${eventId}/rsvp`, { method: 'PUT' })).body.event.rsvpCount).toBe(2);
    expect((await world.as(cy)(`/api/events/${eventId}/rsvp`, { method: 'DELETE' })).body.event).toMatchObject({ rsvpCount: 1, viewer: { rsvp: false } });
    const guest = await world.guest('Gus');
    expect((await world.api(`/api/events/${eventId}/rsvp`, { method: 'PUT', cookie: guest.cookie })).status).toBe(403);
    // My events: what I host, speak at or RSVP'd to.
    const mine = (await world.as(dee)('/api/events')).body.events.map((e: { id: string }) => e.id);
    expect(mine).toContain(eventId);
    expect((await world.as(ben)('/api/events')).body.events.map((e: { id: string }) => e.id)).not.toContain(eventId);
    // Cy is Ada's delegate on events (granted above): Ada's events are in Cy's list.
    expect((await world.as(cy)('/api/events')).body.events.map((e: { id: string }) => e.id)).toContain(eventId);
  });

  it('GET /api/events/:id/event.ics is an iCalendar file with the start in UTC', async () => {
    const event = (await schedule(ada, { title: 'Commas, semicolons; and more', startsAt: '2031-01-15T20:00:00+01:00', description: 'Line one\nLine two' })).body.event;
    const res = await world.api(`/api/events/${event.id}/event.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = new TextDecoder().decode(res.bytes!);
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(text).toContain(`UID:${event.id}@parley\r\n`);
    expect(text).toContain('DTSTART:20310115T190000Z\r\n');
    expect(text).toContain('DURATION:PT60M\r\n');
    expect(text).toContain('SUMMARY:Commas\\, semicolons\\; and more\r\n');
    expect(text).toContain('DESCRIPTION:Line one\\nLine two');
    expect(text.split('\r\n').every((line) => new TextEncoder().encode(line).length <= 75)).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });

  it('the personal feed is a secret URL that works without cookies, lists what I host or RSVP’d, rotates and can be turned off', async () => {
    expect((await world.as(dee)('/api/account/calendar-feed')).body).toEqual({ feed: null });
    const created = await world.as(dee)('/api/account/calendar-feed', { method: 'POST' });
    expect(created.status).toBe(201);
    const url = new URL(created.body.url);
    expect(url.origin).toBe('http://parley.test');
    expect(url.pathname).toMatch(/^\/api\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    const feed = await world.api(url.pathname);
    expect(feed.status).toBe(200);
    const text = new TextDecoder().decode(feed.bytes!);
    expect(text).toContain(`UID:${eventId}@parley`);
    expect(text).toContain('SUMMARY:Feed me');
    expect(text).not.toContain('SUMMARY:Talk');
    expect((await world.as(dee)('/api/account/calendar-feed')).body.feed.createdAt).toBe(created.body.createdAt);

    const rotated = await world.as(dee)('/api/account/calendar-feed', { method: 'POST' });
    expect((await world.api(url.pathname)).status).toBe(404);
    expect((await world.api(new URL(rotated.body.url).pathname)).status).toBe(200);
    expect((await world.as(dee)('/api/account/calendar-feed', { method: 'DELETE' })).status).toBe(204);
    expect((await world.api(new URL(rotated.body.url).pathname)).status).toBe(404);
    expect((await world.api('/api/calendar/not-a-token.ics')).status).toBe(404);
  });
});

describe('cancelling', () => {
  it('withdraws the pending invitations; a cancelled event cannot be edited, RSVP’d or taken live', async () => {
    const event = (await schedule(ada, { title: 'Called off' })).body.event;
    const invitation = (await world.as(ada)('/api/invitations', { method: 'POST', json: { eventId: event.id, username: ben.username, topic: 'x', recorded: false } })).body.invitation;
    expect((await world.as(dee)(`/api/events/${event.id}`, { method: 'DELETE' })).status).toBe(403);
    expect((await world.as(ada)(`/api/events/${event.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await world.as(ada)(`/api/events/${event.id}`, { method: 'DELETE' })).status).toBe(409);
    expect((await world.as(dee)(`/api/events/${event.id}`)).body.event.status).toBe('cancelled');
    expect((await world.as(ben)(`/api/invitations/${invitation.id}`)).body.invitation.status).toBe('withdrawn');
    expect((await world.as(dee)(`/api/events/${event.id}/rsvp`, { method: 'PUT' })).status).toBe(409);
    expect((await world.as(ada)(`/api/events/${event.id}/live`, { method: 'POST' })).status).toBe(409);
  });
});

describe('the reminder', () => {
  it('10 minutes before the start, hosts, speakers and RSVPs are notified once, live and by email', async () => {
    const socket = await world.socket(dee.cookie);
    const event = (await schedule(cy, { title: 'Soon', startsAt: inMinutes(10 + 1.5 / 60) })).body.event;
    await world.as(dee)(`/api/events/${event.id}/rsvp`, { method: 'PUT' });
    const reminder = await nextNotification(socket, 'event.starting', (text) => text.includes('Soon'));
    expect(reminder.notification).toMatchObject({ text: '“Soon” starts in 10 minutes.', eventId: event.id, link: `/events/${event.id}`, actor: null });
    await world.sink.waitForMailTo(dee.email, /“Soon” starts in 10 minutes/);
    await world.sink.waitForMailTo(cy.email, /“Soon” starts in 10 minutes/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(notificationsOn(socket).filter((n) => n.notification.eventId === event.id)).toHaveLength(1);
  });

  it('moving the start moves the reminder', async () => {
    const socket = await world.socket(ben.cookie);
    const event = (await schedule(ben, { title: 'Moved', startsAt: inMinutes(60) })).body.event;
    await world.as(ben)(`/api/events/${event.id}`, { method: 'PATCH', json: { startsAt: inMinutes(10 + 1 / 60) } });
    expect((await nextNotification(socket, 'event.starting', (text) => text.includes('Moved'))).notification.eventId).toBe(event.id);
  });
});

describe('going live', () => {
  it('is refused before 15 minutes ahead of the start, and to people who do not manage the event', async () => {
    const event = (await schedule(ada, { startsAt: inMinutes(30) })).body.event;
    expect(event.viewer.canGoLive).toBe(false);
    const early = await world.as(ada)(`/api/events/${event.id}/live`, { method: 'POST' });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/Too early: hosts can go live from 15 minutes before the start/);
    expect((await world.as(dee)(`/api/events/${event.id}/live`, { method: 'POST' })).status).toBe(403);
  });

  it('opens one room however many hosts press it at once; hosts are moderators, accepted speakers are on stage, others listen', async () => {
    const event = (await schedule(ada, { title: 'Live now', startsAt: inMinutes(5), coHosts: [ben.username] })).body.event;
    expect(event.viewer.canGoLive).toBe(true);
    const invitation = (await world.as(ada)('/api/invitations', { method: 'POST', json: { eventId: event.id, username: cy.username, topic: 'x', recorded: false } })).body.invitation;
    await world.as(cy)(`/api/invitations/${invitation.id}/accept`, { method: 'POST', json: {} });
    const followerSocket = await world.socket(dee.cookie);
    await world.as(dee)(`/api/users/${ben.username}/follow`, { method: 'PUT' });

    const presses = await Promise.all([ada, ben, ada, ben].map((who) => world.as(who)(`/api/events/${event.id}/live`, { method: 'POST' })));
    expect(presses.map((p) => p.status)).toEqual([200, 200, 200, 200]);
    const roomIds = new Set(presses.map((p) => p.body.room.id));
    expect(roomIds.size).toBe(1);
    const room = presses[0]!.body.room;
    expect(room).toMatchObject({ title: 'Live now', status: 'live', hostId: ada.user.id });
    expect(presses[0]!.body.event).toMatchObject({ status: 'live', roomId: room.id });

    const roleOf = async (member: Member) => {
      const socket = await world.socket(member.cookie);
      const reply = await socket.request({ type: 'room.join', roomId: room.id });
      return reply.type === 'room.snapshot' ? reply.snapshot.participants.find((p) => p.id === member.user.id)?.role : reply.type;
    };
    expect(await roleOf(ada)).toBe('host');
    expect(await roleOf(ben)).toBe('moderator');
    expect(await roleOf(cy)).toBe('speaker');
    expect(await roleOf(dee)).toBe('listener');
    // The accepted speaker publishes and the SFU lets their audio through.
    const cySocket = await world.socket(cy.cookie);
    await cySocket.request({ type: 'room.join', roomId: room.id });
    expect((await cySocket.request({ type: 'media.publish', roomId: room.id, sdp: 'v=0 offer from the speaker' })).type).toBe('media.answer');
    expect(world.media.rooms.get(room.id)?.allowed.get(cy.user.id)).toBe(true);

    // Followers of a host hear it went live.
    expect((await nextNotification(followerSocket, 'followee.live')).notification).toMatchObject({ roomId: room.id, eventId: event.id, text: 'Ada is live: “Live now”.' });
    expect(notificationsOn(followerSocket).filter((n) => n.notification.kind === 'followee.live')).toHaveLength(1);
    // Once live, the event is no longer edited.
    expect((await world.as(ada)(`/api/events/${event.id}`, { method: 'PATCH', json: { title: 'x' } })).status).toBe(409);
    expect((await world.as(ada)(`/api/events/${event.id}`, { method: 'DELETE' })).status).toBe(409);
  });

  it('someone accepting while listening in the live event goes on stage at once', async () => {
    const event = (await schedule(ada, { title: 'Drop in', startsAt: inMinutes(1) })).body.event;
    const room = (await world.as(ada)(`/api/events/${event.id}/live`, { method: 'POST' })).body.room;
    const adaSocket = await world.socket(ada.cookie);
    await adaSocket.request({ type: 'room.join', roomId: room.id });
    const deeSocket = await world.socket(dee.cookie);
    await deeSocket.request({ type: 'room.join', roomId: room.id });
    const invitation = (await world.as(ada)('/api/invitations', { method: 'POST', json: { eventId: event.id, username: dee.username, topic: 'Come up', recorded: false } })).body.invitation;
    // An invitation to an event already live lapses after an hour unless said otherwise.
    expect(Date.parse(invitation.expiresAt) - Date.now()).toBeGreaterThan(59 * 60_000);
    await world.as(dee)(`/api/invitations/${invitation.id}/accept`, { method: 'POST', json: {} });
    await eventually(async () => (adaSocket.received.some((m) => m.type === 'room.event' && m.event.kind === 'roleChanged' && m.event.participantId === dee.user.id && m.event.role === 'speaker') ? true : undefined));
  });
});
