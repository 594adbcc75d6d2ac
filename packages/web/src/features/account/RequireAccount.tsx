import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import type { AccountInfo } from '@parley/protocol';
import { useSession } from '../session/SessionProvider';
import { AccountCard } from './forms';

/** Renders its children with the member's account, or asks a guest or visitor to sign in first. */
export function RequireAccount({ title, children }: { title: string; children: (account: AccountInfo) => ReactNode }) {
  const { status, account } = useSession();
  const location = useLocation();
  if (status === 'loading') return <p className="page muted">Loading…</p>;
  if (!account) {
    return (
      <AccountCard title={title}>
        <p>
          This page is for people with an account. <Link to={`/sign-in?next=${encodeURIComponent(location.pathname)}`}>Sign in</Link> or{' '}
          <Link to="/sign-up">sign up</Link>.
        </p>
      </AccountCard>
    );
  }
  return <>{children(account)}</>;
}
