import { useEffect } from 'react';
import { Link } from 'react-router';
import { NameForm } from '../session/NameForm';
import { useSession } from '../session/SessionProvider';
import { RoomList } from './RoomList';
import { StartRoomForm } from './StartRoomForm';
import { UpcomingEvents } from './UpcomingEvents';
import { useLiveRooms } from './useLiveRooms';

/** `/`: pick a name if needed, see the live rooms and upcoming events, start a room or schedule an event. */
export function HallwayPage() {
  const { status, user, account } = useSession();
  const { rooms, error } = useLiveRooms(status === 'ready', user?.id ?? null);

  useEffect(() => {
    document.title = 'Hallway · Parley';
  }, []);

  return (
    <div className="page stack-lg">
      <h1>Hallway</h1>
      {status === 'ready' && !user && <NameForm />}
      <section aria-labelledby="live-rooms-heading" aria-busy={rooms === null && !error}>
        <h2 id="live-rooms-heading">Live rooms</h2>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {rooms === null ? !error && <p className="muted">Loading rooms…</p> : <RoomList rooms={rooms} />}
      </section>
      <UpcomingEvents />
      {account ? (
        <section className="card" aria-labelledby="start-room-heading">
          <h2 id="start-room-heading">Start a room</h2>
          <StartRoomForm />
        </section>
      ) : (
        status === 'ready' &&
        user && (
          <p className="card">
            Hosting a room needs an account: <Link to="/sign-in">sign in</Link> or <Link to="/sign-up">sign up</Link>.
          </p>
        )
      )}
    </div>
  );
}
