import { createContext, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useAnnounce } from '../../app/Announcer';
import { useClient } from '../../app/ClientContext';
import { useSession } from '../session/SessionProvider';

/** The member's unread notification count, kept live over the WebSocket. */
export interface UnreadCount {
  /** null until known, and for guests and visitors. */
  count: number | null;
  /** Set it from an HTTP reply (marking read answers with the new count). */
  setCount(count: number): void;
}

const UnreadCountContext = createContext<UnreadCount>({ count: null, setCount: () => {} });

/** How long to wait before opening the socket again after it dropped: 1 s, 2 s, 4 s… at most 30 s. */
function retryDelay(attempt: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, attempt - 1));
}

/**
 * Opens the signalling socket for a signed-in member (notifications are pushed on it with the unread
 * count), reopens it when it drops, and shares the count with the header and the notifications page.
 * New notifications are also read out politely by the announcer.
 */
export function UnreadCountProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const announce = useAnnounce();
  const { user, account } = useSession();
  const [count, setCount] = useState<number | null>(null);
  const userId = user?.id ?? null;
  const memberId = account ? userId : null;
  const lastUserId = useRef<string | null>(null);

  // The socket carries the identity it was opened with: when the person changes (sign out, sign in as
  // someone else), close it so that the next one opens with the new session. A layout effect, so it
  // runs before any page's effects of the same commit could start a room join on the old socket.
  useLayoutEffect(() => {
    const previous = lastUserId.current;
    lastUserId.current = userId;
    if (previous !== null && previous !== userId) client.close();
  }, [client, userId]);

  useEffect(() => {
    if (!memberId) {
      setCount(null);
      return;
    }
    let stopped = false;
    let attempt = 0;
    let timer: number | undefined;

    const fetchCount = () =>
      client.notifications.list({ limit: 1 }).then(
        (reply) => {
          if (!stopped) setCount(reply.unreadCount);
        },
        () => undefined,
      );
    const open = () => {
      timer = undefined;
      if (stopped) return;
      client.connect().then(
        () => {
          attempt = 0;
          // Anything that arrived while the socket was down is counted on the server.
          if (!stopped) void fetchCount();
        },
        () => retry(),
      );
    };
    const retry = () => {
      if (stopped || timer !== undefined) return;
      attempt += 1;
      timer = window.setTimeout(open, retryDelay(attempt));
    };

    const offs = [
      client.on('notification', (_notification, unread) => {
        if (stopped) return;
        setCount(unread);
        // Not the text itself: the page may show it too, and one sentence twice reads badly.
        announce('You have a new notification.');
      }),
      client.on('unreadCount', (unread) => {
        if (!stopped) setCount(unread);
      }),
      client.on('disconnected', () => retry()),
    ];
    void fetchCount();
    open();
    return () => {
      stopped = true;
      if (timer !== undefined) window.clearTimeout(timer);
      for (const off of offs) off();
    };
  }, [client, memberId, announce]);

  const value = useMemo<UnreadCount>(() => ({ count, setCount }), [count]);
  return <UnreadCountContext.Provider value={value}>{children}</UnreadCountContext.Provider>;
}

/** The unread count and its setter; see {@link UnreadCountProvider}. */
export function useUnreadCount(): UnreadCount {
  return useContext(UnreadCountContext);
}
