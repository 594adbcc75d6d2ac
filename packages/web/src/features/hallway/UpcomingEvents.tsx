import { Link } from 'react-router';
import { eventStatusLabel, formatShortTime } from '../events/eventModel';
import { useSession } from '../session/SessionProvider';
import { hallwayReasonLabel } from './upcomingEvents';
import { useHallwayEvents } from './useHallwayEvents';
import '../events/events.css';

/** The hallway's "Upcoming events": those the member hosts, speaks at, asked about, or that people they follow host. */
export function UpcomingEvents() {
  const { status, user, account } = useSession();
  const { events, error } = useHallwayEvents(status === 'ready' && account !== null, user?.id ?? null);

  return (
    <section className="stack" aria-labelledby="upcoming-events-heading" aria-busy={account !== null && events === null && !error}>
      <h2 id="upcoming-events-heading">Upcoming events</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {status === 'loading' ? (
        <p className="muted">Loading events…</p>
      ) : !account ? (
        <p className="muted">
          Members see the events they host, speak at or asked to be notified about, and those of people they follow. <Link to="/sign-in">Sign in</Link> to see yours.
        </p>
      ) : events === null ? (
        !error && <p className="muted">Loading events…</p>
      ) : events.length === 0 ? (
        <p className="muted">No upcoming events. Schedule one, or follow people to see theirs here.</p>
      ) : (
        <ul className="event-list">
          {events.map(({ event, reason }) => (
            <li key={event.id}>
              <h3 className="room-card-title">
                <Link to={`/events/${event.id}`}>{event.title}</Link>
              </h3>
              <p>
                {event.status === 'live' && <span className="live-badge">{eventStatusLabel(event.status)}</span>} <time dateTime={event.startsAt}>{formatShortTime(event.startsAt)}</time>
              </p>
              <p className="muted small">{hallwayReasonLabel(reason)}</p>
            </li>
          ))}
        </ul>
      )}
      {account && (
        <p>
          <Link className="button" to="/events/new">
            Schedule an event
          </Link>
        </p>
      )}
    </section>
  );
}
