import { describe, expect, it } from 'vitest';
import { applyRoomEvent, AUDIENCE_PAGE_SIZE, handQueue, isNotable, ParleyError, type RoomSnapshot } from '@parley/protocol';
import { LiveRoom, type SequencedEvent } from './live-room';

const info = { id: 'room-test-0001', title: 'Test', hostId: 'host-0001', hostName: 'Hana', createdAt: new Date('2026-01-01T00:00:00Z') };

function makeRoom() {
  let t = Date.parse('2026-01-01T00:00:00Z');
  const room = new LiveRoom(info, () => new Date((t += 1000)));
  room.join({ id: 'host-0001', displayName: 'Hana' });
  room.join({ id: 'lis-00001', displayName: 'Lee' });
  room.join({ id: 'lis-00002', displayName: 'Max' });
  return room;
}

function expectCode(fn: () => unknown, code: string) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ParleyError);
    expect((error as ParleyError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('LiveRoom', () => {
  it('join() makes the room host a host and everyone else a listener', () => {
    const room = makeRoom();
    expect(room.list().map((p) => [p.id, p.role])).toEqual([
      ['host-0001', 'host'],
      ['lis-00001', 'listener'],
      ['lis-00002', 'listener'],
    ]);
    expect(room.join({ id: 'lis-00001', displayName: 'Lee' })).toEqual([]);
  });

  it('runs the stage flow: hand, invite, accept, mute, move to audience', () => {
    const room = makeRoom();
    room.raiseHand('lis-00002');
    room.raiseHand('lis-00001');
    expect(handQueue(room.snapshotFor('host-0001')).map((p) => p.id)).toEqual(['lis-00002', 'lis-00001']);
    room.inviteToSpeak('host-0001', 'lis-00001');
    room.acceptInvite('lis-00001');
    const speaker = room.get('lis-00001')!;
    expect(speaker).toMatchObject({ role: 'speaker', handRaisedAt: null, invitedToSpeak: false });
    expect(room.mayBeHeard('lis-00001')).toBe(true);
    room.setMuted('lis-00001', true);
    expect(room.mayBeHeard('lis-00001')).toBe(false);
    room.moveToAudience('host-0001', 'lis-00001');
    expect(room.get('lis-00001')).toMatchObject({ role: 'listener', muted: false });
    expect(room.mayBeHeard('lis-00001')).toBe(false);
  });

  it('refuses what the stage rules forbid with typed errors', () => {
    const room = makeRoom();
    expectCode(() => room.inviteToSpeak('lis-00001', 'lis-00002'), 'forbidden');
    expectCode(() => room.acceptInvite('lis-00001'), 'conflict');
    expectCode(() => room.setMuted('lis-00001', true), 'forbidden');
    expectCode(() => room.authorizePublish('lis-00001'), 'forbidden');
    expectCode(() => room.end('lis-00001'), 'forbidden');
    expectCode(() => room.raiseHand('host-0001'), 'forbidden');
    expectCode(() => room.inviteToSpeak('host-0001', 'nobody-0001'), 'not_found');
    expectCode(() => room.raiseHand('stranger-01'), 'forbidden');
    expectCode(() => room.moveToAudience('host-0001', 'lis-00001'), 'forbidden');
    expectCode(() => room.remove('lis-00001', 'lis-00002'), 'forbidden');
    expectCode(() => room.remove('host-0001', 'host-0001'), 'forbidden');
    expectCode(() => room.setModerator('lis-00001', 'lis-00002', true), 'forbidden');
    expectCode(() => room.mute('host-0001', 'lis-00001'), 'forbidden');
  });

  it('moderators run the stage but cannot act on the host; the host promotes and demotes', () => {
    const room = makeRoom();
    room.setModerator('host-0001', 'lis-00001', true);
    expect(room.get('lis-00001')?.role).toBe('moderator');
    room.inviteToSpeak('lis-00001', 'lis-00002');
    room.acceptInvite('lis-00002');
    room.mute('lis-00001', 'lis-00002');
    expect(room.get('lis-00002')).toMatchObject({ muted: true });
    expect(room.mayBeHeard('lis-00002')).toBe(false);
    // Muted by a moderator, they may unmute themselves (as on Clubhouse).
    room.setMuted('lis-00002', false);
    expect(room.mayBeHeard('lis-00002')).toBe(true);
    expectCode(() => room.mute('lis-00001', 'host-0001'), 'forbidden');
    expectCode(() => room.remove('lis-00001', 'host-0001'), 'forbidden');
    expectCode(() => room.moveToAudience('lis-00001', 'host-0001'), 'forbidden');
    expectCode(() => room.setModerator('lis-00001', 'lis-00002', true), 'forbidden');
    room.setModerator('host-0001', 'lis-00001', false);
    expect(room.get('lis-00001')?.role).toBe('speaker');
  });

  it('remove() takes someone out and keeps them out', () => {
    const room = makeRoom();
    const events = room.remove('host-0001', 'lis-00001');
    expect(events.map((e) => e.event)).toEqual([{ kind: 'participantRemoved', participantId: 'lis-00001', by: 'host-0001' }]);
    expect(room.get('lis-00001')).toBeUndefined();
    expectCode(() => room.join({ id: 'lis-00001', displayName: 'Lee' }), 'forbidden');
    expect(room.isRemoved('lis-00001')).toBe(true);
  });

  it('when the last moderator leaves, the longest-serving speaker takes over; with no speaker, nobody does', () => {
    const room = makeRoom();
    room.join({ id: 'lis-00003', displayName: 'Zed' });
    room.inviteToSpeak('host-0001', 'lis-00002');
    room.acceptInvite('lis-00002');
    room.inviteToSpeak('host-0001', 'lis-00001');
    room.acceptInvite('lis-00001');
    const events = room.leave('host-0001');
    expect(events.map((e) => e.event.kind)).toEqual(['participantLeft', 'roleChanged']);
    expect(room.get('lis-00002')?.role).toBe('moderator');
    expect(room.hasModerator()).toBe(true);
    room.leave('lis-00002');
    expect(room.get('lis-00001')?.role).toBe('moderator');
    room.moveToAudience('lis-00001', 'lis-00001');
    expect(room.hasModerator()).toBe(false);
    // The host coming back runs the stage again.
    room.join({ id: 'host-0001', displayName: 'Hana' });
    expect(room.hasModerator()).toBe(true);
  });

  it('a speaker may step down; a listener may decline an invitation', () => {
    const room = makeRoom();
    room.inviteToSpeak('host-0001', 'lis-00001');
    room.inviteToSpeak('host-0001', 'lis-00002');
    room.declineInvite('lis-00002');
    expect(room.get('lis-00002')?.invitedToSpeak).toBe(false);
    room.acceptInvite('lis-00001');
    room.moveToAudience('lis-00001', 'lis-00001');
    expect(room.get('lis-00001')?.role).toBe('listener');
  });

  it('end() closes the room to everything', () => {
    const room = makeRoom();
    room.end('host-0001');
    expect(room.ended).toBe(true);
    expectCode(() => room.join({ id: 'lis-00003', displayName: 'Zed' }), 'room_ended');
    expectCode(() => room.raiseHand('lis-00001'), 'room_ended');
    expect(room.summary()).toMatchObject({ status: 'ended', participantCount: 0 });
  });

  it('a client folding the deltas holds the same state as a fresh snapshot', () => {
    const room = new LiveRoom(info, () => new Date('2026-01-01T00:00:05Z'));
    const events: SequencedEvent[] = [];
    events.push(...room.join({ id: 'host-0001', displayName: 'Hana' }));
    const start: RoomSnapshot = room.snapshotFor('host-0001');
    events.length = 0;
    events.push(...room.join({ id: 'lis-00001', displayName: 'Lee' }));
    events.push(...room.join({ id: 'lis-00002', displayName: 'Max' }));
    events.push(...room.raiseHand('lis-00001'));
    events.push(...room.inviteToSpeak('host-0001', 'lis-00001'));
    events.push(...room.acceptInvite('lis-00001'));
    events.push(...room.setMuted('lis-00001', true));
    events.push(...room.setModerator('host-0001', 'lis-00001', true));
    events.push(...room.remove('lis-00001', 'lis-00002'));
    events.push(...room.join({ id: 'lis-00003', displayName: 'Zed' }));
    events.push(...room.leave('host-0001'));
    let folded = start;
    for (const { seq, event } of events) folded = applyRoomEvent(folded, seq, event);
    expect(folded).toEqual(room.snapshotFor('host-0001'));
    expect(events.map((e) => e.seq)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
  it('a snapshot lists the stage, every hand and invitation, the receiver and one page of the audience', () => {
    const room = new LiveRoom(info, () => new Date('2026-01-01T00:00:05Z'));
    room.join({ id: 'host-0001', displayName: 'Hana' });
    const ids = Array.from({ length: AUDIENCE_PAGE_SIZE + 30 }, (_, i) => `lis-${String(i).padStart(5, '0')}`);
    for (const id of ids) room.join({ id, displayName: id });
    room.raiseHand(ids[AUDIENCE_PAGE_SIZE + 1]!);
    room.inviteToSpeak('host-0001', ids[AUDIENCE_PAGE_SIZE + 2]!);
    room.admitToStage(ids[AUDIENCE_PAGE_SIZE + 3]!, 'speaker');
    const you = ids.at(-1)!;
    const snapshot = room.snapshotFor(you);
    expect(snapshot.room.participantCount).toBe(ids.length + 1);
    expect(snapshot.participants.map((p) => p.id)).toEqual([
      'host-0001',
      ...ids.slice(0, AUDIENCE_PAGE_SIZE),
      ...ids.slice(AUDIENCE_PAGE_SIZE + 1, AUDIENCE_PAGE_SIZE + 4),
      you,
    ]);
    expect(snapshot.room.speakerNames).toEqual(['Hana', ids[AUDIENCE_PAGE_SIZE + 3]]);
  });

  it('in a room larger than a page, folding the deltas agrees with a fresh snapshot on all but which listeners fill the page', () => {
    const room = new LiveRoom(info, () => new Date('2026-01-01T00:00:05Z'));
    room.join({ id: 'host-0001', displayName: 'Hana' });
    const start = room.snapshotFor('host-0001');
    const ids = Array.from({ length: AUDIENCE_PAGE_SIZE + 40 }, (_, i) => `lis-${String(i).padStart(5, '0')}`);
    const events: SequencedEvent[] = [];
    for (const id of ids) events.push(...room.join({ id, displayName: id }));
    for (const i of [3, 50, AUDIENCE_PAGE_SIZE + 5, AUDIENCE_PAGE_SIZE + 6]) events.push(...room.leave(ids[i]!));
    for (const i of [AUDIENCE_PAGE_SIZE + 10, AUDIENCE_PAGE_SIZE + 11, 7]) events.push(...room.raiseHand(ids[i]!));
    events.push(...room.lowerHand(ids[AUDIENCE_PAGE_SIZE + 11]!));
    events.push(...room.inviteToSpeak('host-0001', ids[AUDIENCE_PAGE_SIZE + 10]!));
    events.push(...room.acceptInvite(ids[AUDIENCE_PAGE_SIZE + 10]!));
    events.push(...room.setModerator('host-0001', ids[AUDIENCE_PAGE_SIZE + 10]!, true));
    events.push(...room.inviteToSpeak('host-0001', ids[AUDIENCE_PAGE_SIZE + 20]!));
    events.push(...room.remove('host-0001', ids[AUDIENCE_PAGE_SIZE + 30]!));
    let folded: RoomSnapshot = start;
    for (const { seq, event } of events) folded = applyRoomEvent(folded, seq, event);
    const fresh = room.snapshotFor('host-0001');
    expect(folded.room).toEqual(fresh.room);
    expect(folded.seq).toBe(fresh.seq);
    expect(folded.participants.filter(isNotable)).toEqual(fresh.participants.filter(isNotable));
    // Every listed listener is really there; the fold's page is as full as the room allows.
    const present = new Set(room.list().map((p) => p.id));
    expect(folded.participants.every((p) => present.has(p.id))).toBe(true);
    expect(folded.participants.filter((p) => !isNotable(p)).length).toBeGreaterThanOrEqual(AUDIENCE_PAGE_SIZE - 2);
  });
  it('audiencePage() pages the plain listeners who arrived after a given arrival, in order, and counts them all', () => {
    // A clock that stands still: arrivals still get distinct, increasing times.
    const room = new LiveRoom(info, () => new Date('2026-01-01T00:00:05Z'));
    room.join({ id: 'host-0001', displayName: 'Hana' });
    const ids = Array.from({ length: 7 }, (_, i) => `lis-${String(i).padStart(5, '0')}`);
    for (const id of ids) room.join({ id, displayName: id });
    const times = ids.map((id) => room.get(id)!.joinedAt);
    expect(new Set(times).size).toBe(ids.length);
    expect([...times].sort()).toEqual(times);
    room.raiseHand(ids[1]!);
    expect(room.audiencePage(undefined, 3)).toEqual({ participants: [ids[0]!, ids[2]!, ids[3]!].map((id) => room.get(id)), total: 6 });
    expect(room.audiencePage(times[3], 3).participants.map((p) => p.id)).toEqual([ids[4], ids[5], ids[6]]);
    expect(room.audiencePage(times[6], 3)).toEqual({ participants: [], total: 6 });
  });

  it('a snapshot that leaves listeners out says up to whose arrival everyone is listed', () => {
    const room = new LiveRoom(info, () => new Date('2026-01-01T00:00:05Z'));
    room.join({ id: 'host-0001', displayName: 'Hana' });
    const ids = Array.from({ length: AUDIENCE_PAGE_SIZE + 2 }, (_, i) => `lis-${String(i).padStart(5, '0')}`);
    for (const id of ids) room.join({ id, displayName: id });
    expect(room.snapshotFor('host-0001').audienceThrough).toBe(room.get(ids[AUDIENCE_PAGE_SIZE - 1]!)!.joinedAt);
    room.leave(ids[AUDIENCE_PAGE_SIZE]!);
    room.leave(ids[AUDIENCE_PAGE_SIZE + 1]!);
    expect(room.snapshotFor('host-0001').audienceThrough).toBeUndefined();
  });
});
