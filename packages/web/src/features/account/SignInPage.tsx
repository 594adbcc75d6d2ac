import { useEffect } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { SignInBody } from '@parley/protocol';
import { useSession } from '../session/SessionProvider';
import { AccountCard, FormError, TextField, useForm } from './forms';

/** Only paths of this app, so a crafted `?next=` cannot send anyone elsewhere. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** `/sign-in?next=/path`: email and password; afterwards back to where the person came from. */
export function SignInPage() {
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const form = useForm(SignInBody, { email: '', password: '' }, async (body) => {
    await signIn(body);
    navigate(next);
  });

  useEffect(() => {
    document.title = 'Sign in · Parley';
  }, []);

  return (
    <AccountCard title="Sign in">
      <form className="stack" onSubmit={form.submit} noValidate>
        <FormError message={form.formError} />
        <TextField form={form} name="email" label="Email" type="email" autoComplete="email" />
        <TextField form={form} name="password" label="Password" type="password" autoComplete="current-password" />
        <button type="submit" className="button primary" disabled={form.busy}>
          Sign in
        </button>
      </form>
      <p>
        <Link to="/reset-password">Forgot your password?</Link>
      </p>
      <p className="muted">
        No account yet? <Link to="/sign-up">Sign up</Link> with an invite code from a member.
      </p>
    </AccountCard>
  );
}
