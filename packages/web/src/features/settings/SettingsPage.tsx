import { useCallback, useEffect, useId, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { CreateApiTokenBody, type AccountInfo, type ApiToken } from '@parley/protocol';
import { useAnnounce } from '../../app/Announcer';
import { useClient } from '../../app/ClientContext';
import { describeAccountError, FormError, TextField, useForm } from '../account/forms';
import { RequireAccount } from '../account/RequireAccount';
import { useSession } from '../session/SessionProvider';
import '../account/accounts.css';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** `/settings`: email confirmation, personal API tokens, sign out everywhere, and (admins) invite-only mode. */
export function SettingsPage() {
  useEffect(() => {
    document.title = 'Settings · Parley';
  }, []);
  return (
    <RequireAccount title="Settings">
      {(account) => (
        <div className="page stack-lg">
          <h1>Settings</h1>
          <AccountSection account={account} />
          <TokensSection />
          {account.role === 'admin' && <ServerSection />}
        </div>
      )}
    </RequireAccount>
  );
}

function AccountSection({ account }: { account: AccountInfo }) {
  const client = useClient();
  const { endEverywhere } = useSession();
  const navigate = useNavigate();
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  async function run(action: () => Promise<string | void>) {
    setMessage(null);
    try {
      const text = await action();
      if (text) setMessage({ text, error: false });
    } catch (caught) {
      setMessage({ text: describeAccountError(caught), error: true });
    }
  }

  return (
    <section className="card stack" aria-labelledby="account-heading">
      <h2 id="account-heading">Account</h2>
      <p>
        Email: <strong>{account.email}</strong> {account.emailVerified ? <span className="badge">Confirmed</span> : <span className="badge">Not confirmed</span>}
      </p>
      {message && (
        <p className={message.error ? 'error' : 'notice'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      <p className="button-row">
        {!account.emailVerified && (
          <button type="button" className="button" onClick={() => void run(async () => (await client.accounts.resendVerification()).message)}>
            Send a new confirmation link
          </button>
        )}
        <Link className="button" to="/settings/profile">
          Edit profile
        </Link>
        <Link className="button" to="/settings/delegates">
          Delegates
        </Link>
        <Link className="button" to="/settings/notifications">
          Notification settings
        </Link>
        <button
          type="button"
          className="button danger"
          onClick={() =>
            void run(async () => {
              await endEverywhere();
              navigate('/sign-in');
            })
          }
        >
          Sign out everywhere
        </button>
      </p>
    </section>
  );
}

function TokensSection() {
  const client = useClient();
  const announce = useAnnounce();
  const secretId = useId();
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setTokens(await client.tokens.list());
    } catch (caught) {
      setError(describeAccountError(caught));
    }
  }, [client]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const form = useForm(CreateApiTokenBody, { name: '' }, async (body) => {
    const reply = await client.tokens.create(body.name);
    setCreated({ name: reply.token.name, secret: reply.secret });
    form.set('name', '');
    announce(`Token ${reply.token.name} created. Copy it now: it is shown only once.`);
    await reload();
  });

  async function revoke(token: ApiToken) {
    try {
      await client.tokens.revoke(token.id);
      announce(`Token ${token.name} revoked.`);
      if (created?.name === token.name) setCreated(null);
      await reload();
    } catch (caught) {
      setError(describeAccountError(caught));
    }
  }

  return (
    <section className="card stack" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <p className="muted">
        Bots and scripts act as you with a token: <span className="code">parley bot host --token …</span> or the{' '}
        <span className="code">Authorization: Bearer</span> header. Revoke a token to stop it at once.
      </p>
      <form className="stack" onSubmit={form.submit} noValidate>
        <FormError message={form.formError} />
        <TextField form={form} name="name" label="Token name" hint="Say what will use it, e.g. “Tone bot”." maxLength={60} autoComplete="off" />
        <button type="submit" className="button primary" disabled={form.busy}>
          Create token
        </button>
      </form>
      {created && (
        <div className="notice stack">
          <label htmlFor={secretId}>New token “{created.name}” (copy it now; it is not shown again)</label>
          <input id={secretId} type="text" readOnly value={created.secret} className="code" onFocus={(e) => e.target.select()} />
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {tokens && tokens.length === 0 && <p className="muted">No tokens.</p>}
      <ul className="token-list">
        {tokens?.map((token) => (
          <li key={token.id}>
            <span className="grow">
              <strong>{token.name}</strong>
              <br />
              <span className="muted small">
                Created {dateFormat.format(new Date(token.createdAt))} · {token.lastUsedAt ? `last used ${dateFormat.format(new Date(token.lastUsedAt))}` : 'never used'}
              </span>
            </span>
            <button type="button" className="button small danger" onClick={() => void revoke(token)} aria-label={`Revoke token ${token.name}`}>
              Revoke
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ServerSection() {
  const client = useClient();
  const announce = useAnnounce();
  const checkboxId = useId();
  const [inviteOnly, setInviteOnly] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    client.accounts.server().then((info) => setInviteOnly(info.inviteOnly), (caught: unknown) => setError(describeAccountError(caught)));
  }, [client]);

  async function change(next: boolean) {
    setError(null);
    try {
      setInviteOnly((await client.accounts.setInviteOnly(next)).inviteOnly);
      announce(next ? 'Sign-up is now by invitation only.' : 'Anyone can now sign up.');
    } catch (caught) {
      setError(describeAccountError(caught));
    }
  }

  return (
    <section className="card stack" aria-labelledby="server-heading">
      <h2 id="server-heading">Server (admin)</h2>
      <div className="checkbox">
        <input id={checkboxId} type="checkbox" checked={inviteOnly ?? true} disabled={inviteOnly === null} onChange={(e) => void change(e.target.checked)} aria-describedby={`${checkboxId}-hint`} />
        <label htmlFor={checkboxId}>Invite-only sign-up</label>
        <p id={`${checkboxId}-hint`} className="muted small">
          When on, new people need an invite code from a member. Admins have unlimited invites.
        </p>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
