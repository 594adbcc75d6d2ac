import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Profile } from '@parley/protocol';
import { useAnnounce } from '../../app/Announcer';
import { useClient } from '../../app/ClientContext';
import { describeAccountError } from '../account/forms';
import { BlockButton } from '../safety/BlockButton';
import { ReportDialog } from '../safety/ReportDialog';
import { useSession } from '../session/SessionProvider';
import { PersonAvatar } from './PersonAvatar';
import '../account/accounts.css';

const joinedFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'long', day: 'numeric' });

/** "Follows you" / "Mutual" badges for a relationship. */
export function RelationshipBadges({ relationship }: { relationship: Profile['relationship'] }) {
  if (!relationship?.followsYou) return null;
  return <span className="badge">{relationship.youFollow ? 'Mutual follow' : 'Follows you'}</span>;
}

/** `/people/:username`: a profile, with follow and unfollow, and "Edit profile" on one's own. */
export function ProfilePage() {
  const { username = '' } = useParams();
  const client = useClient();
  const announce = useAnnounce();
  const { account } = useSession();
  const [profile, setProfile] = useState<Profile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reporting, setReporting] = useState(false);
  const reportButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let cancelled = false;
    setError(null);
    client.profiles.get(username).then(
      (found) => !cancelled && setProfile(found),
      (caught: unknown) => !cancelled && setError(describeAccountError(caught)),
    );
    return () => {
      cancelled = true;
    };
  }, [client, username, account?.username]);

  useEffect(() => {
    document.title = profile ? `${profile.displayName} (@${profile.username}) · Parley` : 'Profile · Parley';
  }, [profile]);

  async function toggleFollow() {
    if (!profile) return;
    setBusy(true);
    setError(null);
    try {
      const following = profile.relationship?.youFollow ?? false;
      const updated = following ? await client.profiles.unfollow(profile.username) : await client.profiles.follow(profile.username);
      setProfile(updated);
      announce(following ? `You unfollowed ${updated.displayName}.` : `You follow ${updated.displayName}.`);
    } catch (caught) {
      setError(describeAccountError(caught));
    } finally {
      setBusy(false);
    }
  }

  if (!profile) {
    return (
      <section className="page card" aria-labelledby="profile-heading">
        <h1 id="profile-heading">Profile</h1>
        {error ? <p role="alert">{error}</p> : <p className="muted">Loading…</p>}
      </section>
    );
  }

  const own = account?.username.toLowerCase() === profile.username.toLowerCase();
  const base = `/people/${encodeURIComponent(profile.username)}`;
  return (
    <article className="page card stack" aria-labelledby="profile-heading">
      <div className="profile-head">
        <PersonAvatar person={profile} large />
        <div>
          <h1 id="profile-heading">{profile.displayName}</h1>
          <p className="muted">
            @{profile.username} <RelationshipBadges relationship={profile.relationship} />
          </p>
        </div>
      </div>
      {profile.bio && <p>{profile.bio}</p>}
      <ul className="counts" aria-label="Follows">
        <li>
          <Link to={`${base}/followers`}>
            <strong>{profile.followerCount}</strong> {profile.followerCount === 1 ? 'follower' : 'followers'}
          </Link>
        </li>
        <li>
          <Link to={`${base}/following`}>
            <strong>{profile.followingCount}</strong> following
          </Link>
        </li>
      </ul>
      <p className="muted">
        Joined {joinedFormat.format(new Date(profile.joinedAt))}
        {profile.invitedBy && (
          <>
            {' · '}Invited by <Link to={`/people/${encodeURIComponent(profile.invitedBy.username)}`}>{profile.invitedBy.displayName}</Link>
          </>
        )}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <p className="button-row">
        {own ? (
          <Link className="button" to="/settings/profile">
            Edit profile
          </Link>
        ) : account ? (
          <button type="button" className={profile.relationship?.youFollow ? 'button' : 'button primary'} onClick={() => void toggleFollow()} disabled={busy}>
            {profile.relationship?.youFollow ? 'Unfollow' : 'Follow'}
          </button>
        ) : (
          <Link to={`/sign-in?next=${encodeURIComponent(base)}`}>Sign in to follow</Link>
        )}
      </p>
      {account && !own && (
        <section className="button-row" aria-label={`Safety: ${profile.displayName}`}>
          {/* A block removes the follows both ways: read the profile again to show it. */}
          <BlockButton
            username={profile.username}
            name={profile.displayName}
            onChange={() => void client.profiles.get(profile.username).then(setProfile, () => undefined)}
          />
          <button type="button" className="button" ref={reportButton} onClick={() => setReporting(true)}>
            Report {profile.displayName}
          </button>
        </section>
      )}
      {reporting && (
        <ReportDialog
          target={{ kind: 'user', username: profile.username }}
          name={profile.displayName}
          onClose={() => {
            setReporting(false);
            reportButton.current?.focus();
          }}
        />
      )}
    </article>
  );
}
