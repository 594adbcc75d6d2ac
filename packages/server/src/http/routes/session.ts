import type { FastifyInstance } from 'fastify';
import { CreateSessionBody, type SessionReply } from '@parley/protocol';
import type { IdentityService } from '../../domain/identity';
import { sessionCookie, type Auth } from '../auth';

/** What the session routes need. */
export interface SessionRouteDeps {
  identity: IdentityService;
  auth: Auth;
  /** Guest sessions one IP may start per minute. */
  sessionRateLimit: number;
}

/** `GET|POST|DELETE /api/session`: who am I, start a guest session, sign out (this session). */
export async function sessionRoutes(app: FastifyInstance, deps: SessionRouteDeps): Promise<void> {
  app.get('/api/session', async (request): Promise<SessionReply> => ({ user: await deps.auth.requireUser(request) }));

  app.post('/api/session', { config: { rateLimit: { max: deps.sessionRateLimit, timeWindow: '1 minute' } } }, async (request, reply): Promise<SessionReply> => {
    const body = CreateSessionBody.parse(request.body);
    await deps.auth.endCookieSession(request);
    const started = await deps.identity.startGuestSession(body.displayName);
    deps.auth.setSessionCookie(reply, started);
    return { user: started.user };
  });

  app.delete('/api/session', async (request, reply) => {
    await deps.auth.endCookieSession(request);
    void reply.clearCookie(sessionCookie, { path: '/' });
    return reply.status(204).send();
  });
}
