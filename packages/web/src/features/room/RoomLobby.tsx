import { useId, useState } from 'react';
import type { RoomSummary } from '@parley/protocol';
import { loadMusicMode, saveMusicMode } from './microphone';
import { RoomHeading } from './RoomHeading';
import type { RoomConnection } from './useRoomConnection';

/**
 * Before joining: what the room is, and the one big "Listen" button. Joining happens on that click so
 * the browser lets the room's audio play (and the host's microphone opens on the same gesture).
 */
export function RoomLobby({
  room,
  connection,
  isHost,
}: {
  room: RoomSummary;
  connection: RoomConnection;
  /** The viewer created the room: "Listen" also opens their microphone and puts them live. */
  isHost: boolean;
}) {
  const [musicMode, setMusicMode] = useState(loadMusicMode);
  const musicId = useId();
  const joining = connection.phase.kind === 'joining';
  const failure = connection.phase.kind === 'failed' ? connection.phase.message : null;

  return (
    <div className="page stack-lg">
      <RoomHeading title={room.title}>
        <p className="muted">
          Hosted by {room.hostName} · {room.participantCount} {room.participantCount === 1 ? 'person' : 'people'} in
          the room
        </p>
        {room.speakerNames.length > 0 && <p>On stage: {room.speakerNames.join(', ')}</p>}
      </RoomHeading>
      <section className="card stack" aria-labelledby="lobby-heading">
        <h2 id="lobby-heading">Join the conversation</h2>
        <p className="muted">
          {isHost
            ? 'You are the host. Listen opens your microphone and puts you live on stage.'
            : 'You join as a listener. Raise your hand to ask to speak.'}
        </p>
        {failure && (
          <p className="error" role="alert">
            {failure}
          </p>
        )}
        <button
          type="button"
          className="button primary huge"
          onClick={() => void connection.join({ musicMode })}
          disabled={joining}
          aria-describedby={joining ? `${musicId}-joining` : undefined}
        >
          <span aria-hidden="true">🎧 </span>Listen
        </button>
        {joining && (
          <p id={`${musicId}-joining`} className="muted" role="status">
            Joining…
          </p>
        )}
        <div className="checkbox">
          <input
            id={musicId}
            type="checkbox"
            checked={musicMode}
            onChange={(e) => {
              setMusicMode(e.target.checked);
              saveMusicMode(e.target.checked);
            }}
            aria-describedby={`${musicId}-hint`}
          />
          <label htmlFor={musicId}>Music mode</label>
          <p id={`${musicId}-hint`} className="muted small">
            Sends your microphone without echo cancellation, noise suppression or automatic volume. Use headphones.
          </p>
        </div>
      </section>
    </div>
  );
}
