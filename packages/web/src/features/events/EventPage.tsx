import { useEffect, useId, useMemo, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { goLiveEarlyMinutes, type ScheduledEvent } from '@parley/protocol';
import { useAnnounce } from '../../app/Announcer';
import { useClient } from '../../app/ClientContext';
import { describeError } from '../../app/errors';
import { useSession } from '../session/SessionProvider';
import {
  browserTimeZone,
  eventActions,
  eventStatusLabel,
  formatEventTime,
  goLiveOpensAt,
  hostZoneTime,
  joinNames,
  rsvpSentence,
  type EventActions,
} from './eventModel';
import { InviteSpeakerSection } from './InviteSpeakerSection';
import { SpeakerLinksSection } from './SpeakerLinksSection';
import { useEvent } from './useEvent';
import '../account/accounts.css';
import './events.css';

/** `/events/:eventId`: an event's page — when, who, share, "notify me", and the hosts' tools. */
export function EventPage() {
  const { eventId = '' } = useParams();
  const { status, user, account } = useSession();
  const { event, error, setEvent } = useEvent(eventId, status === 'ready' ? (user?.id ?? 'nobody') : null);

  useEffect(() => {
    document.title = event ? `${event.title} · Parley` : 'Event · Parley';
  }, [event]);

  if (!event || status === 'loading') {
    return (
      <div className="page stack" aria-busy={!error}>
        {error && status === 'ready' ? (
          <section className="card stack" aria-labelledby="event-error-heading">
            <h1 id="event-error-heading">Event not available</h1>
            <p className="error" role="alert">
              {error}
            </p>
            <p>
              <Link to="/">Go to the hallway</Link>
            </p>
          </section>
        ) : (
          <p className="muted">Loading the event…</p>
        )}
      </div>
    );
  }
  const actions = eventActions(event, account !== null);
  return (
    <article className="page stack-lg event-page" aria-labelledby="event-title">
      <EventHeader event={event} />
      {event.description && <p className="event-description">{event.description}</p>}
      <ShareSection event={event} actions={actions} onChange={setEvent} />
      {actions.goLive && <GoLiveSection event={event} open={actions.goLiveOpen} />}
      {actions.manage && (
        <>
          <InviteSpeakerSection event={event} />
          <SpeakerLinksSection event={event} />
        </>
      )}
    </article>
  );
}

function EventHeader({ event }: { event: ScheduledEvent }) {
  const viewerZone = useMemo(() => browserTimeZone(), []);
  const hostTime = hostZoneTime(event, viewerZone);
  return (
    <header className="stack">
      <p>
        <span className={event.status === 'live' ? 'live-badge' : 'badge'}>{eventStatusLabel(event.status)}</span>
      </p>
      <h1 id="event-title">{event.title}</h1>
      <p className="event-time">
        <time dateTime={event.startsAt}>{formatEventTime(event.startsAt)}</time>
        {hostTime && <span className="muted"> ({hostTime})</span>}
        <span className="muted"> · about {event.durationMinutes} minutes</span>
      </p>
      {event.hosts.length > 0 && (
        <p>
          Hosted by{' '}
          {event.hosts.map((host, index) => (
            <span key={host.id}>
              {index > 0 && (index === event.hosts.length - 1 ? ' and ' : ', ')}
              <Link to={`/people/${encodeURIComponent(host.username)}`}>{host.displayName}</Link>
            </span>
          ))}
        </p>
      )}
      {event.speakers.length > 0 && <p>Speakers: {joinNames(event.speakers.map((speaker) => speaker.displayName))}</p>}
      {event.status === 'cancelled' && (
        <p className="notice">
          This event was cancelled.
        </p>
      )}
      {event.status === 'ended' && <p className="notice">This event is over.</p>}
    </header>
  );
}

/** The share link, "Copy link", "Add to calendar", "Notify me", and "Join the live room" once live. */
function ShareSection({ event, actions, onChange }: { event: ScheduledEvent; actions: EventActions; onChange: (event: ScheduledEvent) => void }) {
  const client = useClient();
  const announce = useAnnounce();
  const location = useLocation();
  const linkId = useId();
  const [copied, setCopied] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function copy() {
    setError(null);
    try {
      await navigator.clipboard.writeText(event.link);
      setCopied('Link copied.');
    } catch {
      // No clipboard (an insecure origin, or permission refused): select the text for a manual copy.
      const node = document.getElementById(linkId);
      const selection = window.getSelection();
      if (node && selection) {
        const range = document.createRange();
        range.selectNodeContents(node);
        selection.removeAllRanges();
        selection.addRange(range);
      }
      setCopied('Could not copy by itself: the link is selected, press Ctrl+C (⌘C on a Mac) to copy it.');
    }
  }

  async function toggleRsvp(on: boolean) {
    setError(null);
    setBusy(true);
    try {
      onChange(await client.events.rsvp(event.id, on));
      announce(on ? 'You will be notified when it starts.' : 'You will not be notified.');
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card stack" aria-labelledby="event-share-heading">
      <h2 id="event-share-heading" className="visually-hidden">
        Share and reminders
      </h2>
      {actions.joinRoomId && (
        <p>
          <Link className="button primary huge" to={`/rooms/${actions.joinRoomId}`}>
            Join the live room
          </Link>
        </p>
      )}
      <div className="stack">
        <p>
          Share link: <span id={linkId} className="code event-link">{event.link}</span>
        </p>
        <p className="button-row">
          <button type="button" className="button" onClick={() => void copy()}>
            Copy link
          </button>
          <a className="button" href={event.icsUrl} download>
            Add to calendar
          </a>
        </p>
        <p role="status" className="muted small">
          {copied}
        </p>
      </div>
      <div className="stack">
        {actions.rsvp && (
          <p className="button-row">
            <button type="button" className={actions.rsvp === 'on' ? 'button primary' : 'button'} disabled={busy} onClick={() => void toggleRsvp(actions.rsvp === 'on')}>
              {actions.rsvp === 'on' ? 'Notify me' : 'Stop notifying me'}
            </button>
          </p>
        )}
        {actions.rsvp === 'off' && <p className="muted small">You will get a notification when it starts.</p>}
        {actions.signInForReminders && (
          <p className="muted">
            To get a reminder when it starts, <Link to={`/sign-in?next=${encodeURIComponent(location.pathname)}`}>sign in</Link> or <Link to="/sign-up">sign up</Link>.
          </p>
        )}
        <p className="muted small">{rsvpSentence(event.rsvpCount)}</p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </div>
    </section>
  );
}

/** "Go live" for the hosts: opens the event's room (the server refuses before the opening time). */
function GoLiveSection({ event, open }: { event: ScheduledEvent; open: boolean }) {
  const client = useClient();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const opensAt = goLiveOpensAt(event.startsAt, goLiveEarlyMinutes).toISOString();

  async function goLive() {
    setError(null);
    setBusy(true);
    try {
      const reply = await client.events.goLive(event.id);
      navigate(`/rooms/${reply.room.id}`);
    } catch (caught) {
      setError(describeError(caught));
      setBusy(false);
    }
  }

  return (
    <section className="card stack" aria-labelledby="go-live-heading">
      <h2 id="go-live-heading">Going live</h2>
      <p className="muted" id="go-live-hint">
        {open ? 'The room can open now. Going live lets everyone in; speakers you invited join on stage.' : `You can go live from ${formatEventTime(opensAt)}, ${goLiveEarlyMinutes} minutes before the start.`}
      </p>
      <p>
        <button type="button" className="button primary" disabled={busy} aria-describedby="go-live-hint" onClick={() => void goLive()}>
          Go live
        </button>
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
