import { useCallback, useEffect, useRef, useState } from 'react';
import type { RoomSummary } from '@parley/protocol';
import { useClient } from '../../app/ClientContext';
import { describeError } from '../../app/errors';

/** How often the hallway refreshes its room list. Live push of the list comes with the hallway feed. */
export const hallwayRefreshMs = 5_000;

/** Live rooms, refreshed every {@link hallwayRefreshMs} while the page is visible. */
export interface LiveRooms {
  rooms: RoomSummary[] | null;
  error: string | null;
  refresh(): Promise<void>;
}

/**
 * Polls `GET /api/rooms`; pauses while the tab is hidden so idle tabs cost the server nothing.
 * `sessionKey` (the user id) restarts the poll when someone signs in or out.
 */
export function useLiveRooms(enabled: boolean, sessionKey: string | null): LiveRooms {
  const client = useClient();
  const [rooms, setRooms] = useState<RoomSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const mounted = useRef(true);

  const refresh = useCallback(async () => {
    try {
      const list = await client.rooms.list();
      if (!mounted.current) return;
      setRooms(list);
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
    }, hallwayRefreshMs);
    const onVisible = () => {
      if (document.visibilityState === 'visible') void refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      mounted.current = false;
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [enabled, refresh, sessionKey]);

  return { rooms, error, refresh };
}
