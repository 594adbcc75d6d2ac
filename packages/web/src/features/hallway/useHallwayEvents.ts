import { useCallback, useEffect, useRef, useState } from 'react';
import type { HallwayEvent } from '@parley/protocol';
import { useClient } from '../../app/ClientContext';
import { describeError } from '../../app/errors';
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
  const mounted = useRef(true);

  const refresh = useCallback(async () => {
    try {
      const reply = await client.events.hallway();
      if (!mounted.current) return;
      setEvents(upcomingEvents(reply.events));
      setError(null);
    } catch (caught) {
      if (mounted.current) setError(describeError(caught));
    }
  }, [client]);

  useEffect(() => {
    mounted.current = true;
    if (!enabled) return;
    void refresh();
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, hallwayEventsRefreshMs);
    const onVisible = () => {
      if (document.visibilityState === 'visible') void refresh();
    };
    const onChanged = () => void refresh();
    document.addEventListener('visibilitychange', onVisible);
    client.on('hallwayChanged', onChanged);
    return () => {
      mounted.current = false;
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      client.off('hallwayChanged', onChanged);
    };
  }, [client, enabled, refresh, sessionKey]);

  return { events, error };
}
