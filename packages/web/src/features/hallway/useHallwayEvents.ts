import { useCallback, useState } from 'react';
import type { HallwayEvent } from '@parley/protocol';
import { useClient } from '../../app/ClientContext';
import { describeError } from '../../app/errors';
import { useRefresh } from '../../app/useRefresh';
import { upcomingEvents } from './upcomingEvents';

/** How often the hallway refreshes its upcoming events (pushes over the WebSocket come on top). */
export const hallwayEventsRefreshMs = 30_000;

/** Upcoming events that concern the signed-in member, from `GET /api/hallway`. */
export interface HallwayEvents {
  events: HallwayEvent[] | null;
  error: string | null;
}

/**
 * Loads the hallway's upcoming events, again on `hallwayChanged` (an event scheduled or gone live),
 * when the tab comes back, and every {@link hallwayEventsRefreshMs} while visible. `sessionKey` (the
 * user id) reloads them when someone signs in or out.
 */
export function useHallwayEvents(enabled: boolean, sessionKey: string | null): HallwayEvents {
  const client = useClient();
  const [events, setEvents] = useState<HallwayEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      setEvents(upcomingEvents((await client.events.hallway()).events));
      setError(null);
    } catch (caught) {
      setError(describeError(caught));
    }
  }, [client]);

  useRefresh(refresh, { enabled, intervalMs: hallwayEventsRefreshMs, onHallwayChange: true, key: sessionKey });

  return { events, error };
}
