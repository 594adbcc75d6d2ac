import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { RoomAccessEntry } from '@parley/protocol';
import { useAnnounce } from '../../app/Announcer';
import { useClient } from '../../app/ClientContext';
import { describeError } from '../../app/errors';
import '../safety/safety.css';

/**
 * A closed room's access list, for whoever runs the room: who may enter (by username), a form to let
 * someone in, and "Remove Ben from the list" per person (they leave the room at once if they are in).
 */
export function AccessListPanel({ roomId }: { roomId: string }) {
  const client = useClient();
  const announce = useAnnounce();
  const [people, setPeople] = useState<RoomAccessEntry[] | null>(null);
  const [username, setUsername] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const load = useCallback(async () => {
    try {
      setPeople((await client.safety.accessList(roomId)).people);
    } catch (caught) {
      setError(describeError(caught));
    }
  }, [client, roomId]);

  useEffect(() => {
    void load();
  }, [load]);

  async function add(event: FormEvent) {
    event.preventDefault();
    const name = username.trim().replace(/^@/, '');
    if (!name) {
      setError('Enter the username of the person to let in.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const list = (await client.safety.grantAccess(roomId, name)).people;
      setPeople(list);
      setUsername('');
      const added = list.find((entry) => entry.person.username.toLowerCase() === name.toLowerCase());
      announce(`${added?.person.displayName ?? name} can now join this room.`);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  async function remove(entry: RoomAccessEntry) {
    setBusy(true);
    setError(null);
    try {
      await client.safety.revokeAccess(roomId, entry.person.username);
      setPeople((current) => current?.filter((e) => e.person.id !== entry.person.id) ?? null);
      announce(`${entry.person.displayName} can no longer join this room.`);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby={`${id}-heading`} className="card stack">
      <h2 id={`${id}-heading`}>Who can join</h2>
      <p className="muted">This room is closed: only the people on this list (and you) can join, even with the link.</p>
      <form className="inline-form" onSubmit={(event) => void add(event)} noValidate>
        <div className="stack">
          <label htmlFor={`${id}-username`}>Username</label>
          <input id={`${id}-username`} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" />
        </div>
        <button type="submit" className="button primary" disabled={busy}>
          Let in
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {people === null ? (
        <p className="muted">Loading…</p>
      ) : people.length === 0 ? (
        <p className="muted">Nobody yet.</p>
      ) : (
        <ul className="access-list">
          {people.map((entry) => (
            <li key={entry.person.id}>
              <span>
                {entry.person.displayName} <span className="muted">@{entry.person.username}</span>
              </span>
              <button type="button" className="button small" onClick={() => void remove(entry)} disabled={busy}>
                Remove {entry.person.displayName} from the list
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
