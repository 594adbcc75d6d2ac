import { useCallback, useState } from 'react';
import type { RoomSummary } from '@parley/protocol';
import { useClient } from '../../app/ClientContext';
import { describeError } from '../../app/errors';
import { useRefresh } from '../../app/useRefresh';

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

  const refresh = useCallback(async () => {
    try {
      setRooms(await client.rooms.list());
      setError(null);
    } catch (caught) {
      setError(describeError(caught));
    }
  }, [client]);

  useRefresh(refresh, { enabled, intervalMs: hallwayRefreshMs, key: sessionKey });

  return { rooms, error, refresh };
}
