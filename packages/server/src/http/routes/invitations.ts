import type { FastifyInstance } from 'fastify';
import {
  CreateInvitationBody,
  CreateSpeakerLinkBody,
  DecideInvitationBody,
  GrantDelegationBody,
  InvitationListQuery,
  ParleyError,
  SpeakerLinkListQuery,
  SpeakerLinkToken,
  ThreadMessageBody,
  type ActivityReply,
  type CreatedSpeakerLinkReply,
  type DelegationListReply,
  type DelegationReply,
  type InvitationListReply,
  type InvitationReply,
  type RedeemSpeakerLinkReply,
  type SpeakerLinkListReply,
  type SpeakerLinkPreviewReply,
} from '@parley/protocol';
import type { InvitationDecision } from '../../domain/invitations';
import { pathId } from './events';
import type { SchedulingRouteDeps } from './scheduling';

function linkToken(raw: string): string {
  const parsed = SpeakerLinkToken.safeParse(raw);
  if (!parsed.success) throw new ParleyError('not_found', 'This speaker link is not valid.');
  return parsed.data;
}

/** Invitations to speak and their threads, delegation, and guest speaker links. */
export async function invitationRoutes(app: FastifyInstance, deps: SchedulingRouteDeps): Promise<void> {
  const { auth, invitations, delegations, speakerLinks } = deps;
  const publicLimit = { config: { rateLimit: { max: deps.publicRateLimit, timeWindow: '1 minute' } } };

  app.get('/api/invitations', async (request): Promise<InvitationListReply> => {
    const user = await auth.requireMember(request, 'see invitations');
    return { invitations: await invitations.list(user, InvitationListQuery.parse(request.query)) };
  });

  app.post('/api/invitations', async (request, reply): Promise<InvitationReply> => {
    const user = await auth.requireMember(request, 'invite people to speak');
    const body = CreateInvitationBody.parse(request.body);
    void reply.status(201);
    return { invitation: await invitations.create(user, body) };
  });

  app.get<{ Params: { id: string } }>('/api/invitations/:id', async (request): Promise<InvitationReply> => ({
    invitation: await invitations.get(await auth.requireMember(request, 'see invitations'), pathId(request.params.id, 'invitation')),
  }));

  app.post<{ Params: { id: string } }>('/api/invitations/:id/messages', async (request, reply): Promise<InvitationReply> => {
    const user = await auth.requireMember(request, 'reply to invitations');
    const body = ThreadMessageBody.parse(request.body);
    void reply.status(201);
    return { invitation: await invitations.reply(user, pathId(request.params.id, 'invitation'), body.body) };
  });

  for (const decision of ['accept', 'decline', 'withdraw'] as const satisfies readonly InvitationDecision[]) {
    app.post<{ Params: { id: string } }>(`/api/invitations/:id/${decision}`, async (request): Promise<InvitationReply> => {
      const user = await auth.requireMember(request, 'answer invitations');
      const body = DecideInvitationBody.parse(request.body ?? {});
      return { invitation: await invitations.decide(user, pathId(request.params.id, 'invitation'), decision, body.note) };
    });
  }

  app.get('/api/delegations', async (request): Promise<DelegationListReply> => delegations.list(await auth.requireMember(request, 'manage delegates')));

  app.post('/api/delegations', async (request, reply): Promise<DelegationReply> => {
    const user = await auth.requireMember(request, 'appoint a delegate');
    const body = GrantDelegationBody.parse(request.body);
    void reply.status(201);
    return { delegation: await delegations.grant(user, body.username, body.scopes) };
  });

  app.delete<{ Params: { id: string } }>('/api/delegations/:id', async (request, reply) => {
    await delegations.revoke(await auth.requireMember(request, 'manage delegates'), pathId(request.params.id, 'delegation'));
    return reply.status(204).send();
  });

  app.get('/api/delegations/activity', async (request): Promise<ActivityReply> => delegations.activity(await auth.requireMember(request, 'see your activity')));

  app.post('/api/speaker-links', async (request, reply): Promise<CreatedSpeakerLinkReply> => {
    const user = await auth.requireMember(request, 'create speaker links');
    const body = CreateSpeakerLinkBody.parse(request.body);
    void reply.status(201);
    return speakerLinks.create(user, body);
  });

  app.get('/api/speaker-links', async (request): Promise<SpeakerLinkListReply> => {
    const user = await auth.requireMember(request, 'see speaker links');
    const query = SpeakerLinkListQuery.parse(request.query);
    return { links: await speakerLinks.list(user, query.eventId ? { eventId: query.eventId } : { roomId: query.roomId ?? '' }) };
  });

  app.delete<{ Params: { id: string } }>('/api/speaker-links/:id', async (request, reply) => {
    await speakerLinks.revoke(await auth.requireMember(request, 'revoke speaker links'), pathId(request.params.id, 'speaker link'));
    return reply.status(204).send();
  });

  app.get<{ Params: { token: string } }>('/api/speaker-links/token/:token', publicLimit, async (request): Promise<SpeakerLinkPreviewReply> =>
    speakerLinks.preview(linkToken(request.params.token)),
  );

  app.post<{ Params: { token: string } }>('/api/speaker-links/token/:token/redeem', publicLimit, async (request, reply): Promise<RedeemSpeakerLinkReply> => {
    const token = linkToken(request.params.token);
    const { reply: redeemed, session } = await speakerLinks.redeem(token, await auth.currentUser(request));
    if (session) {
      // The browser's previous guest session (if any) ends: it now is the named guest.
      await auth.endCookieSession(request);
      auth.setSessionCookie(reply, session);
    }
    return redeemed;
  });
}
