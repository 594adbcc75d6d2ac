import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';

/** Says something to screen-reader users without moving focus. */
export type Announce = (message: string) => void;

const AnnouncerContext = createContext<Announce>(() => {});

/**
 * One polite live region for the whole app. Messages queue briefly so two announcements in the same
 * tick (e.g. "you are now a speaker" and "you are unmuted") are both read, one after the other.
 */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [messages, setMessages] = useState<{ key: number; text: string }[]>([]);
  const nextKey = useRef(0);

  const announce = useCallback<Announce>((text) => {
    const key = nextKey.current++;
    // Keep the last few so a burst is read in full; older ones leave the region and are not re-read.
    setMessages((current) => [...current.slice(-3), { key, text }]);
  }, []);

  const value = useMemo(() => announce, [announce]);
  return (
    <AnnouncerContext.Provider value={value}>
      {children}
      <div className="visually-hidden" aria-live="polite" aria-atomic="false" data-testid="announcer">
        {messages.map((m) => (
          <p key={m.key}>{m.text}</p>
        ))}
      </div>
    </AnnouncerContext.Provider>
  );
}

/** The app's announcer: call it with a short sentence. */
export function useAnnounce(): Announce {
  return useContext(AnnouncerContext);
}
