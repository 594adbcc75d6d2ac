import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import type { RoomCloseReason } from '@parley/client';
import type { RoomSummary } from '@parley/protocol';
import { ParleyError } from '@parley/protocol';
import { useClient } from '../../app/ClientContext';
import { describeError } from '../../app/errors';
import { NameForm } from '../session/NameForm';
import { useSession } from '../session/SessionProvider';
import { wantsStageHandoff } from '../speak/speakLink';
import { LiveRoom } from './LiveRoom';
import { loadMusicMode } from './microphone';
import { RoomLobby } from './RoomLobby';
import { useRoomConnection } from './useRoomConnection';

/** `/rooms/:roomId`: the page a shared room link opens. */
export function RoomPage() {
  const { roomId = '' } = useParams();
  const { status, user } = useSession();

  if (status === 'loading') return <p className="page muted">Loading…</p>;
  if (!user) {
    return (
      <div className="page stack-lg">
        <h1>Join a room</h1>
        <NameForm intro="Pick a display name to join this room. This is how others in the room will see you." />
      </div>
    );
  }
  // Keyed by room so moving between rooms starts from a clean connection.
  return <RoomView key={roomId} roomId={roomId} userId={user.id} />;
}

function RoomView({ roomId, userId }: { roomId: string; userId: string }) {
  const client = useClient();
  const connection = useRoomConnection(roomId);
  const [summary, setSummary] = useState<RoomSummary | null>(null);
  const [loadError, setLoadError] = useState<{ message: string; notFound: boolean; refused: boolean } | null>(null);
  // Opened from a guest speaker link's "Join on stage": join at once (that click lets the audio play),
  // and the server puts the guest on stage, which opens the microphone as it does for the host.
  const location = useLocation();
  const navigate = useNavigate();
  const handoff = useRef(wantsStageHandoff(location.state, navigator.userActivation?.hasBeenActive));
  const { join } = connection;
  const phaseKind = connection.phase.kind;
  useEffect(() => {
    if (!handoff.current || summary?.status !== 'live' || phaseKind !== 'lobby') return;
    handoff.current = false;
    void navigate(`${location.pathname}${location.search}`, { replace: true, state: null });
    void join({ musicMode: loadMusicMode() });
  }, [summary, phaseKind, join, navigate, location.pathname, location.search]);

  useEffect(() => {
    let cancelled = false;
    client.rooms
      .get(roomId)
      .then((room) => {
        if (!cancelled) setSummary(room);
      })
      .catch((caught: unknown) => {
        if (cancelled) return;
        const notFound = caught instanceof ParleyError && caught.code === 'not_found';
        // A closed or social room the visitor may not enter: the server says why (and nothing more).
        const refused = caught instanceof ParleyError && caught.code === 'forbidden';
        setLoadError({ message: notFound ? 'This room does not exist.' : describeError(caught), notFound, refused });
      });
    return () => {
      cancelled = true;
    };
  }, [client, roomId]);

  useEffect(() => {
    document.title = summary ? `${summary.title} · Parley` : 'Room · Parley';
  }, [summary]);

  const { phase } = connection;
  if (phase.kind === 'joined') return <LiveRoom session={phase.session} connection={connection} />;
  if (phase.kind === 'closed') {
    // A dropped connection or another tab taking over can be undone by joining again.
    const canRejoin = phase.reason === 'disconnected' || phase.reason === 'replaced';
    return <RoomClosed reason={phase.reason} title={summary?.title} onRejoin={canRejoin ? connection.reset : undefined} />;
  }
  // The server refused the join (removed from this room earlier): Listen again would not help.
  if (phase.kind === 'failed' && phase.refused) return <JoinRefused message={phase.message} title={summary?.title} />;
  if (loadError?.refused) return <JoinRefused message={loadError.message} title={undefined} />;
  if (loadError) {
    return (
      <section className="page card" aria-labelledby="room-error-heading">
        <h1 id="room-error-heading">{loadError.notFound ? 'Room not found' : 'Could not open the room'}</h1>
        <p role="alert">{loadError.message}</p>
        <p>
          <Link to="/">Back to the hallway</Link>
        </p>
      </section>
    );
  }
  if (!summary) return <p className="page muted">Loading room…</p>;
  if (summary.status === 'ended') return <RoomClosed reason="ended" title={summary.title} />;
  return <RoomLobby room={summary} connection={connection} isHost={summary.hostId === userId} />;
}

const closedMessages: Record<RoomCloseReason, string> = {
  ended: 'This room has ended.',
  replaced: 'You opened this room in another tab or window, so it was closed here.',
  removed: 'You were removed from this room. A moderator removed you, and you cannot join it again.',
  revoked: 'You no longer have access to this room, so you were taken out of it.',
  suspended: 'Your account has been suspended by an admin of this server, so you were taken out of the room.',
  left: 'You left the room.',
  disconnected: 'The connection to the room was lost.',
};

/** Shown once the room is over for this tab, with the way back. */
function RoomClosed({
  reason,
  title,
  onRejoin,
}: {
  reason: RoomCloseReason;
  title: string | undefined;
  onRejoin?: () => void;
}) {
  // Being removed is news the person must not miss; the other endings follow their own action.
  return (
    <RoomOutcome title={title} urgent={reason === 'removed' || reason === 'revoked' || reason === 'suspended'} onRejoin={onRejoin}>
      {closedMessages[reason]}
    </RoomOutcome>
  );
}

/** The join was refused (`forbidden`): say so plainly, with no Listen button to try again. */
function JoinRefused({ message, title }: { message: string; title: string | undefined }) {
  return (
    <RoomOutcome title={title} urgent>
      <strong>You cannot join this room.</strong> {message}
    </RoomOutcome>
  );
}

/**
 * A card that replaces the room: its title, what happened (an alert when `urgent`, else a status),
 * an optional "Rejoin", and the way back to the hallway. The heading takes focus, because this view
 * replaces the control that had it (Listen, or the room itself).
 */
function RoomOutcome({
  title,
  urgent,
  onRejoin,
  children,
}: {
  title: string | undefined;
  urgent: boolean;
  onRejoin?: () => void;
  children: ReactNode;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <section className="page card" aria-labelledby="room-outcome-heading">
      <h1 id="room-outcome-heading" ref={heading} tabIndex={-1}>
        {title ?? 'Room'}
      </h1>
      <p role={urgent ? 'alert' : 'status'}>{children}</p>
      <p className="button-row">
        {onRejoin && (
          <button type="button" className="button primary" onClick={onRejoin}>
            Rejoin
          </button>
        )}
        <Link to="/" className={onRejoin ? 'button' : 'button primary'}>
          Back to the hallway
        </Link>
      </p>
    </section>
  );
}
