import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { User } from '@parley/protocol';
import { useClient } from '../../app/ClientContext';

/** What the app knows about who is using it. */
export interface SessionState {
  /** `loading` until the server has said whether a session cookie is present. */
  status: 'loading' | 'ready';
  /** The signed-in person, or null when they still have to pick a display name. */
  user: User | null;
  /** Start a guest session with a display name (sets the session cookie). */
  start(displayName: string): Promise<User>;
  /** End the session (clears the cookie). */
  end(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

/** Loads the session once per tab and shares it with every page. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const [status, setStatus] = useState<SessionState['status']>('loading');
  const [user, setUser] = useState<User | null>(null);

  useEffect(() => {
    let cancelled = false;
    client.session
      .get()
      .then((found) => {
        if (!cancelled) setUser(found);
      })
      // A server that cannot be reached reads as "no session": the name form then shows the error.
      .catch(() => undefined)
      .finally(() => {
        if (!cancelled) setStatus('ready');
      });
    return () => {
      cancelled = true;
    };
  }, [client]);

  const start = useCallback(
    async (displayName: string) => {
      const started = await client.session.start(displayName);
      setUser(started);
      return started;
    },
    [client],
  );

  const end = useCallback(async () => {
    await client.session.end();
    setUser(null);
  }, [client]);

  const value = useMemo<SessionState>(() => ({ status, user, start, end }), [status, user, start, end]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The current session; see {@link SessionState}. */
export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() used outside <SessionProvider>');
  return session;
}
