import { useState } from 'react';
import { Link, Outlet } from 'react-router';
import { NotificationsLink } from '../features/notifications/NotificationsLink';
import { UnreadCountProvider } from '../features/notifications/UnreadCountProvider';
import { useSession } from '../features/session/SessionProvider';
import { describeError } from './errors';

/**
 * Page frame: a skip link, the site header with who is signed in (and, for members, their invitations
 * and a live count of unread notifications), and the page's main landmark.
 */
export function Layout() {
  return (
    <UnreadCountProvider>
      <Frame />
    </UnreadCountProvider>
  );
}

function Frame() {
  const { user, account, end } = useSession();
  const [error, setError] = useState<string | null>(null);

  async function signOut() {
    setError(null);
    try {
      await end();
    } catch (caught) {
      setError(describeError(caught));
    }
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          <span aria-hidden="true">🎙️</span> Parley
        </Link>
        <nav aria-label="Account">
          <ul className="inline-list">
            {user && (
              <li className="muted">
                Signed in as <strong>{user.displayName}</strong>
                {!account && ' (guest)'}
              </li>
            )}
            {account && (
              <>
                <li>
                  <Link to={`/people/${encodeURIComponent(account.username)}`}>Profile</Link>
                </li>
                <li>
                  <Link to="/invitations">Invitations</Link>
                </li>
                <li>
                  <NotificationsLink />
                </li>
                <li>
                  <Link to="/invites">Invites</Link>
                </li>
                <li>
                  <Link to="/settings">Settings</Link>
                </li>
                {account.role === 'admin' && (
                  <li>
                    <Link to="/admin">Moderation</Link>
                  </li>
                )}
              </>
            )}
            {!account && (
              <>
                <li>
                  <Link to="/sign-in">Sign in</Link>
                </li>
                <li>
                  <Link to="/sign-up">Sign up</Link>
                </li>
              </>
            )}
            {user && (
              <li>
                <button type="button" className="button link" onClick={signOut}>
                  Sign out
                </button>
              </li>
            )}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {error && (
          <p className="error banner" role="alert">
            {error}
          </p>
        )}
        <Outlet />
      </main>
    </>
  );
}
