import { useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { RoomTitle, type RoomType } from '@parley/protocol';
import { useClient } from '../../app/ClientContext';
import { FieldError } from '../../app/FieldError';
import { useValidatedField } from '../../app/useValidatedField';
import '../safety/safety.css';

/** The room types as the form offers them: a name and who gets in. */
const roomTypes: { type: RoomType; label: string; hint: string }[] = [
  { type: 'open', label: 'Open', hint: 'Anyone can join. Listed in the hallway.' },
  { type: 'social', label: 'Social', hint: 'People who follow you or someone on stage. Listed only to them.' },
  { type: 'closed', label: 'Closed', hint: 'Only people you let in. Never listed; the link alone does not let anyone in.' },
];

/** "Start a room": creates a live room of the chosen type (the caller is its host) and opens it. */
export function StartRoomForm() {
  const client = useClient();
  const navigate = useNavigate();
  const [type, setType] = useState<RoomType>('open');
  const field = useValidatedField(RoomTitle, async (title) => {
    const room = await client.rooms.create(title, type);
    navigate(`/rooms/${room.id}`);
  });
  const fieldId = useId();
  const errorId = useId();
  const typeId = useId();

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
      <fieldset className="room-type stack" role="radiogroup" aria-labelledby={`${typeId}-legend`}>
        <legend id={`${typeId}-legend`}>Who can join</legend>
        {roomTypes.map((option) => (
          <div key={option.type} className="choice">
            <input
              id={`${typeId}-${option.type}`}
              type="radio"
              name="room-type"
              value={option.type}
              checked={type === option.type}
              onChange={() => setType(option.type)}
              aria-describedby={`${typeId}-${option.type}-hint`}
            />
            <span>
              <label htmlFor={`${typeId}-${option.type}`}>{option.label}</label>
              <span id={`${typeId}-${option.type}-hint`} className="muted choice-hint">
                {option.hint}
              </span>
            </span>
          </div>
        ))}
      </fieldset>
      <button type="submit" className="button primary" disabled={field.busy}>
        Start room
      </button>
    </form>
  );
}
