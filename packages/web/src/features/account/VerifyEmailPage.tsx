import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useClient } from '../../app/ClientContext';
import { useSession } from '../session/SessionProvider';
import { AccountCard, describeAccountError } from './forms';

/** `/verify-email?token=…`: the link from the confirmation email. */
export function VerifyEmailPage() {
  const client = useClient();
  const { refresh } = useSession();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [state, setState] = useState<{ kind: 'working' } | { kind: 'done' } | { kind: 'failed'; message: string }>({ kind: 'working' });
  // One attempt per page load: StrictMode runs effects twice in development, and a link works once.
  const tried = useRef(false);

  useEffect(() => {
    document.title = 'Confirm your email · Parley';
    if (tried.current) return;
    tried.current = true;
    client.accounts
      .verifyEmail(token)
      .then(async () => {
        setState({ kind: 'done' });
        await refresh().catch(() => undefined);
      })
      .catch((error: unknown) => setState({ kind: 'failed', message: describeAccountError(error) }));
  }, [client, token, refresh]);

  return (
    <AccountCard title="Confirm your email">
      {state.kind === 'working' && (
        <p role="status" className="muted">
          Confirming…
        </p>
      )}
      {state.kind === 'done' && (
        <p role="status" className="notice">
          Your email address is confirmed. <Link to="/">Go to the hallway</Link>.
        </p>
      )}
      {state.kind === 'failed' && (
        <p role="alert" className="error">
          {state.message} You can ask for a new link in <Link to="/settings">Settings</Link>.
        </p>
      )}
    </AccountCard>
  );
}
