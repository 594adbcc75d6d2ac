import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ConnectionError, ParleyError } from '@parley/client';
import { describeError } from '../../app/errors';
import { FieldError } from '../../app/FieldError';
import './accounts.css';

/** The part of a protocol (zod) object schema a form needs: parse, with issues by field. */
export interface FormSchema<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** A sentence for a failed account request: the server's own message says what to fix. */
export function describeAccountError(error: unknown): string {
  if (error instanceof ParleyError && error.code !== 'internal' && error.code !== 'rate_limited') return error.message;
  if (error instanceof ConnectionError) return describeError(error);
  return describeError(error);
}

/** State of a form with several fields, validated with the same schema as the server. */
export interface Form<K extends string> {
  values: Record<K, string>;
  errors: Partial<Record<K, string>>;
  /** A failure that is not about one field (the server's answer), announced as an alert. */
  formError: string | null;
  busy: boolean;
  set(name: K, value: string): void;
  submit(event: FormEvent<HTMLFormElement>): Promise<void>;
}

/**
 * A form validated with a protocol schema before anything is sent (each field's message appears
 * under it, the first invalid field gets the focus), then submitted; a refusal from the server is
 * shown at the top as an alert. `prepare` turns the strings into the body (e.g. "" → undefined).
 */
export function useForm<K extends string, T>(
  schema: FormSchema<T>,
  initial: Record<K, string>,
  action: (data: T) => Promise<void>,
  prepare: (values: Record<K, string>) => unknown = (values) => values,
): Form<K> {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Partial<Record<K, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const parsed = schema.safeParse(prepare(values));
    if (!parsed.success) {
      const found: Partial<Record<K, string>> = {};
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? '') as K;
        found[key] ??= issue.message;
      }
      setErrors(found);
      setFormError(Object.keys(found).some((key) => key in values) ? null : (parsed.error.issues[0]?.message ?? 'Check the form.'));
      // Keyboard and screen-reader users land on the first field to fix.
      requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setErrors({});
    setFormError(null);
    setBusy(true);
    try {
      await action(parsed.data);
    } catch (caught) {
      setFormError(describeAccountError(caught));
    } finally {
      setBusy(false);
    }
  }

  return { values, errors, formError, busy, set: (name, value) => setValues((current) => ({ ...current, [name]: value })), submit };
}

/** A labelled input with its hint and error wired to it (aria-describedby, aria-invalid). */
export function TextField<K extends string>({
  form,
  name,
  label,
  type = 'text',
  hint,
  autoComplete,
  multiline = false,
  maxLength,
}: {
  form: Form<K>;
  name: K;
  label: string;
  type?: 'text' | 'email' | 'password';
  hint?: ReactNode;
  autoComplete?: string;
  multiline?: boolean;
  maxLength?: number;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const error = form.errors[name] ?? null;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  const shared = {
    id,
    name,
    value: form.values[name],
    maxLength,
    'aria-describedby': describedBy,
    'aria-invalid': error ? true : undefined,
  } as const;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={hintId} className="muted small">
          {hint}
        </p>
      )}
      {multiline ? (
        <textarea {...shared} rows={4} onChange={(e) => form.set(name, e.target.value)} />
      ) : (
        <input {...shared} type={type} autoComplete={autoComplete} onChange={(e) => form.set(name, e.target.value)} />
      )}
      <FieldError id={errorId} message={error} />
    </div>
  );
}

/** The form-level message: an alert, read out as soon as it appears. */
export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="error banner" role="alert">
      {message}
    </p>
  );
}

/** A page with one card: the account pages' frame. */
export function AccountCard({ title, children, headingId }: { title: string; children: ReactNode; headingId?: string }) {
  const fallback = useId();
  const id = headingId ?? fallback;
  const ref = useRef<HTMLElement>(null);
  return (
    <section ref={ref} className="page card stack account-card" aria-labelledby={id}>
      <h1 id={id}>{title}</h1>
      {children}
    </section>
  );
}
