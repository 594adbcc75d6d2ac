import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ThreadText, type InvitationDetail } from '@parley/protocol';
import { useAnnounce } from '../../app/Announcer';
import { useClient } from '../../app/ClientContext';
import { describeError } from '../../app/errors';
import { useRefresh } from '../../app/useRefresh';
import { FieldError } from '../../app/FieldError';
import { useValidatedField } from '../../app/useValidatedField';
import { RequireAccount } from '../account/RequireAccount';
import { formatWhen } from '../../app/time';
import { useSession } from '../session/SessionProvider';
import { actedByLabel, historyLine, liveRoomOf, mayJoinOnStage, seenAsDelegate, statusText } from './invitationView';
import './invitations.css';

/** How often an open invitation is read again (the other side may answer, the event may go live). */
const refreshMs = 15_000;

/** `/invitations/:invitationId`: the terms, the status, the thread, the decisions, and "Join on stage". */
export function InvitationPage() {
  const { invitationId = '' } = useParams();
  useEffect(() => {
    document.title = 'Invitation to speak · Parley';
  }, []);
  return <RequireAccount title="Invitation to speak">{() => <Invitation key={invitationId} id={invitationId} />}</RequireAccount>;
}

type Decision = 'accept' | 'decline' | 'withdraw';

const decisionDone: Record<Decision, string> = {
  accept: 'You accepted this invitation.',
  decline: 'You declined this invitation.',
  withdraw: 'You withdrew this invitation.',
};

