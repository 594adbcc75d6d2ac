import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AccountInfo, AccountReply, SignInBody, SignUpBody, User } from '@parley/protocol';
import { useClient } from '../../app/ClientContext';

/** What the app knows about who is using it. */
export interface SessionState {
  /** `loading` until the server has said whether a session cookie is present. */
  status: 'loading' | 'ready';
  /** The signed-in person (a guest or a member), or null when nobody is signed in. */
  user: User | null;
  /** The member's account (username, role, email status); null for guests and nobody. */
  account: AccountInfo | null;
  /** Start a guest session with a display name (sets the session cookie). */
  start(displayName: string): Promise<User>;
  /** Create an account and sign in to it. */
  signUp(body: SignUpBody): Promise<AccountReply>;
  /** Sign in with email and password. */
  signIn(body: SignInBody): Promise<AccountReply>;
  /** Read the account again (after a profile edit or a confirmed email). */
  refresh(): Promise<void>;
  /** End the session (clears the cookie). */
  end(): Promise<void>;
  /** End every session of the account, this one included. */
  endEverywhere(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

/** Loads the session (and the account behind it) once per tab and shares it with every page. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const [status, setStatus] = useState<SessionState['status']>('loading');
  const [user, setUser] = useState<User | null>(null);
  const [account, setAccount] = useState<AccountInfo | null>(null);

  const load = useCallback(async () => {
    const found = await client.session.get();
    const reply = found?.kind === 'member' ? await client.accounts.me() : null;
    return { user: reply?.user ?? found, account: reply?.account ?? null };
  }, [client]);

  useEffect(() => {
    let cancelled = false;
    load()
      .then((loaded) => {
        if (cancelled) return;
        setUser(loaded.user);
        setAccount(loaded.account);
      })
      // A server that cannot be reached reads as "no session": the forms then show the error.
      .catch(() => undefined)
      .finally(() => {
        if (!cancelled) setStatus('ready');
      });
    return () => {
      cancelled = true;
    };
  }, [load]);

  const start = useCallback(
    async (displayName: string) => {
      const started = await client.session.start(displayName);
      setUser(started);
      setAccount(null);
      return started;
    },
    [client],
  );

  const signedIn = useCallback((reply: AccountReply) => {
    setUser(reply.user);
    setAccount(reply.account);
    return reply;
  }, []);

  const signUp = useCallback(async (body: SignUpBody) => signedIn(await client.accounts.signUp(body)), [client, signedIn]);
  const signIn = useCallback(async (body: SignInBody) => signedIn(await client.accounts.signIn(body)), [client, signedIn]);

  const refresh = useCallback(async () => {
    const loaded = await load();
    setUser(loaded.user);
    setAccount(loaded.account);
  }, [load]);

  const end = useCallback(async () => {
    await client.session.end();
    setUser(null);
    setAccount(null);
  }, [client]);

  const endEverywhere = useCallback(async () => {
    await client.accounts.signOutEverywhere();
    setUser(null);
    setAccount(null);
  }, [client]);

  const value = useMemo<SessionState>(
    () => ({ status, user, account, start, signUp, signIn, refresh, end, endEverywhere }),
    [status, user, account, start, signUp, signIn, refresh, end, endEverywhere],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The current session; see {@link SessionState}. */
export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() used outside <SessionProvider>');
  return session;
}
