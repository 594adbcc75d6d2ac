import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { Notification } from '@parley/protocol';
import { useAnnounce } from '../../app/Announcer';
import { useClient } from '../../app/ClientContext';
import { describeError } from '../../app/errors';
import { RequireAccount } from '../account/RequireAccount';
import { formatWhen } from '../../app/time';
import { appendPage, markListRead, prependNotification, safeLink } from './notificationView';
import { useUnreadCount } from './UnreadCountProvider';
import './notifications.css';

const pageSize = 30;

/** `/notifications`: newest first, unread ones marked; opening one marks it read. */
export function NotificationsPage() {
  useEffect(() => {
    document.title = 'Notifications · Parley';
  }, []);
  return <RequireAccount title="Notifications">{() => <Notifications />}</RequireAccount>;
}

function Notifications() {
  const client = useClient();
  const announce = useAnnounce();
  const { count, setCount } = useUnreadCount();
  const [list, setList] = useState<Notification[] | null>(null);
  const [nextBefore, setNextBefore] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const reply = await client.notifications.list({ limit: pageSize });
      setList(reply.notifications);
      setNextBefore(reply.nextBefore);
      setCount(reply.unreadCount);
      setError(null);
    } catch (caught) {
      setError(describeError(caught));
    }
  }, [client, setCount]);

  useEffect(() => {
    void load();
    // New ones arrive over the socket (opened by the page frame): put them on top as they come.
    const offs = [client.on('notification', (fresh) => setList((current) => (current ? prependNotification(current, fresh) : current)))];
    return () => {
      for (const off of offs) off();
    };
  }, [client, load]);

  // Read on another tab: the count drops to zero, so every listed one is read.
  useEffect(() => {
    if (count === 0) setList((current) => (current && current.some((n) => n.readAt === null) ? markListRead(current, 'all', new Date().toISOString()) : current));
  }, [count]);

  async function markAll() {
    setBusy(true);
    setError(null);
    try {
      setCount(await client.notifications.markAllRead());
      setList((current) => (current ? markListRead(current, 'all', new Date().toISOString()) : current));
      announce('All notifications marked as read.');
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  function open(notification: Notification) {
    if (notification.readAt !== null) return;
    setList((current) => (current ? markListRead(current, [notification.id], new Date().toISOString()) : current));
    // The page is left at once; the request finishes on its own and the count follows.
    client.notifications.markRead([notification.id]).then(setCount, () => undefined);
  }

  async function more() {
    if (!nextBefore) return;
    setBusy(true);
    try {
      const reply = await client.notifications.list({ limit: pageSize, before: nextBefore });
      setList((current) => appendPage(current ?? [], reply.notifications));
      setNextBefore(reply.nextBefore);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page stack-lg">
      <h1>Notifications</h1>
      <p className="button-row">
        <button type="button" className="button" onClick={() => void markAll()} disabled={busy || list === null}>
          Mark all as read
        </button>
        <Link className="button" to="/settings/notifications">
          Choose what you hear about
        </Link>
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <section aria-labelledby="notifications-list-heading" aria-busy={list === null && !error} className="card">
        <h2 id="notifications-list-heading" className="visually-hidden">
          All notifications
        </h2>
        {list === null && !error && <p className="muted">Loading notifications…</p>}
        {list?.length === 0 && <p className="muted">Nothing yet. You will hear here when someone invites you to speak, answers you, or goes live.</p>}
        {list && list.length > 0 && (
          <ul className="notification-list" aria-label="Notifications">
            {list.map((n) => (
              <li key={n.id} className={n.readAt === null ? 'unread' : undefined}>
                {n.readAt === null && <span className="badge unread-marker">unread</span>}
                <Link className="grow" to={safeLink(n.link)} onClick={() => open(n)}>
                  {n.text}
                </Link>
                <time className="muted small" dateTime={n.createdAt}>
                  {formatWhen(n.createdAt)}
                </time>
              </li>
            ))}
          </ul>
        )}
        {nextBefore && (
          <button type="button" className="button more-button" onClick={() => void more()} disabled={busy}>
            Show older notifications
          </button>
        )}
      </section>
    </div>
  );
}
