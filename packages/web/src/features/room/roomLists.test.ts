import { describe, expect, test } from 'vitest';
import type { Participant, RoomSnapshot } from '@parley/protocol';
import { roomLists } from './roomLists';

function person(name: string, minute: number, patch: Partial<Participant> = {}): Participant {
  const joinedAt = `2026-01-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
  return { id: `${name}-0000000`, displayName: name, role: 'listener', handRaisedAt: null, invitedToSpeak: false, muted: false, joinedAt, ...patch };
}

function state(participants: Participant[], participantCount = participants.length): RoomSnapshot {
  return {
    room: { id: 'room-0001', title: 'T', type: 'open', status: 'live', hostId: 'Ada-0000000', hostName: 'Ada', createdAt: '2026-01-01T10:00:00.000Z', endedAt: null, participantCount, speakerNames: [] },
    seq: 1,
    participants,
    you: participants[0]!.id,
  };
}

const speaker = person('Sam', 2, { role: 'speaker' });
const host = person('Ada', 3, { role: 'host' });
const moderator = person('Mo', 1, { role: 'moderator' });
const ben = person('Ben', 5);
const cy = person('Cy', 4);
const hand = person('Dee', 6, { handRaisedAt: '2026-01-01T10:30:00.000Z' });

describe('roomLists()', () => {
  test('orders the stage by role then arrival, and the audience by arrival after raised hands', () => {
    const lists = roomLists(state([ben, speaker, host, hand, moderator, cy]), false);
    expect(lists.stage.map((p) => p.displayName)).toEqual(['Ada', 'Mo', 'Sam']);
    expect(lists.queue.map((p) => p.displayName)).toEqual(['Dee']);
    expect(lists.audience.map((p) => p.displayName)).toEqual(['Dee', 'Cy', 'Ben']);
    expect(lists).toMatchObject({ listenerCount: 3, unlisted: 0 });
  });

  test('those who run the stage see raised hands only in the queue', () => {
    expect(roomLists(state([host, ben, hand]), true).audience.map((p) => p.displayName)).toEqual(['Ben']);
  });

  test('an audience beyond the listed page is counted, not listed', () => {
    const lists = roomLists(state([host, ben, hand], 250), true);
    expect(lists).toMatchObject({ listenerCount: 249, unlisted: 247 });
  });
});
