import { useEffect, useId, useMemo } from 'react';
import { useNavigate } from 'react-router';
import { useAnnounce } from '../../app/Announcer';
import { useClient } from '../../app/ClientContext';
import { FieldError } from '../../app/FieldError';
import { FormError, TextField, useForm, type Form } from '../account/forms';
import { RequireAccount } from '../account/RequireAccount';
import { browserTimeZone, isoToLocalInput, newEventSchema, nextFullHour, roomTypeOptions, type NewEventField } from './eventModel';
import './events.css';

/** `/events/new` (members): schedule an event; its page opens once it is created. */
export function NewEventPage() {
  useEffect(() => {
    document.title = 'Schedule an event · Parley';
  }, []);
  return <RequireAccount title="Schedule an event">{() => <NewEventForm />}</RequireAccount>;
}

function NewEventForm() {
  const client = useClient();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const timeZone = useMemo(() => browserTimeZone(), []);
  const schema = useMemo(() => newEventSchema(timeZone), [timeZone]);
  const initial = useMemo<Record<NewEventField, string>>(
    () => ({ title: '', description: '', startsAt: isoToLocalInput(nextFullHour(new Date())), durationMinutes: '60', roomType: 'open', coHosts: '' }),
    [],
  );
  const form = useForm(schema, initial, async (body) => {
    const event = await client.events.create(body);
    announce(`Event ${event.title} scheduled.`);
    navigate(`/events/${event.id}`);
  });

  return (
    <div className="page stack-lg">
      <h1>Schedule an event</h1>
      <form className="card stack" onSubmit={form.submit} noValidate>
        <FormError message={form.formError} />
        <TextField form={form} name="title" label="Title" maxLength={120} autoComplete="off" />
        <TextField form={form} name="description" label="Description" multiline maxLength={4000} hint="What it is about and who should come (optional)." />
        <StartsAtField form={form} timeZone={timeZone} />
        <NumberField form={form} name="durationMinutes" label="Duration in minutes" min={5} max={1440} step={5} hint="For calendars; the room stays open as long as you like." />
        <RoomTypeField form={form} />
        <TextField form={form} name="coHosts" label="Co-hosts (optional)" autoComplete="off" hint="Usernames of members who host with you, separated by commas." />
        <button type="submit" className="button primary" disabled={form.busy}>
          Schedule event
        </button>
      </form>
    </div>
  );
}

/** Wires a field's hint and error to its control. */
function useFieldIds(error: string | undefined, hasHint: boolean) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hasHint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return { id, hintId, errorId, describedBy };
}

/** "Starts at": a datetime-local input, read in the browser's zone (named in the hint) and sent as UTC. */
function StartsAtField({ form, timeZone }: { form: Form<NewEventField>; timeZone: string }) {
  const error = form.errors.startsAt;
  const ids = useFieldIds(error, true);
  return (
    <div className="field">
      <label htmlFor={ids.id}>Starts at</label>
      <p id={ids.hintId} className="muted small">
        In your time zone, {timeZone}. Hosts can go live from 15 minutes before.
      </p>
      <input
        id={ids.id}
        name="startsAt"
        type="datetime-local"
        value={form.values.startsAt}
        onChange={(e) => form.set('startsAt', e.target.value)}
        aria-describedby={ids.describedBy}
        aria-invalid={error ? true : undefined}
        required
      />
      <FieldError id={ids.errorId} message={error ?? null} />
    </div>
  );
}

function NumberField({ form, name, label, hint, min, max, step }: { form: Form<NewEventField>; name: NewEventField; label: string; hint: string; min: number; max: number; step: number }) {
  const error = form.errors[name];
  const ids = useFieldIds(error, true);
  return (
    <div className="field">
      <label htmlFor={ids.id}>{label}</label>
      <p id={ids.hintId} className="muted small">
        {hint}
      </p>
      <input
        id={ids.id}
        name={name}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        step={step}
        value={form.values[name]}
        onChange={(e) => form.set(name, e.target.value)}
        aria-describedby={ids.describedBy}
        aria-invalid={error ? true : undefined}
      />
      <FieldError id={ids.errorId} message={error ?? null} />
    </div>
  );
}

/** "Room type": the protocol's room types, as a select (a combobox). */
function RoomTypeField({ form }: { form: Form<NewEventField> }) {
  const error = form.errors.roomType;
  const ids = useFieldIds(error, true);
  return (
    <div className="field">
      <label htmlFor={ids.id}>Room type</label>
      <p id={ids.hintId} className="muted small">
        Who can join the live room. {roomTypeOptions.map((option) => `${option.label}: ${option.hint}`).join(' ')}
      </p>
      <select
        id={ids.id}
        name="roomType"
        value={form.values.roomType}
        onChange={(e) => form.set('roomType', e.target.value)}
        aria-describedby={ids.describedBy}
        aria-invalid={error ? true : undefined}
      >
        {roomTypeOptions.map((option) => (
          <option key={option.type} value={option.type}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldError id={ids.errorId} message={error ?? null} />
    </div>
  );
}
