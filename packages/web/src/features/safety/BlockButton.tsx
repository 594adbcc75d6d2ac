import { useEffect, useState } from 'react';
import { useAnnounce } from '../../app/Announcer';
import { useClient } from '../../app/ClientContext';
import { describeError } from '../../app/errors';

/** What blocking does, said once when it happens. */
export function blockedMessage(name: string): string {
  return `You blocked ${name}. They cannot join rooms you host or moderate, and neither of you sees the other's rooms.`;
}

/**
 * "Block Ben" / "Unblock Ben" on a profile: the visible words name the person and the action, so the
 * button makes sense on its own. The state is read from the server when the page opens.
 */
export function BlockButton({ username, name, onChange }: { username: string; name: string; onChange?(blocked: boolean): void }) {
  const client = useClient();
  const announce = useAnnounce();
  const [blocked, setBlocked] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    client.safety.isBlocked(username).then(
      (value) => !cancelled && setBlocked(value),
      (caught: unknown) => !cancelled && setError(describeError(caught)),
    );
    return () => {
      cancelled = true;
    };
  }, [client, username]);

  async function toggle() {
    setBusy(true);
    setError(null);
    try {
      const now = blocked ? await client.safety.unblock(username) : await client.safety.block(username);
      setBlocked(now);
      onChange?.(now);
      announce(now ? blockedMessage(name) : `You unblocked ${name}.`);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button type="button" className="button" onClick={() => void toggle()} disabled={busy || blocked === null}>
        {blocked ? `Unblock ${name}` : `Block ${name}`}
      </button>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
