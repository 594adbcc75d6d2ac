import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { RedeemSpeakerLinkReply, ScheduledEvent, SpeakerLinkPreviewReply } from '@parley/protocol';
import { useAnnounce } from '../../app/Announcer';
import { useClient } from '../../app/ClientContext';
import { formatWhen } from '../../app/time';
import { describeError } from '../../app/errors';
import { useSession } from '../session/SessionProvider';
import { MicrophoneCheck } from './MicrophoneCheck';
import { isDamagedToken, joinAsText, linkRefusalOf, refusalMessage, stageHandoff, type LinkRefusal } from './speakLink';
import { useMicrophoneTest } from './useMicrophoneTest';
import './speak.css';

/** What the page knows about the link. */
type LinkState =
  | { kind: 'loading' }
  | { kind: 'open'; preview: SpeakerLinkPreviewReply }
  /** The link is dead (used, revoked, expired, unknown): say so, and offer no way on stage. */
  | { kind: 'refused'; refusal: LinkRefusal }
  /** The preview could not be loaded (network, rate limit): worth trying again. */
  | { kind: 'error'; message: string };

/** How often a redeemed guest waiting for the event to go live checks again. */
const waitPollMs = 5_000;

/**
 * `/speak/:token`: the one-time guest speaker link. Works without an account: it previews what the link
 * opens, lets the guest test their microphone, and "Join on stage" redeems the link (the server starts
 * a guest session with the link's name) and takes them into the live room, where they join on stage.
 */
export function SpeakPage() {
  const { token = '' } = useParams();
  const client = useClient();
  const [link, setLink] = useState<LinkState>(() => (isDamagedToken(token) ? { kind: 'refused', refusal: 'invalid' } : { kind: 'loading' }));
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    document.title = 'You’re invited to speak · Parley';
  }, []);

  useEffect(() => {
    if (isDamagedToken(token)) return;
    let cancelled = false;
    client.speakerLinks
      .preview(token)
      .then((preview) => {
        if (!cancelled) setLink({ kind: 'open', preview });
      })
      .catch((caught: unknown) => {
        if (cancelled) return;
        const refusal = linkRefusalOf(caught);
        setLink(refusal ? { kind: 'refused', refusal } : { kind: 'error', message: describeError(caught) });
      });
    return () => {
      cancelled = true;
    };
  }, [client, token, attempt]);

  return (
    <div className="page stack-lg">
      <h1>You're invited to speak</h1>
      {link.kind === 'loading' && (
        <p className="muted" role="status">
          Loading the invitation…
        </p>
      )}
      {link.kind === 'refused' && <DeadLink refusal={link.refusal} />}
      {link.kind === 'error' && (
        <div className="card alert stack" role="alert">
          <p>
            <strong>Could not open this link.</strong> {link.message}
          </p>
          <button
            type="button"
            className="button"
            onClick={() => {
              setLink({ kind: 'loading' });
              setAttempt((n) => n + 1);
            }}
          >
            Try again
          </button>
        </div>
      )}
      {link.kind === 'open' && <OpenLink token={token} preview={link.preview} onRefused={(refusal) => setLink({ kind: 'refused', refusal })} />}
    </div>
  );
}

function DeadLink({ refusal }: { refusal: LinkRefusal }) {
  return (
    <>
      <div className="card alert" role="alert">
        <p>
          <strong>{refusalMessage(refusal)}</strong>
        </p>
      </div>
      <p>
        <Link to="/">Go to the hallway</Link>
      </p>
    </>
  );
}

/** Where the guest is once they chose "Join on stage". */
type JoinState =
  | { kind: 'ready' }
  | { kind: 'joining' }
  /** Redeemed for an event that is not live yet: wait here, then go in. */
  | { kind: 'waiting'; eventId: string }
  | { kind: 'error'; message: string };