function Invitation({ id }: { id: string }) {
  const client = useClient();
  const announce = useAnnounce();
  const { user } = useSession();
  const myId = user?.id ?? '';
  const [invitation, setInvitation] = useState<InvitationDetail | null>(null);
  const [eventRoom, setEventRoom] = useState<{ roomId: string | null } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const statusRef = useRef<HTMLParagraphElement>(null);

  const show = useCallback(
    async (next: InvitationDetail) => {
      setInvitation(next);
      // The invitation carries the event's status but not its room: ask the event once it is live.
      if (next.kind === 'event' && next.event?.status === 'live') {
        try {
          const event = await client.events.get(next.event.id);
          setEventRoom({ roomId: event.status === 'live' ? event.roomId : null });
        } catch {
          setEventRoom(null);
        }
      } else {
        setEventRoom(null);
      }
    },
    [client],
  );

  const load = useCallback(async () => {
    try {
      await show(await client.invitations.get(id));
      setLoadError(null);
    } catch (caught) {
      setLoadError(describeError(caught));
    }
  }, [client, id, show]);

  // Rooms opening and ending (at most about once a second): the event's room going live brings
  // "Join on stage" without a reload.
  useRefresh(load, { intervalMs: refreshMs, onHallwayChange: true });
  useEffect(
    () =>
      client.on('notification', (notification) => {
        if (notification.invitationId === id) void load();
      }),
    [client, id, load],
  );

  async function decide(decision: Decision) {
    setDeciding(decision);
    setActionError(null);
    try {
      await show(await client.invitations[decision](id));
      announce(decisionDone[decision]);
      // The button just pressed is gone: put the focus on the new status.
      requestAnimationFrame(() => statusRef.current?.focus());
    } catch (caught) {
      setActionError(describeError(caught));
      void load();
    } finally {
      setDeciding(null);
    }
  }

  if (!invitation) {
    return (
      <div className="page stack-lg">
        <h1>Invitation to speak</h1>
        {loadError ? (
          <p className="error" role="alert">
            {loadError}
          </p>
        ) : (
          <p className="muted" aria-busy="true">
            Loading the invitation…
          </p>
        )}
      </div>
    );
  }

  const { viewer } = invitation;
  const delegate = seenAsDelegate(invitation, myId);
  const roomId = mayJoinOnStage(invitation, myId) ? liveRoomOf(invitation, eventRoom) : null;
  const history = invitation.history.map((act) => ({ act, line: historyLine(act) })).filter((entry) => entry.line !== null);
  const pending = invitation.status === 'pending';
  return (
    <div className="page stack-lg">
      <h1>Invitation to speak</h1>
      {delegate && (
        <p className="notice">
          You see this as {viewer.principal.displayName}’s delegate: what you do here is done for {viewer.principal.displayName}
          {viewer.side === 'invitee' ? ', who is the one invited' : ', who sent it'}.
        </p>
      )}
      {loadError && (
        <p className="error" role="alert">
          {loadError}
        </p>
      )}
      <section className="card stack" aria-labelledby="terms-heading">
        <h2 id="terms-heading">Terms</h2>
        <dl className="terms">
          <dt>{invitation.kind === 'event' ? 'Event' : 'Live room'}</dt>
          <dd>
            {invitation.event ? (
              <Link to={`/events/${encodeURIComponent(invitation.event.id)}`}>{invitation.event.title}</Link>
            ) : invitation.room?.status === 'live' ? (
              <Link to={`/rooms/${encodeURIComponent(invitation.room.id)}`}>{invitation.room.title}</Link>
            ) : (
              (invitation.room?.title ?? 'A live room')
            )}
          </dd>
          <dt>Topic</dt>
          <dd>{invitation.terms.topic}</dd>
          <dt>When</dt>
          <dd>
            <time dateTime={invitation.terms.startsAt}>{formatWhen(invitation.terms.startsAt)}</time>
          </dd>
          <dt>Expected audience</dt>
          <dd>{invitation.terms.expectedAudience || 'Not said'}</dd>
          <dt>Recorded</dt>
          <dd>{invitation.terms.recorded ? 'Yes' : 'No'}</dd>
          <dt>From</dt>
          <dd>{invitation.inviter.displayName}</dd>
          <dt>To</dt>
          <dd>{invitation.invitee?.displayName ?? invitation.inviteeEmail ?? 'Someone without an account yet'}</dd>
          <dt>Inviter’s message</dt>
          <dd>{invitation.thread.some((m) => m.side === 'inviter') ? 'In the thread below.' : 'None.'}</dd>
          {pending && (
            <>
              <dt>Answer by</dt>
              <dd>
                <time dateTime={invitation.expiresAt}>{formatWhen(invitation.expiresAt)}</time>
              </dd>
            </>
          )}
        </dl>
      </section>

      <section className="card stack" aria-labelledby="decision-heading">
        <h2 id="decision-heading">Decision</h2>
        <p ref={statusRef} tabIndex={-1} className="status-line">
          {statusText(invitation.status)}
        </p>
        {actionError && (
          <p className="error" role="alert">
            {actionError}
          </p>
        )}
        {(viewer.canAccept || viewer.canDecline || viewer.canWithdraw) && (
          <p className="button-row">
            {viewer.canAccept && (
              <button type="button" className="button primary" disabled={deciding !== null} onClick={() => void decide('accept')}>
                Accept
              </button>
            )}
            {viewer.canDecline && (
              <button type="button" className="button" disabled={deciding !== null} onClick={() => void decide('decline')}>
                Decline
              </button>
            )}
            {viewer.canWithdraw && (
              <button type="button" className="button danger" disabled={deciding !== null} onClick={() => void decide('withdraw')}>
                Withdraw
              </button>
            )}
          </p>
        )}
        {deciding && (
          <p className="muted" aria-live="polite">
            Sending…
          </p>
        )}
        {roomId && (
          <p>
            <Link className="button primary" to={`/rooms/${encodeURIComponent(roomId)}`}>
              Join on stage
            </Link>
          </p>
        )}
        {!roomId && invitation.status === 'accepted' && mayJoinOnStage(invitation, myId) && invitation.kind === 'event' && (
          <p className="muted">When the event goes live, a “Join on stage” link appears here; you go straight onto the stage.</p>
        )}
        {history.length > 0 && (
          <>
            <h3 id="history-heading">History</h3>
            <ul className="history" aria-labelledby="history-heading">
              {history.map(({ act, line }) => (
                <li key={act.id}>
                  {line} <span className="muted small">· {formatWhen(act.at)}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <Thread invitation={invitation} onChange={show} />
    </div>
  );
}

function Thread({ invitation, onChange }: { invitation: InvitationDetail; onChange: (next: InvitationDetail) => Promise<void> }) {
  const client = useClient();
  const announce = useAnnounce();
  const fieldId = useId();
  const hintId = `${fieldId}-hint`;
  const errorId = `${fieldId}-error`;
  const field = useValidatedField(ThreadText, async (body: string) => {
    await onChange(await client.invitations.reply(invitation.id, body));
    field.setValue('');
    announce('Message sent.');
  });
  const { viewer } = invitation;
  return (
    <section className="card stack" aria-labelledby="thread-heading">
      <h2 id="thread-heading">Thread</h2>
      <p className="muted small" id={hintId}>
        {viewer.side === 'invitee' ? 'Ask anything before you decide; the inviter answers here.' : 'The person invited asks here; answer them.'}
      </p>
      {invitation.thread.length === 0 ? (
        <p className="muted">No messages yet.</p>
      ) : (
        <ol className="thread" aria-labelledby="thread-heading">
          {invitation.thread.map((message) => (
            <li key={message.id} className={message.side}>
              <p className="thread-author">
                <strong>{actedByLabel(message.by)}</strong>{' '}
                <time className="muted small" dateTime={message.at}>
                  {formatWhen(message.at)}
                </time>
              </p>
              <p className="thread-body">{message.body}</p>
            </li>
          ))}
        </ol>
      )}
      {viewer.canReply ? (
        <form className="stack" onSubmit={(e) => void field.submit(e)} noValidate>
          <div className="field">
            <label htmlFor={fieldId}>Your message</label>
            <textarea
              id={fieldId}
              rows={3}
              maxLength={2000}
              value={field.value}
              onChange={(e) => field.setValue(e.target.value)}
              aria-describedby={[hintId, field.error ? errorId : null].filter(Boolean).join(' ')}
              aria-invalid={field.error ? true : undefined}
            />
            <FieldError id={errorId} message={field.error} />
          </div>
          <button type="submit" className="button primary" disabled={field.busy}>
            Send
          </button>
        </form>
      ) : (
        <p className="muted">This thread is closed.</p>
      )}
    </section>
  );
}
