import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { CreateInviteBody, type AccountInfo, type InviteListReply } from '@parley/protocol';
import { useAnnounce } from '../../app/Announcer';
import { useClient } from '../../app/ClientContext';
import { describeAccountError, FormError, TextField, useForm } from '../account/forms';
import { RequireAccount } from '../account/RequireAccount';
import '../account/accounts.css';

const dateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

/** `/invites`: create invites (a code, or emailed), see who joined through them, withdraw unused ones. */
export function InvitesPage() {
  useEffect(() => {
    document.title = 'Invites · Parley';
  }, []);
  return <RequireAccount title="Invites">{(account) => <Invites account={account} />}</RequireAccount>;
}

function Invites({ account }: { account: AccountInfo }) {
  const client = useClient();
  const announce = useAnnounce();
  const [data, setData] = useState<InviteListReply | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setData(await client.invites.list());
    } catch (caught) {
      setError(describeAccountError(caught));
    }
  }, [client]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const form = useForm(
    CreateInviteBody,
    { email: '' },
    async (body) => {
      const invite = await client.invites.create(body);
      form.set('email', '');
      announce(invite.email ? `Invite sent to ${invite.email}.` : `New invite code ${invite.code}.`);
      await reload();
    },
    (values) => (values.email.trim() === '' ? {} : values),
  );

  async function withdraw(code: string) {
    try {
      await client.invites.withdraw(code);
      announce(`Invite ${code} withdrawn.`);
      await reload();
    } catch (caught) {
      setError(describeAccountError(caught));
    }
  }

  const quota = data?.quota;
  const left = quota && quota.limit !== null ? Math.max(0, quota.limit - quota.used) : null;
  return (
    <div className="page stack-lg">
      <h1>Invites</h1>
      <section className="card stack" aria-labelledby="new-invite-heading">
        <h2 id="new-invite-heading">Invite someone</h2>
        <p className="muted">
          {quota ? (left === null ? 'You can invite as many people as you like.' : `You have ${left} of ${quota.limit} invites left.`) : 'Loading…'}
          {!account.emailVerified && ' Confirm your email address (see Settings) to send invites by email.'}
        </p>
        <form className="stack" onSubmit={form.submit} noValidate>
          <FormError message={form.formError} />
          <TextField form={form} name="email" label="Their email (optional)" type="email" autoComplete="off" hint="We email them a sign-up link. Leave it empty to get a code to pass on yourself." />
          <button type="submit" className="button primary" disabled={form.busy || left === 0}>
            Create invite
          </button>
        </form>
      </section>
      <section className="card stack" aria-labelledby="my-invites-heading">
        <h2 id="my-invites-heading">Your invites</h2>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {data && data.invites.length === 0 && <p className="muted">No invites yet.</p>}
        <ul className="invite-list">
          {data?.invites.map((invite) => (
            <li key={invite.code}>
              <span className="grow">
                <span className="code">{invite.code}</span>
                {invite.email && <span className="muted"> · sent to {invite.email}</span>}
                <br />
                {invite.redeemedBy ? (
                  <>
                    Joined: <Link to={`/people/${encodeURIComponent(invite.redeemedBy.username)}`}>{invite.redeemedBy.displayName}</Link>
                    {invite.redeemedAt && <span className="muted"> on {dateFormat.format(new Date(invite.redeemedAt))}</span>}
                  </>
                ) : (
                  <span className="muted">
                    Not used yet · link: <span className="code">{invite.link}</span>
                  </span>
                )}
              </span>
              {!invite.redeemedBy && (
                <button type="button" className="button small" onClick={() => void withdraw(invite.code)} aria-label={`Withdraw invite ${invite.code}`}>
                  Withdraw
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
