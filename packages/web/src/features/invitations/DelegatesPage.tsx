import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { DelegationScope, GrantDelegationBody, type Act, type Delegation, type DelegationListReply } from '@parley/protocol';
import { useAnnounce } from '../../app/Announcer';
import { useClient } from '../../app/ClientContext';
import { describeError } from '../../app/errors';
import { FieldError } from '../../app/FieldError';
import { RequireAccount } from '../account/RequireAccount';
import { formatWhen } from '../../app/time';
import { activityLine, scopeLabels, scopesText } from './invitationView';
import './invitations.css';
import '../account/accounts.css';

const scopes = DelegationScope.options;

/** `/settings/delegates`: who may act for me (and in what), who I act for, and what was done in my name. */
export function DelegatesPage() {
  useEffect(() => {
    document.title = 'Delegates · Parley';
  }, []);
  return <RequireAccount title="Delegates">{() => <Delegates />}</RequireAccount>;
}

function Delegates() {
  const client = useClient();
  const announce = useAnnounce();
  const [data, setData] = useState<DelegationListReply | null>(null);
  const [acts, setActs] = useState<Act[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [list, activity] = await Promise.all([client.delegations.list(), client.delegations.activity()]);
      setData(list);
      setActs(activity);
      setError(null);
    } catch (caught) {
      setError(describeError(caught));
    }
  }, [client]);

  useEffect(() => {
    void load();
  }, [load]);

  async function revoke(delegation: Delegation, mine: boolean) {
    setError(null);
    try {
      await client.delegations.revoke(delegation.id);
      announce(mine ? `${delegation.delegate.displayName} no longer acts for you.` : `You no longer act for ${delegation.principal.displayName}.`);
      await load();
    } catch (caught) {
      setError(describeError(caught));
    }
  }

  return (
    <div className="page stack-lg">
      <h1>Delegates</h1>
      <p className="muted">
        A delegate acts for you: they see and answer your invitations to speak, or run your events, and everything they do is shown as done by them for you.
      </p>
      <AddDelegate onAdded={load} />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <section className="card stack" aria-labelledby="my-delegates-heading" aria-busy={data === null && !error}>
        <h2 id="my-delegates-heading">Your delegates</h2>
        {data === null && !error && <p className="muted">Loading…</p>}
        {data?.granted.length === 0 && <p className="muted">Nobody acts for you.</p>}
        {data && data.granted.length > 0 && (
          <ul className="delegate-list" aria-labelledby="my-delegates-heading">
            {data.granted.map((delegation) => (
              <li key={delegation.id}>
                <span className="grow">
                  <strong>{delegation.delegate.displayName}</strong> <span className="muted">@{delegation.delegate.username}</span>
                  <br />
                  <span className="muted small">
                    {scopesText(delegation.scopes)} · since {formatWhen(delegation.createdAt)}
                  </span>
                </span>
                <button type="button" className="button small danger" onClick={() => void revoke(delegation, true)}>
                  Revoke {delegation.delegate.displayName}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card stack" aria-labelledby="act-for-heading" aria-busy={data === null && !error}>
        <h2 id="act-for-heading">People I act for</h2>
        {data?.received.length === 0 && <p className="muted">You act for nobody.</p>}
        {data && data.received.length > 0 && (
          <ul className="delegate-list" aria-labelledby="act-for-heading">
            {data.received.map((delegation) => (
              <li key={delegation.id}>
                <span className="grow">
                  <strong>{delegation.principal.displayName}</strong> <span className="muted">@{delegation.principal.username}</span>
                  <br />
                  <span className="muted small">{scopesText(delegation.scopes)}</span>
                </span>
                <button type="button" className="button small" onClick={() => void revoke(delegation, false)}>
                  Stop acting for {delegation.principal.displayName}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card stack" aria-labelledby="activity-heading">
        <h2 id="activity-heading">Activity</h2>
        <p className="muted small">What was done in your name, by you or your delegates, and what you did for others.</p>
        {acts?.length === 0 && <p className="muted">Nothing yet.</p>}
        {acts && acts.length > 0 && (
          <ul className="history" aria-labelledby="activity-heading">
            {acts.slice(0, 50).map((act) => (
              <li key={act.id}>
                {activityLine(act)} <span className="muted small">· {formatWhen(act.at)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function AddDelegate({ onAdded }: { onAdded: () => Promise<void> }) {
  const client = useClient();
  const announce = useAnnounce();
  const id = useId();
  const [username, setUsername] = useState('');
  const [chosen, setChosen] = useState<DelegationScope[]>([]);
  const [errors, setErrors] = useState<{ username?: string; scopes?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const parsed = GrantDelegationBody.safeParse({ username, scopes: chosen });
    if (!parsed.success) {
      const found: typeof errors = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path[0] === 'scopes' ? 'scopes' : 'username';
        found[key] ??= issue.message;
      }
      setErrors(found);
      requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const delegation = await client.delegations.grant(parsed.data.username, parsed.data.scopes);
      setUsername('');
      setChosen([]);
      announce(`${delegation.delegate.displayName} can now act for you (${scopesText(delegation.scopes)}).`);
      await onAdded();
    } catch (caught) {
      setErrors({ form: describeError(caught) });
    } finally {
      setBusy(false);
    }
  }

  function toggle(scope: DelegationScope, on: boolean) {
    setChosen((current) => (on ? [...current.filter((s) => s !== scope), scope] : current.filter((s) => s !== scope)));
  }

  return (
    <section className="card stack" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Add a delegate</h2>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        {errors.form && (
          <p className="error banner" role="alert">
            {errors.form}
          </p>
        )}
        <div className="field">
          <label htmlFor={`${id}-username`}>Username</label>
          <p id={`${id}-username-hint`} className="muted small">
            The member who may act for you. Adding someone again replaces what they may do.
          </p>
          <input
            id={`${id}-username`}
            type="text"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            aria-describedby={[`${id}-username-hint`, errors.username ? `${id}-username-error` : null].filter(Boolean).join(' ')}
            aria-invalid={errors.username ? true : undefined}
          />
          <FieldError id={`${id}-username-error`} message={errors.username ?? null} />
        </div>
        <fieldset className="scope-choices" aria-describedby={errors.scopes ? `${id}-scopes-error` : undefined}>
          <legend>They may act for you on</legend>
          {scopes.map((scope, index) => (
            <div key={scope} className="checkbox">
              <input
                id={`${id}-${scope}`}
                type="checkbox"
                checked={chosen.includes(scope)}
                onChange={(e) => toggle(scope, e.target.checked)}
                aria-describedby={`${id}-${scope}-hint`}
                aria-invalid={errors.scopes && index === 0 ? true : undefined}
              />
              <label htmlFor={`${id}-${scope}`}>{scopeLabels[scope].label}</label>
              <p id={`${id}-${scope}-hint`} className="muted small">
                {scopeLabels[scope].hint}
              </p>
            </div>
          ))}
          <FieldError id={`${id}-scopes-error`} message={errors.scopes ?? null} />
        </fieldset>
        <button type="submit" className="button primary" disabled={busy}>
          Add delegate
        </button>
      </form>
    </section>
  );
}
