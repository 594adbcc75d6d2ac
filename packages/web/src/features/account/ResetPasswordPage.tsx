import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { PasswordResetCompleteBody, PasswordResetRequestBody } from '@parley/protocol';
import { useClient } from '../../app/ClientContext';
import { AccountCard, FormError, TextField, useForm } from './forms';

/** `/reset-password`: ask for a link; `/reset-password?token=…` (the emailed link): choose a new password. */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token');
  useEffect(() => {
    document.title = 'Reset your password · Parley';
  }, []);
  return token ? <ChooseNewPassword token={token} /> : <RequestLink />;
}

function RequestLink() {
  const client = useClient();
  const [sent, setSent] = useState<string | null>(null);
  const form = useForm(PasswordResetRequestBody, { email: '' }, async (body) => {
    setSent((await client.accounts.requestPasswordReset(body)).message);
  });
  return (
    <AccountCard title="Reset your password">
      {sent ? (
        <p className="notice" role="status">
          {sent}
        </p>
      ) : (
        <form className="stack" onSubmit={form.submit} noValidate>
          <p className="muted">Enter the email address of your account and we will send you a link to choose a new password.</p>
          <FormError message={form.formError} />
          <TextField form={form} name="email" label="Email" type="email" autoComplete="email" />
          <button type="submit" className="button primary" disabled={form.busy}>
            Send the link
          </button>
        </form>
      )}
      <p>
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </AccountCard>
  );
}

function ChooseNewPassword({ token }: { token: string }) {
  const client = useClient();
  const [done, setDone] = useState(false);
  const form = useForm(
    PasswordResetCompleteBody,
    { password: '' },
    async (body) => {
      await client.accounts.completePasswordReset(body);
      setDone(true);
    },
    (values) => ({ ...values, token }),
  );
  return (
    <AccountCard title="Choose a new password">
      {done ? (
        <p className="notice" role="status">
          Your password is changed and you are signed out everywhere. <Link to="/sign-in">Sign in</Link> with the new one.
        </p>
      ) : (
        <form className="stack" onSubmit={form.submit} noValidate>
          <FormError message={form.formError} />
          <TextField form={form} name="password" label="New password" type="password" autoComplete="new-password" hint="At least 8 characters." />
          <button type="submit" className="button primary" disabled={form.busy}>
            Change password
          </button>
        </form>
      )}
    </AccountCard>
  );
}
