import { useCallback, useId, useState } from 'react';
import type { AuditEntry } from '@parley/protocol';
import { useClient } from '../../app/ClientContext';
import { describeError } from '../../app/errors';
import { AuditList } from '../safety/AuditList';

/**
 * The room's moderation log for its host, moderators and admins: collapsed until asked for (it is
 * read from the server when opened, and again with "Refresh").
 */
export function RoomAuditPanel({ roomId }: { roomId: string }) {
  const client = useClient();
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  const load = useCallback(async () => {
    setError(null);
    try {
      setEntries((await client.safety.roomAudit(roomId, { limit: 50 })).entries);
    } catch (caught) {
      setError(describeError(caught));
    }
  }, [client, roomId]);

  return (
    <details
      className="card"
      onToggle={(event) => {
        if ((event.currentTarget as HTMLDetailsElement).open) void load();
      }}
    >
      <summary id={`${id}-summary`}>Moderation log</summary>
      <div className="stack">
        <p className="muted">Who muted, moved, removed or promoted whom in this room, newest first. Only the host, moderators and admins see it.</p>
        <button type="button" className="button small" onClick={() => void load()}>
          Refresh the log
        </button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {entries === null ? <p className="muted">Loading…</p> : <AuditList entries={entries} showRoom={false} />}
      </div>
    </details>
  );
}
