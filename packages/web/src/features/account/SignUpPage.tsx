import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { SignUpBody, type PersonRef, type ServerInfoReply } from '@parley/protocol';
import { useClient } from '../../app/ClientContext';
import { useSession } from '../session/SessionProvider';
import { AccountCard, FormError, TextField, useForm } from './forms';

/** The username rules, as the server applies them (protocol `Username`). */
const usernameHint = '3–24 letters, digits or _, starting with a letter. Not case-sensitive: Ada and ada are the same name.';

/**
 * `/sign-up?invite=CODE`: create an account. The invite code comes from the emailed link (filled in)
 * or is typed; the page says who is inviting. On a fresh server the first person needs no code and
 * becomes the admin.
 */
export function SignUpPage() {
  const client = useClient();
  const { signUp } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [server, setServer] = useState<ServerInfoReply | null>(null);
  const [inviter, setInviter] = useState<PersonRef | null>(null);
  const form = useForm(
    SignUpBody,
    { email: '', username: '', displayName: '', password: '', inviteCode: params.get('invite') ?? '' },
    async (body) => {
      const reply = await signUp(body);
      navigate(`/people/${encodeURIComponent(reply.account.username)}`);
    },
    (values) => ({ ...values, inviteCode: values.inviteCode.trim() === '' ? undefined : values.inviteCode }),
  );
  const code = form.values.inviteCode;

  useEffect(() => {
    document.title = 'Sign up · Parley';
    client.accounts.server().then(setServer, () => setServer(null));
  }, [client]);

  // Greet the invitee by their inviter's name once the code looks complete.
  useEffect(() => {
    let cancelled = false;
    const compact = code.replaceAll('-', '').trim();
    if (compact.length !== 12) {
      setInviter(null);
      return;
    }
    client.invites.lookup(code.trim()).then(
      (found) => !cancelled && setInviter(found),
      () => !cancelled && setInviter(null),
    );
    return () => {
      cancelled = true;
    };
  }, [client, code]);

  const needsCode = server ? server.inviteOnly && !server.firstAccount : true;

  return (
    <AccountCard title="Sign up">
      {server?.firstAccount && <p className="notice">You are the first person here: your account will be the server’s admin. No invite code needed.</p>}
      {inviter && (
        <p className="notice" role="status">
          <strong>{inviter.displayName}</strong> (@{inviter.username}) invited you.
        </p>
      )}
      <form className="stack" onSubmit={form.submit} noValidate>
        <FormError message={form.formError} />
        {needsCode && (
          <TextField form={form} name="inviteCode" label="Invite code" hint="This server is invite-only. The code looks like ABCD-EFGH-JKMN." autoComplete="off" />
        )}
        <TextField form={form} name="email" label="Email" type="email" autoComplete="email" hint="We send a link to confirm it. Nobody else sees it." />
        <TextField form={form} name="username" label="Username" autoComplete="username" hint={usernameHint} maxLength={24} />
        <TextField form={form} name="displayName" label="Display name" autoComplete="name" hint="How others see you in rooms. Up to 40 characters." maxLength={40} />
        <TextField form={form} name="password" label="Password" type="password" autoComplete="new-password" hint="At least 8 characters. A few words together make a good one." />
        <button type="submit" className="button primary" disabled={form.busy}>
          Create account
        </button>
      </form>
      <p className="muted">
        Already have an account? <Link to="/sign-in">Sign in</Link>.
      </p>
    </AccountCard>
  );
}
