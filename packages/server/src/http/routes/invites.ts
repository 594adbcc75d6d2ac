import type { FastifyInstance } from 'fastify';
import { CreateInviteBody, InviteCode, ParleyError, type InviteListReply, type InviteLookupReply, type InviteReply } from '@parley/protocol';
import type { AccountRouteDeps } from './accounts';

function code(raw: string): string {
  const parsed = InviteCode.safeParse(raw);
  if (!parsed.success) throw new ParleyError('not_found', 'This invite code is unknown or has already been used.');
  return parsed.data;
}

/** A member's invitations to join the server, and the public look-up of a code. */
export async function inviteRoutes(app: FastifyInstance, deps: AccountRouteDeps): Promise<void> {
  const { auth } = deps;

  app.get('/api/invites', async (request): Promise<InviteListReply> => deps.invites.list(await auth.requireMember(request, 'invite people')));

  app.post('/api/invites', async (request, reply): Promise<InviteReply> => {
    const user = await auth.requireMember(request, 'invite people');
    const body = CreateInviteBody.parse(request.body ?? {});
    void reply.status(201);
    return { invite: await deps.invites.create(user, body.email) };
  });

  app.delete<{ Params: { code: string } }>('/api/invites/:code', async (request, reply) => {
    const user = await auth.requireMember(request, 'invite people');
    await deps.invites.withdraw(user, code(request.params.code));
    return reply.status(204).send();
  });

  // Public, so the sign-up page can say who is inviting; rate-limited like the other guessable endpoints.
  app.get<{ Params: { code: string } }>(
    '/api/invites/:code',
    { config: { rateLimit: { max: deps.authRateLimit, timeWindow: '1 minute' } } },
    async (request): Promise<InviteLookupReply> => ({ inviter: await deps.invites.lookup(code(request.params.code)) }),
  );
}
