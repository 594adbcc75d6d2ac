import { useCallback, useEffect, useRef, useState } from 'react';
import type { ScheduledEvent } from '@parley/protocol';
import { useClient } from '../../app/ClientContext';
import { describeError } from '../../app/errors';
import { useRefresh } from '../../app/useRefresh';

/** How often an open event page checks whether the event went live (hallway pushes come on top). */
export const eventRefreshMs = 10_000;

export interface LoadedEvent {
  event: ScheduledEvent | null;
  /** Why it could not be loaded (shown as an alert); null while it loads or once it is loaded. */
  error: string | null;
  setEvent(event: ScheduledEvent): void;
  reload(): Promise<void>;
}

/**
 * One event, loaded on mount and again when the hallway changes (an event went live: pushed over the
 * WebSocket when it is open), when the tab comes back, and every {@link eventRefreshMs} while visible.
 * `sessionKey` (the user id) reloads it when someone signs in or out: what they may do changes.
 */
export function useEvent(eventId: string, sessionKey: string | null): LoadedEvent {
  const client = useClient();
  const [event, setEvent] = useState<ScheduledEvent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const current = useRef(eventId);
  current.current = eventId;

  const reload = useCallback(async () => {
    try {
      const loaded = await client.events.get(eventId);
      if (current.current !== eventId) return;
      setEvent(loaded);
      setError(null);
    } catch (caught) {
      if (current.current === eventId) setError(describeError(caught));
    }
  }, [client, eventId]);

  useEffect(() => {
    setEvent(null);
    setError(null);
  }, [eventId]);

  useRefresh(reload, { intervalMs: eventRefreshMs, onHallwayChange: true, key: sessionKey });

  return { event, error, setEvent, reload };
}
