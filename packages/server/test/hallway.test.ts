import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member } from './http-helpers';
import { inMinutes, SchedulingWorld } from './scheduling-helpers';
import type { TestSocket } from './ws-client';

/**
 * The hallway over real HTTP and WebSocket: live rooms ranked by whether people I follow are on stage,
 * then by audience; social and closed rooms only for those they admit; upcoming events that concern me;
 * blocks hide both ways; sockets hear when it changes.
 */

let world: SchedulingWorld;
let ada: Member;
let ben: Member;
let cy: Member;
let dee: Member;
let eve: Member;
const rooms: Record<string, string> = {};
const sockets: TestSocket[] = [];

/** Open a room as `host` (in it), with `listeners` people listening. */
async function openRoom(host: Member, title: string, type: 'open' | 'social' | 'closed', listeners: Member[]): Promise<string> {
  const room = (await world.as(host)('/api/rooms', { method: 'POST', json: { title, type } })).body.room;
  for (const person of [host, ...listeners]) {
    const socket = await world.socket(person.cookie);
    sockets.push(socket);
    const reply = await socket.request({ type: 'room.join', roomId: room.id });
    if (reply.type !== 'room.snapshot') throw new Error(`${person.username} could not join ${title}: ${JSON.stringify(reply)}`);
  }
  return room.id;
}

const titles = (hallway: { rooms: { room: { title: string } }[] }) => hallway.rooms.map((r) => r.room.title);

beforeAll(async () => {
  world = await SchedulingWorld.start();
  [ada, ben, cy, dee, eve] = [await world.member('Ada'), await world.member('Ben'), await world.member('Cy'), await world.member('Dee'), await world.member('Eve')];
  await world.as(dee)(`/api/users/${ada.username}/follow`, { method: 'PUT' });
  rooms.small = await openRoom(ada, 'Small but followed', 'open', []);
  rooms.big = await openRoom(ben, 'Big', 'open', [cy, eve]);
  rooms.social = await openRoom(cy, 'Friends of Cy', 'social', []);
  rooms.closed = await openRoom(eve, 'Invitation only', 'closed', []);
});
afterAll(async () => {
  await world?.close();
});

describe('GET /api/hallway: rooms', () => {
  it('rooms with people I follow on stage come first, then the fullest; social and closed rooms stay hidden from outsiders', async () => {
    const hallway = (await world.as(dee)('/api/hallway')).body;
    expect(titles(hallway)).toEqual(['Small but followed', 'Big']);
    expect(hallway.rooms[0].followedSpeakers.map((p: { username: string }) => p.username)).toEqual([ada.username]);
    expect(hallway.rooms[1]).toMatchObject({ followedSpeakers: [], room: { participantCount: 3 } });
    // Without the follow, audience size decides.
    expect(titles((await world.as(cy)('/api/hallway')).body)[0]).toBe('Big');
    // Visitors without an account see open rooms only, and no events.
    expect(titles((await world.api('/api/hallway')).body).sort()).toEqual(['Big', 'Small but followed']);
  });

  it('a social room appears to followers of its host (or of someone on its stage)', async () => {
    await world.as(dee)(`/api/users/${cy.username}/follow`, { method: 'PUT' });
    const hallway = (await world.as(dee)('/api/hallway')).body;
    // Both rooms with someone Dee follows on stage come before the fuller one.
    expect(titles(hallway).slice(0, 2).sort()).toEqual(['Friends of Cy', 'Small but followed']);
    expect(titles(hallway)[2]).toBe('Big');
    expect(hallway.rooms.find((r: { room: { title: string } }) => r.room.title === 'Friends of Cy').room.type).toBe('social');
  });

  it('a closed room appears to the people it admits: its host, and someone given a place on its stage', async () => {
    expect(titles((await world.as(eve)('/api/hallway')).body)).toContain('Invitation only');
    const ping = await world.as(eve)('/api/invitations', { method: 'POST', json: { roomId: rooms.closed, username: dee.username, topic: 'Come in', recorded: false } });
    expect(ping.status, JSON.stringify(ping.body)).toBe(201);
    expect(titles((await world.as(dee)('/api/hallway')).body)).not.toContain('Invitation only');
    await world.as(dee)(`/api/invitations/${ping.body.invitation.id}/accept`, { method: 'POST', json: {} });
    expect(titles((await world.as(dee)('/api/hallway')).body)).toContain('Invitation only');
  });
});

describe('GET /api/hallway: events', () => {
  it('lists upcoming events I host, speak at, RSVP’d to, or that people I follow host — soonest first, with the reason', async () => {
    const schedule = async (by: Member, title: string, minutes: number, extra: Record<string, unknown> = {}) =>
      (await world.as(by)('/api/events', { method: 'POST', json: { title, startsAt: inMinutes(minutes), timeZone: 'UTC', ...extra } })).body.event;
    const rsvpd = await schedule(ben, 'Ben’s, RSVP’d', 300);
    await world.as(dee)(`/api/events/${rsvpd.id}/rsvp`, { method: 'PUT' });
    await schedule(ada, 'By someone I follow', 200);
    await schedule(ada, 'Closed, by someone I follow', 100, { roomType: 'closed' });
    await schedule(ben, 'Unrelated', 50);
    await schedule(dee, 'My own', 400);
    const speaking = await schedule(eve, 'I speak', 250);
    const invitation = (await world.as(eve)('/api/invitations', { method: 'POST', json: { eventId: speaking.id, username: dee.username, topic: 'x', recorded: false } })).body.invitation;
    await world.as(dee)(`/api/invitations/${invitation.id}/accept`, { method: 'POST', json: {} });

    const events = (await world.as(dee)('/api/hallway')).body.events;
    expect(events.map((e: { event: { title: string }; reason: string }) => [e.event.title, e.reason])).toEqual([
      ['By someone I follow', 'following'],
      ['I speak', 'speaking'],
      ['Ben’s, RSVP’d', 'rsvp'],
      ['My own', 'hosting'],
    ]);
    expect(events[3].event.viewer).toMatchObject({ host: true, canManage: true });
  });

  it('a block hides the other’s rooms and events, both ways', async () => {
    expect((await world.as(dee)(`/api/users/${ben.username}/block`, { method: 'PUT' })).status).toBe(200);
    const mine = (await world.as(dee)('/api/hallway')).body;
    expect(titles(mine)).not.toContain('Big');
    expect(mine.events.map((e: { event: { title: string } }) => e.event.title)).not.toContain('Ben’s, RSVP’d');
    await openRoom(dee, 'Dee’s room', 'open', []);
    expect(titles((await world.as(ben)('/api/hallway')).body)).not.toContain('Dee’s room');
    expect(titles((await world.as(cy)('/api/hallway')).body)).toContain('Dee’s room');
  });
});

describe('live updates', () => {
  it('sockets hear `hallway.changed` (coalesced) when a room opens or ends', async () => {
    const watcher = await world.socket(cy.cookie);
    const room = (await world.as(ada)('/api/rooms', { method: 'POST', json: { title: 'New one' } })).body.room;
    await watcher.waitFor((m) => m.type === 'hallway.changed', 3000);
    const count = () => watcher.received.filter((m) => m.type === 'hallway.changed').length;
    const before = count();
    const socket = await world.socket(ada.cookie);
    await socket.request({ type: 'room.join', roomId: room.id });
    await socket.request({ type: 'room.end', roomId: room.id });
    await watcher.waitFor((m) => m.type === 'hallway.changed' && watcher.received.indexOf(m) >= before, 3000);
    expect(titles((await world.as(cy)('/api/hallway')).body)).not.toContain('New one');
  });
});
