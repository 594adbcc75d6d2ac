import { useId } from 'react';
import { Link, useLocation } from 'react-router';
import { DisplayName } from '@parley/protocol';
import { FieldError } from '../../app/FieldError';
import { useValidatedField } from '../../app/useValidatedField';
import { useSession } from './SessionProvider';

/**
 * "Pick a display name" form: the one step between a visitor and a guest session. Shown on the
 * hallway and before joining a room when there is no session yet.
 */
export function NameForm({ intro }: { intro?: string }) {
  const { start } = useSession();
  const field = useValidatedField(DisplayName, start);
  const fieldId = useId();
  const hintId = useId();
  const errorId = useId();
  const location = useLocation();
  const next = encodeURIComponent(`${location.pathname}${location.search}`);

  return (
    <section className="card" aria-labelledby={`${fieldId}-heading`}>
      <h2 id={`${fieldId}-heading`}>Pick a display name</h2>
      <p id={hintId} className="muted">
        {intro ?? 'This is how others in a room will see you. No account needed.'}
      </p>
      <form className="stack" onSubmit={field.submit} noValidate>
        <label htmlFor={fieldId}>Display name</label>
        <input
          id={fieldId}
          name="displayName"
          autoComplete="nickname"
          maxLength={40}
          value={field.value}
          onChange={(e) => field.setValue(e.target.value)}
          aria-describedby={field.error ? `${hintId} ${errorId}` : hintId}
          aria-invalid={field.error ? true : undefined}
          required
        />
        <FieldError id={errorId} message={field.error} />
        <button type="submit" className="button primary" disabled={field.busy}>
          Continue
        </button>
      </form>
      <p className="muted">
        Guests can listen. To speak or host, <Link to={`/sign-in?next=${next}`}>sign in</Link> or{' '}
        <Link to="/sign-up">sign up</Link>.
      </p>
    </section>
  );
}
