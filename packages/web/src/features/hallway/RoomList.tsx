import { Link } from 'react-router';
import type { RoomSummary } from '@parley/protocol';

/** The hallway's list of live rooms: title, who is on stage, how many are in, and a link to join. */
export function RoomList({ rooms }: { rooms: RoomSummary[] }) {
  if (rooms.length === 0) {
    return <p className="muted">No live rooms right now. Start one below and share its link.</p>;
  }
  return (
    <ul className="room-list">
      {rooms.map((room) => (
        <li key={room.id} className="room-card">
          <h3 className="room-card-title">
            <Link to={`/rooms/${room.id}`}>{room.title}</Link>
          </h3>
          {room.type === 'social' && <p className="badge">Social: for followers</p>}
          <p className="room-card-speakers">
            {room.speakerNames.length > 0 ? `On stage: ${room.speakerNames.join(', ')}` : `Hosted by ${room.hostName}`}
          </p>
          <p className="room-card-count muted">
            {room.participantCount} {room.participantCount === 1 ? 'person' : 'people'} in the room
          </p>
        </li>
      ))}
    </ul>
  );
}
