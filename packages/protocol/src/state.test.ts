import { describe, expect, it } from 'vitest';
import type { RoomEvent } from './events';
import { AUDIENCE_PAGE_SIZE, type Participant, type RoomSnapshot } from './model';
import { applyRoomEvent, plainListeners } from './state';

const at = '2026-01-01T00:00:00.000Z';

function person(id: string, patch: Partial<Participant> = {}): Participant {
  return { id, displayName: id, role: 'listener', handRaisedAt: null, invitedToSpeak: false, muted: false, joinedAt: at, ...patch };
}

const host = person('host-0001', { role: 'host' });
const me = person('me-000001');

/** A room as `me` is shown it on joining: the host and me, `count` people in all. */
function snapshot(count = 2): RoomSnapshot {
  return {
    room: { id: 'room-0001', title: 'T', type: 'open', status: 'live', hostId: host.id, hostName: 'host', createdAt: at, endedAt: null, participantCount: count, speakerNames: ['host-0001'] },
    seq: 0,
    participants: [host, me],
    you: me.id,
  };
}

function fold(start: RoomSnapshot, events: RoomEvent[]): RoomSnapshot {
  return events.reduce((state, event, i) => applyRoomEvent(state, start.seq + i + 1, event), start);
}

/** Listener `n` arrives `n` + 1 ms after `at` (a server gives every arrival its own instant). */
const arrivedAt = (n: number) => new Date(Date.parse(at) + n + 1).toISOString();
const listener = (n: number) => person(`lis-${String(n).padStart(5, '0')}`, { joinedAt: arrivedAt(n) });
const arrivals = (n: number, from = 0): RoomEvent[] => Array.from({ length: n }, (_, i) => ({ kind: 'participantJoined', participant: listener(from + i) }));

describe('applyRoomEvent in a room larger than an audience page', () => {
  it('lists arrivals until the page is full, then only counts them', () => {
    const state = fold(snapshot(), arrivals(AUDIENCE_PAGE_SIZE + 7));
    expect(state.room.participantCount).toBe(2 + AUDIENCE_PAGE_SIZE + 7);
    expect(plainListeners(state.participants, me.id)).toBe(AUDIENCE_PAGE_SIZE);
    expect(state.participants.at(-1)!.id).toBe(`lis-${String(AUDIENCE_PAGE_SIZE - 1).padStart(5, '0')}`);
  });

  it('once the page is full, says up to whose arrival everyone is listed; with everyone listed again, it no longer does', () => {
    let state = fold(snapshot(), arrivals(AUDIENCE_PAGE_SIZE));
    expect(state.audienceThrough).toBeUndefined();
    state = fold(state, arrivals(2, AUDIENCE_PAGE_SIZE));
    expect(state.audienceThrough).toBe(arrivedAt(AUDIENCE_PAGE_SIZE - 1));
    state = fold(state, [
      { kind: 'participantLeft', participantId: 'lis-00100' },
      { kind: 'participantLeft', participantId: 'lis-00101' },
    ]);
    expect(state.audienceThrough).toBeUndefined();
    expect('audienceThrough' in state).toBe(false);
  });

  it('counts a departure whether or not the person was listed; while someone is not listed, arrivals are only counted', () => {
    let state = fold(snapshot(), arrivals(AUDIENCE_PAGE_SIZE + 2));
    state = fold(state, [
      { kind: 'participantLeft', participantId: 'lis-00101' }, // beyond the page
      { kind: 'participantRemoved', participantId: 'lis-00000', by: host.id }, // listed
    ]);
    expect(state.room.participantCount).toBe(2 + AUDIENCE_PAGE_SIZE);
    expect(plainListeners(state.participants, me.id)).toBe(AUDIENCE_PAGE_SIZE - 1);
    // lis-00100 is not listed: a newcomer listed now would stand after a gap that the next page
    // (everyone after lis-00099) could not see, so newcomers wait for that page too.
    state = fold(state, arrivals(1, 500));
    expect(state.participants.some((p) => p.id === 'lis-00500')).toBe(false);
    expect(state.room.participantCount).toBe(2 + AUDIENCE_PAGE_SIZE + 1);
    expect(state.audienceThrough).toBe(arrivedAt(AUDIENCE_PAGE_SIZE - 1));
    // When everyone unlisted has gone, the list is whole again and arrivals are listed while there is room.
    state = fold(state, [
      { kind: 'participantLeft', participantId: 'lis-00100' },
      { kind: 'participantLeft', participantId: 'lis-00500' },
      ...arrivals(1, 600),
    ]);
    expect(state.participants.at(-1)!.id).toBe('lis-00600');
    expect(state.audienceThrough).toBeUndefined();
  });

  it('a raised hand, an invitation or a role brings an unlisted listener in, from the participant the event carries', () => {
    let state = fold(snapshot(), arrivals(AUDIENCE_PAGE_SIZE + 3));
    const hand = person('lis-00100', { handRaisedAt: at });
    const invited = person('lis-00101', { invitedToSpeak: true });
    const promoted = person('lis-00102', { role: 'speaker' });
    state = fold(state, [
      { kind: 'handRaised', participantId: hand.id, at, participant: hand },
      { kind: 'invitedToSpeak', participantId: invited.id, participant: invited },
      { kind: 'roleChanged', participantId: promoted.id, role: 'speaker', participant: promoted },
    ]);
    expect(state.participants.slice(-3)).toEqual([hand, invited, promoted]);
    expect(state.room.speakerNames).toEqual(['host-0001', 'lis-00102']);
    expect(state.room.participantCount).toBe(2 + AUDIENCE_PAGE_SIZE + 3);
    // Lowering the hand keeps them listed: nobody disappears from a list while the viewer looks at it.
    state = fold(state, [{ kind: 'handLowered', participantId: hand.id }]);
    expect(state.participants.find((p) => p.id === hand.id)?.handRaisedAt).toBeNull();
  });

  it('ignores changes to unlisted people that do not make them notable, and events of older servers without the participant', () => {
    const start = fold(snapshot(), arrivals(AUDIENCE_PAGE_SIZE + 2));
    const state = fold(start, [
      { kind: 'handLowered', participantId: 'lis-00100' },
      { kind: 'inviteDeclined', participantId: 'lis-00100' },
      { kind: 'mutedChanged', participantId: 'lis-00100', muted: true, by: host.id },
      { kind: 'handRaised', participantId: 'lis-00101', at },
    ]);
    expect(state.participants).toEqual(start.participants);
    expect(state.room.participantCount).toBe(start.room.participantCount);
  });

  it('the viewer and anyone arriving on stage are listed however full the page is', () => {
    let state = fold(snapshot(), arrivals(AUDIENCE_PAGE_SIZE));
    const speaker = person('spk-00001', { role: 'speaker' });
    state = fold(state, [{ kind: 'participantJoined', participant: speaker }]);
    expect(state.participants.at(-1)).toEqual(speaker);
    expect(state.room.participantCount).toBe(2 + AUDIENCE_PAGE_SIZE + 1);
  });

  it('the room ending empties the list and the count', () => {
    const state = fold(snapshot(), [...arrivals(AUDIENCE_PAGE_SIZE + 1), { kind: 'roomEnded', at }]);
    expect(state.participants).toEqual([]);
    expect(state.room).toMatchObject({ participantCount: 0, status: 'ended', endedAt: at });
  });
});
