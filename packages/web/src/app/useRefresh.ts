import { useEffect } from 'react';
import { useClient } from './ClientContext';

/** When {@link useRefresh} runs `refresh`. */
export interface RefreshOptions {
  /** Off: nothing runs (e.g. until someone is signed in). Default on. */
  enabled?: boolean;
  /** Every this many ms while the tab is visible (hidden tabs cost the server nothing). */
  intervalMs: number;
  /** Also on the server's `hallway.changed` hint (rooms or events opened, went live, ended). */
  onHallwayChange?: boolean;
  /** A change of this value starts over (e.g. the user id: what they may see changes). */
  key?: unknown;
}

/**
 * Run `refresh` now, again when the tab becomes visible, every `intervalMs` while it is visible, and
 * (if asked) on each hallway hint pushed over the WebSocket. `refresh` should be stable (useCallback):
 * a new one starts over.
 */
export function useRefresh(refresh: () => Promise<void>, { enabled = true, intervalMs, onHallwayChange = false, key }: RefreshOptions): void {
  const client = useClient();
  useEffect(() => {
    if (!enabled) return;
    const run = () => void refresh();
    const whenVisible = () => {
      if (document.visibilityState === 'visible') run();
    };
    run();
    const timer = window.setInterval(whenVisible, intervalMs);
    document.addEventListener('visibilitychange', whenVisible);
    const offHallway = onHallwayChange ? client.on('hallwayChanged', run) : undefined;
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', whenVisible);
      offHallway?.();
    };
  }, [client, enabled, intervalMs, onHallwayChange, refresh, key]);
}
