import { useId } from 'react';
import { useNavigate } from 'react-router';
import { RoomTitle } from '@parley/protocol';
import { useClient } from '../../app/ClientContext';
import { FieldError } from '../../app/FieldError';
import { useValidatedField } from '../../app/useValidatedField';

/** "Start a room": creates a live room (the caller is its host) and opens it. */
export function StartRoomForm() {
  const client = useClient();
  const navigate = useNavigate();
  const field = useValidatedField(RoomTitle, async (title) => {
    const room = await client.rooms.create(title);
    navigate(`/rooms/${room.id}`);
  });
  const fieldId = useId();
  const errorId = useId();

  return (
    <form className="stack" onSubmit={field.submit} noValidate>
      <label htmlFor={fieldId}>Room title</label>
      <input
        id={fieldId}
        name="title"
        maxLength={120}
        value={field.value}
        onChange={(e) => field.setValue(e.target.value)}
        placeholder="What do you want to talk about?"
        aria-describedby={field.error ? errorId : undefined}
        aria-invalid={field.error ? true : undefined}
        required
      />
      <FieldError id={errorId} message={field.error} />
      <button type="submit" className="button primary" disabled={field.busy}>
        Start room
      </button>
    </form>
  );
}
