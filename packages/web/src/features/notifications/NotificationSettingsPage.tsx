import { useEffect, useState, type FormEvent } from 'react';
import { notificationKinds, UpdateNotificationPreferencesBody, type NotificationKind, type NotificationPreferences } from '@parley/protocol';
import { useClient } from '../../app/ClientContext';
import { describeError } from '../../app/errors';
import { RequireAccount } from '../account/RequireAccount';
import { channelLabels, kindLabels, preferencesDiffer, switchLabel, type Channel } from './notificationView';
import './notifications.css';

const channels = Object.keys(channelLabels) as Channel[];

/** `/settings/notifications`: for each kind, whether it is listed in the app (and pushed live) and mailed. */
export function NotificationSettingsPage() {
  useEffect(() => {
    document.title = 'Notification settings · Parley';
  }, []);
  return <RequireAccount title="Notification settings">{() => <NotificationSettings />}</RequireAccount>;
}

function NotificationSettings() {
  const client = useClient();
  const [saved, setSaved] = useState<NotificationPreferences | null>(null);
  const [draft, setDraft] = useState<NotificationPreferences | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let cancelled = false;
    client.notifications.preferences().then(
      (preferences) => {
        if (cancelled) return;
        setSaved(preferences);
        setDraft(preferences);
      },
      (caught: unknown) => {
        if (!cancelled) setError(describeError(caught));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client]);

  function toggle(kind: NotificationKind, channel: Channel, on: boolean) {
    setStatus(null);
    setDraft((current) => (current ? { ...current, [kind]: { ...current[kind], [channel]: on } } : current));
  }

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!draft) return;
    const parsed = UpdateNotificationPreferencesBody.safeParse(draft);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'Check the switches.');
      return;
    }
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      const preferences = await client.notifications.updatePreferences(parsed.data);
      setSaved(preferences);
      setDraft(preferences);
      // The status region below reads it out.
      setStatus('Saved');
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  const dirty = saved !== null && draft !== null && preferencesDiffer(saved, draft);
  return (
    <div className="page stack-lg">
      <h1>Notification settings</h1>
      <p className="muted">
        Choose what you hear about. “In the app” lists it on your notifications page and updates the count at the top of every page; “by email” also mails it to
        you.
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {draft === null ? (
        !error && <p className="muted">Loading your settings…</p>
      ) : (
        <form className="card stack" onSubmit={(e) => void save(e)} noValidate>
          {notificationKinds.map((kind) => (
            <fieldset key={kind} className="channel-grid">
              <legend>{kindLabels[kind]}</legend>
              {channels.map((channel) => {
                const id = `pref-${kind.replace('.', '-')}-${channel}`;
                return (
                  <div key={channel} className="checkbox">
                    <input id={id} type="checkbox" checked={draft[kind]?.[channel] ?? false} onChange={(e) => toggle(kind, channel, e.target.checked)} aria-label={switchLabel(kind, channel)} />
                    <label htmlFor={id}>{channel === 'inApp' ? 'In the app' : 'By email'}</label>
                  </div>
                );
              })}
            </fieldset>
          ))}
          <p className="button-row">
            <button type="submit" className="button primary" disabled={busy}>
              Save
            </button>
          </p>
          <p role="status" className={status ? 'notice' : undefined}>
            {status}
          </p>
          {dirty && <p className="muted small">Changes take effect when you press Save.</p>}
        </form>
      )}
    </div>
  );
}
