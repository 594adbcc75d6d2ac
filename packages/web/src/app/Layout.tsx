import { useState } from 'react';
import { Link, Outlet } from 'react-router';
import { useSession } from '../features/session/SessionProvider';
import { describeError } from './errors';

/** Page frame: a skip link, the site header with who is signed in, and the page's main landmark. */
export function Layout() {
  const { user, end } = useSession();
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
        {user ? (
          <nav aria-label="Account">
            <ul className="inline-list">
              <li className="muted">
                Signed in as <strong>{user.displayName}</strong>
              </li>
              <li>
                <button type="button" className="button link" onClick={signOut}>
                  Sign out
                </button>
              </li>
            </ul>
          </nav>
        ) : null}
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
