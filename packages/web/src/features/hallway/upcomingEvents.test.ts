import { describe, expect, test } from 'vitest';
import type { HallwayEvent, ScheduledEvent } from '@parley/protocol';
import { hallwayReasonLabel, upcomingEvents } from './upcomingEvents';

function item(id: string, startsAt: string, status: ScheduledEvent['status'] = 'scheduled'): HallwayEvent {
  return { event: { id, startsAt, status } as ScheduledEvent, reason: 'rsvp' };
}

describe('the hallway\'s upcoming events', () => {
  test('soonest first, without cancelled or ended ones, each once', () => {
    const list = [
      item('b', '2026-05-02T10:00:00.000Z'),
      item('a', '2026-05-01T10:00:00.000Z', 'live'),
      item('c', '2026-05-01T12:00:00.000Z', 'cancelled'),
      item('d', '2026-05-01T13:00:00.000Z', 'ended'),
      item('b', '2026-05-02T10:00:00.000Z'),
    ];
    expect(upcomingEvents(list).map((entry) => entry.event.id)).toEqual(['a', 'b']);
  });

  test('why an event is listed', () => {
    expect(hallwayReasonLabel('hosting')).toBe('You are hosting');
    expect(hallwayReasonLabel('speaking')).toBe('You are speaking');
    expect(hallwayReasonLabel('rsvp')).toBe('You asked to be notified');
    expect(hallwayReasonLabel('following')).toBe('Hosted by someone you follow');
  });
});
