import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { PersonListItem } from '@parley/protocol';
import { useClient } from '../../app/ClientContext';
import { describeAccountError } from '../account/forms';
import { PersonAvatar } from './PersonAvatar';
import { RelationshipBadges } from './ProfilePage';
import '../account/accounts.css';

const pageSize = 20;

/** `/people/:username/followers` and `/following`: the list, newest first, 20 at a time. */
export function FollowListPage({ direction }: { direction: 'followers' | 'following' }) {
  const { username = '' } = useParams();
  const client = useClient();
  const [people, setPeople] = useState<PersonListItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const title = direction === 'followers' ? `Followers of @${username}` : `People @${username} follows`;

  const load = useCallback(
    async (after: string | null) => {
      try {
        const page = await client.profiles[direction](username, { limit: pageSize, ...(after ? { cursor: after } : {}) });
        setPeople((current) => (after ? [...current, ...page.people] : page.people));
        setCursor(page.nextCursor);
        setError(null);
      } catch (caught) {
        setError(describeAccountError(caught));
      } finally {
        setLoaded(true);
      }
    },
    [client, direction, username],
  );

  useEffect(() => {
    document.title = `${title} · Parley`;
    setLoaded(false);
    void load(null);
  }, [load, title]);

  return (
    <section className="page card stack" aria-labelledby="follow-list-heading" aria-busy={!loaded}>
      <h1 id="follow-list-heading">{title}</h1>
      <p>
        <Link to={`/people/${encodeURIComponent(username)}`}>Back to the profile</Link>
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {loaded && people.length === 0 && !error && <p className="muted">{direction === 'followers' ? 'No followers yet.' : 'Not following anyone yet.'}</p>}
      <ul className="people-list">
        {people.map((person) => (
          <li key={person.id}>
            <PersonAvatar person={person} />
            <span className="grow">
              <Link to={`/people/${encodeURIComponent(person.username)}`}>{person.displayName}</Link> <span className="muted">@{person.username}</span>{' '}
              <RelationshipBadges relationship={person.relationship} />
            </span>
          </li>
        ))}
      </ul>
      {cursor && (
        <button type="button" className="button" onClick={() => void load(cursor)}>
          Show more
        </button>
      )}
    </section>
  );
}
