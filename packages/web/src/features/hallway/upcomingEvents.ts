import type { HallwayEvent, HallwayReason } from '@parley/protocol';

/** Why an upcoming event is in the hallway, in words. */
export function hallwayReasonLabel(reason: HallwayReason): string {
  switch (reason) {
    case 'hosting':
      return 'You are hosting';
    case 'speaking':
      return 'You are speaking';
    case 'rsvp':
      return 'You asked to be notified';
    case 'following':
      return 'Hosted by someone you follow';
  }
}

/** The events the hallway lists: not cancelled nor over, soonest first, each once. */
export function upcomingEvents(events: readonly HallwayEvent[]): HallwayEvent[] {
  const seen = new Set<string>();
  return events
    .filter((item) => item.event.status === 'scheduled' || item.event.status === 'live')
    .filter((item) => (seen.has(item.event.id) ? false : (seen.add(item.event.id), true)))
    .sort((a, b) => Date.parse(a.event.startsAt) - Date.parse(b.event.startsAt));
}
