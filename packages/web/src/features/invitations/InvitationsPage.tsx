import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { Invitation } from '@parley/protocol';
import { useClient } from '../../app/ClientContext';
import { describeError } from '../../app/errors';
import { RequireAccount } from '../account/RequireAccount';
import { formatWhen } from '../../app/time';
import { useSession } from '../session/SessionProvider';
import { counterpartLine, invitationLinkName, uniqueById } from './invitationView';
import './invitations.css';

/** `/invitations`: invitations to speak I received and sent, mine and those of the people I am a delegate for. */
export function InvitationsPage() {
  useEffect(() => {
    document.title = 'Invitations · Parley';
  }, []);
  return <RequireAccount title="Invitations">{() => <Invitations />}</RequireAccount>;
}

interface Boxes {
  received: Invitation[];
  sent: Invitation[];
}

function Invitations() {
  const client = useClient();
  const { user } = useSession();
  const myId = user?.id ?? '';
  const [boxes, setBoxes] = useState<Boxes | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [received, sent] = await Promise.all([client.invitations.list({ box: 'received' }), client.invitations.list({ box: 'sent' })]);
      setBoxes({ received: uniqueById(received), sent: uniqueById(sent) });
      setError(null);
    } catch (caught) {
      setError(describeError(caught));
    }
  }, [client]);

  useEffect(() => {
    void load();
    // A new invitation, an answer or a decision arrives as a notification: list again.
    return client.on('notification', (notification) => {
      if (notification.invitationId) void load();
    });
  }, [client, load]);

  return (
    <div className="page stack-lg">
      <h1>Invitations</h1>
      <p className="muted">
        Invitations to speak at your events and on live stages, and those of the people you act for as a delegate.{' '}
        <Link to="/settings/delegates">Manage delegates</Link>
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <InvitationBox id="received" title="Received" invitations={boxes?.received ?? null} myId={myId} empty="Nobody has invited you to speak yet." failed={error !== null} />
      <InvitationBox id="sent" title="Sent" invitations={boxes?.sent ?? null} myId={myId} empty="You have not invited anyone yet. Invite speakers from an event’s page." failed={error !== null} />
    </div>
  );
}

function InvitationBox({ id, title, invitations, myId, empty, failed }: { id: string; title: string; invitations: Invitation[] | null; myId: string; empty: string; failed: boolean }) {
  const headingId = `invitations-${id}-heading`;
  return (
    <section className="card stack" aria-labelledby={headingId} aria-busy={invitations === null && !failed}>
      <h2 id={headingId}>{title}</h2>
      {invitations === null && !failed && <p className="muted">Loading…</p>}
      {invitations?.length === 0 && <p className="muted">{empty}</p>}
      {invitations && invitations.length > 0 && (
        <ul className="invitation-list" aria-labelledby={headingId}>
          {invitations.map((invitation) => (
            <li key={invitation.id}>
              <span className="grow">
                <Link to={`/invitations/${encodeURIComponent(invitation.id)}`}>{invitationLinkName(invitation, myId)}</Link>
                <br />
                <span className="muted small">
                  {counterpartLine(invitation)} · {invitation.terms.topic} · {formatWhen(invitation.terms.startsAt)}
                </span>
              </span>
              <span className={`badge status-${invitation.status}`}>{invitation.status}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
