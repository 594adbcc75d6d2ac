import type { FastifyInstance } from 'fastify';
import {
  AccountReply,
  AdminSettingsBody,
  CreateApiTokenBody,
  Id,
  ParleyError,
  PasswordResetCompleteBody,
  PasswordResetRequestBody,
  SignInBody,
  SignUpBody,
  VerifyEmailBody,
  type ApiTokenListReply,
  type CreatedApiTokenReply,
  type MailQueuedReply,
  type ServerInfoReply,
} from '@parley/protocol';
import type { AccountService } from '../../domain/accounts';
import type { ApiTokenService } from '../../domain/accounts-tokens';
import type { FollowService } from '../../domain/follows';
import type { IdentityService } from '../../domain/identity';
import type { InviteService, ServerSettings } from '../../domain/invites';
import type { ProfileService } from '../../domain/profiles';
import { sessionCookie, type Auth } from '../auth';

/** The account services the HTTP API serves (built in the composition root). */
export interface AccountsHttp {
  accounts: AccountService;
  invites: InviteService;
  settings: ServerSettings;
  profiles: ProfileService;
  follows: FollowService;
  tokens: ApiTokenService;
  /** Requests per IP per minute on each endpoint that guesses could be made against. */
  authRateLimit: number;
}

/** Everything the account routes need. */
export interface AccountRouteDeps extends AccountsHttp {
  identity: IdentityService;
  auth: Auth;
}

/** The one answer to a reset request, known address or not. */
const resetQueued: MailQueuedReply = {
  status: 'queued',
  message: 'If an account uses this address, a link to reset its password is on its way. It works for an hour.',
};

/**
 * Sign-up, sign-in, the account itself, emailed links (verification, password reset), sign-out
 * everywhere, personal API tokens, and the server's sign-up settings.
 */
export async function accountRoutes(app: FastifyInstance, deps: AccountRouteDeps): Promise<void> {
  const { auth } = deps;
  const limited = { config: { rateLimit: { max: deps.authRateLimit, timeWindow: '1 minute' } } };

  app.get('/api/server', async (): Promise<ServerInfoReply> => deps.settings.info());

  app.patch('/api/admin/settings', async (request): Promise<ServerInfoReply> => {
    const user = await auth.requireMember(request, 'change server settings');
    const body = AdminSettingsBody.parse(request.body);
    return deps.settings.setInviteOnly(user, body.inviteOnly);
  });

  app.post('/api/accounts', limited, async (request, reply): Promise<AccountReply> => {
    const body = SignUpBody.parse(request.body);
    const { session, account } = await deps.accounts.signUp(body);
    // Rotation: whatever session the browser had (a guest's) ends with the new one.
    await auth.endCookieSession(request);
    auth.setSessionCookie(reply, session);
    void reply.status(201);
    return { user: session.user, account };
  });

  app.post('/api/sign-in', limited, async (request, reply): Promise<AccountReply> => {
    const body = SignInBody.parse(request.body);
    const { session, account } = await deps.accounts.signIn(body.email, body.password);
    await auth.endCookieSession(request);
    auth.setSessionCookie(reply, session);
    return { user: session.user, account };
  });

  app.get('/api/account', async (request): Promise<AccountReply> => deps.accounts.me(await auth.requireUser(request)));

  app.delete('/api/account/sessions', async (request, reply) => {
    const user = await auth.requireMember(request, 'sign out everywhere');
    await deps.identity.endAllSessions(user.id);
    void reply.clearCookie(sessionCookie, { path: '/' });
    return reply.status(204).send();
  });

  app.post('/api/account/verification', limited, async (request, reply): Promise<MailQueuedReply> => {
    await deps.accounts.resendVerification(await auth.requireUser(request));
    void reply.status(202);
    return { status: 'queued', message: 'A new confirmation link is on its way to your email address.' };
  });

  app.post('/api/account/verify', limited, async (request, reply) => {
    const body = VerifyEmailBody.parse(request.body);
    await deps.accounts.verifyEmail(body.token);
    return reply.status(204).send();
  });

  app.post('/api/password-reset', limited, async (request, reply): Promise<MailQueuedReply> => {
    const body = PasswordResetRequestBody.parse(request.body);
    await deps.accounts.requestPasswordReset(body.email);
    void reply.status(202);
    return resetQueued;
  });

  app.post('/api/password-reset/complete', limited, async (request, reply) => {
    const body = PasswordResetCompleteBody.parse(request.body);
    await deps.accounts.completePasswordReset(body.token, body.password);
    // Every session ended, this browser's too: it signs in again with the new password.
    void reply.clearCookie(sessionCookie, { path: '/' });
    return reply.status(204).send();
  });

  app.get('/api/account/tokens', async (request): Promise<ApiTokenListReply> => ({
    tokens: await deps.tokens.list(await auth.requireMember(request, 'manage API tokens')),
  }));

  app.post('/api/account/tokens', async (request, reply): Promise<CreatedApiTokenReply> => {
    const user = await auth.requireMember(request, 'create API tokens');
    const body = CreateApiTokenBody.parse(request.body);
    void reply.status(201);
    return deps.tokens.create(user, body.name);
  });

  app.delete<{ Params: { id: string } }>('/api/account/tokens/:id', async (request, reply) => {
    const user = await auth.requireMember(request, 'manage API tokens');
    const id = Id.safeParse(request.params.id);
    if (!id.success) throw new ParleyError('not_found', 'You have no token with this id.');
    await deps.tokens.revoke(user, id.data);
    return reply.status(204).send();
  });
}