function OpenLink({ token, preview, onRefused }: { token: string; preview: SpeakerLinkPreviewReply; onRefused: (refusal: LinkRefusal) => void }) {
  const client = useClient();
  const session = useSession();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const microphone = useMicrophoneTest();
  const [join, setJoin] = useState<JoinState>({ kind: 'ready' });
  const detailsId = useId();
  const joinHeadingId = useId();
  const busy = join.kind === 'joining';

  const goToRoom = useCallback(
    (roomId: string) => navigate(`/rooms/${encodeURIComponent(roomId)}`, { state: stageHandoff }),
    [navigate],
  );

  async function joinOnStage() {
    setJoin({ kind: 'joining' });
    // The room opens the microphone itself; the test lets go of it first.
    microphone.stop();
    const before = session.user?.id ?? null;
    let redeemed: RedeemSpeakerLinkReply;
    try {
      redeemed = await client.speakerLinks.redeem(token);
    } catch (caught) {
      const refusal = linkRefusalOf(caught);
      if (refusal) onRefused(refusal);
      else setJoin({ kind: 'error', message: describeError(caught) });
      return;
    }
    // The link is used now: whatever happens next must not send the guest back to it.
    if (redeemed.user.id !== before) {
      // A socket opened under the earlier session would speak for the wrong person: start afresh.
      client.close();
    }
    try {
      await session.refresh();
    } catch {
      // The room page reads the session again; the cookie is set either way.
    }
    if (redeemed.roomId) {
      goToRoom(redeemed.roomId);
      return;
    }
    if (redeemed.eventId) {
      announce('You are all set. You will go on stage as soon as the host starts the event.');
      setJoin({ kind: 'waiting', eventId: redeemed.eventId });
      return;
    }
    setJoin({ kind: 'error', message: 'The room of this link is no longer live.' });
  }

  return (
    <>
      <section className="card stack" aria-labelledby={detailsId}>
        <h2 id={detailsId}>{preview.title}</h2>
        <p>
          {preview.hostName} invited <strong>{preview.guestName}</strong> to speak on stage.
        </p>
        <p className="muted">
          {preview.roomId ? (
            <>
              <span className="live-badge">
                <span aria-hidden="true">●</span> Live
              </span>{' '}
              The room is live now.
            </>
          ) : preview.startsAt ? (
            <>Starts {formatWhen(preview.startsAt)}.</>
          ) : null}
        </p>
        <p className="muted small">
          This link works once, until {formatWhen(preview.expiresAt)}. No account needed.
        </p>
      </section>

      <MicrophoneCheck test={microphone} />

      <section className="card stack" aria-labelledby={joinHeadingId}>
        <h2 id={joinHeadingId}>Go on stage</h2>
        {join.kind === 'waiting' ? (
          <WaitForLive eventId={join.eventId} onLive={goToRoom} />
        ) : (
          <>
            <p>{session.status === 'ready' ? joinAsText(session.user, preview.guestName) : null}</p>
            <p className="muted small">
              {preview.roomId
                ? 'Everyone in the room hears you as soon as you join. You can mute yourself at any time.'
                : 'The event has not started yet. Join now and you go on stage as soon as the host starts it.'}
            </p>
            {join.kind === 'error' && (
              <p className="error" role="alert">
                {join.message}
              </p>
            )}
            <button type="button" className="button primary huge" onClick={() => void joinOnStage()} disabled={busy || session.status === 'loading'}>
              <span aria-hidden="true">🎤 </span>Join on stage
            </button>
            {busy && (
              <p className="muted" role="status">
                Joining…
              </p>
            )}
          </>
        )}
      </section>
    </>
  );
}

/**
 * A redeemed guest whose event is not live yet: checks the (public) event until its room opens, then
 * goes in. The click on "Join on stage" already happened in this tab, so the room's audio may play.
 */
function WaitForLive({ eventId, onLive }: { eventId: string; onLive: (roomId: string) => void }) {
  const client = useClient();
  const [event, setEvent] = useState<ScheduledEvent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const onLiveRef = useRef(onLive);
  useEffect(() => {
    onLiveRef.current = onLive;
  }, [onLive]);

  useEffect(() => {
    let cancelled = false;
    let timer = 0;
    const check = async () => {
      try {
        const found = await client.events.get(eventId);
        if (cancelled) return;
        setEvent(found);
        setError(null);
        if (found.roomId && found.status === 'live') {
          onLiveRef.current(found.roomId);
          return;
        }
        if (found.status === 'cancelled' || found.status === 'ended') return;
      } catch (caught) {
        if (cancelled) return;
        setError(describeError(caught));
      }
      timer = window.setTimeout(() => void check(), waitPollMs);
    };
    void check();
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [client, eventId]);

  if (event?.status === 'cancelled') {
    return (
      <p className="error" role="alert">
        This event was cancelled.
      </p>
    );
  }
  if (event?.status === 'ended') {
    return (
      <p className="error" role="alert">
        This event has ended.
      </p>
    );
  }
  return (
    <>
      {/* Announced once by the page (a live region that appears with its text is often not read). */}
      <p>
        You are all set. Keep this page open: you go on stage as soon as the host starts the event
        {event ? ` (planned for ${formatWhen(event.startsAt)})` : ''}.
      </p>
      {error && (
        <p className="error" role="alert">
          {error} Still trying…
        </p>
      )}
    </>
  );
}
