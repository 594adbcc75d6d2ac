import { useState, type FormEvent } from 'react';
import { describeError } from './errors';

/** The part of a zod schema a form needs (the protocol's schemas, e.g. DisplayName, RoomTitle). */
export interface FieldSchema<T> {
  safeParse(input: string): { success: true; data: T } | { success: false; error: { issues: readonly { message: string }[] } };
}

/** State and submit handler of a one-field form. */
export interface ValidatedField {
  value: string;
  setValue(value: string): void;
  /** The validation or server message to show (role="alert"), or null. */
  error: string | null;
  busy: boolean;
  submit(event: FormEvent<HTMLFormElement>): Promise<void>;
}

/**
 * A one-field form validated with the same schema the server applies, so a person sees the server's
 * rule ("display name is at most 40 characters") before sending anything, then the server's answer.
 */
export function useValidatedField<T>(schema: FieldSchema<T>, action: (value: T) => Promise<unknown>): ValidatedField {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'Check this field.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await action(parsed.data);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  return { value, setValue, error, busy, submit };
}
