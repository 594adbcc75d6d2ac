import type { FastifyReply, FastifyRequest } from 'fastify';
import { ParleyError, type User } from '@parley/protocol';
import type { IdentityService, StartedSession } from '../domain/identity';

/** Name of the session cookie. */
export const sessionCookie = 'parley_session';

/** Who is making a request. */
export interface Auth {
  /** The user behind the request's API token or session cookie, or null. */
  currentUser(request: FastifyRequest): Promise<User | null>;
  /** As {@link currentUser}, or 401. */
  requireUser(request: FastifyRequest): Promise<User>;
  /** A signed-in account (not a guest), or 401/403. */
  requireMember(request: FastifyRequest, what?: string): Promise<User>;
  /** Put a new session in the cookie (HttpOnly, SameSite=Lax, Secure on https). */
  setSessionCookie(reply: FastifyReply, session: StartedSession): void;
  /** End the session the request's cookie holds, if any (before a new sign-in replaces it). */
  endCookieSession(request: FastifyRequest): Promise<void>;
}

/**
 * Authentication at the HTTP edge: `Authorization: Bearer <personal API token>` (bots, scripts) or
 * the session cookie (browsers, guests). A request that presents a bearer token is judged by it alone:
 * a bad token is a 401 even when a cookie would have worked, so a script never acts as whoever last
 * signed in. Bearer requests carry no ambient credentials, so the Origin check (CSRF) does not need
 * to treat them specially.
 */
export function createAuth(identity: IdentityService, secureCookie: boolean): Auth {
  const resolved = new WeakMap<FastifyRequest, Promise<User | null>>();

  const resolve = (request: FastifyRequest): Promise<User | null> => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      return match ? identity.authenticateApiToken(match[1]!) : Promise.resolve(null);
    }
    return identity.authenticate(request.cookies[sessionCookie]);
  };

  const currentUser = (request: FastifyRequest): Promise<User | null> => {
    let user = resolved.get(request);
    if (!user) {
      user = resolve(request);
      resolved.set(request, user);
    }
    return user;
  };

  const requireUser = async (request: FastifyRequest): Promise<User> => {
    const user = await currentUser(request);
    if (user) return user;
    if (request.headers.authorization !== undefined) throw new ParleyError('unauthorized', 'This API token is not valid (revoked, or mistyped).');
    throw new ParleyError('unauthorized', 'Sign in, or pick a display name to listen as a guest.');
  };

  return {
    currentUser,
    requireUser,
    async requireMember(request, what = 'do this') {
      const user = await requireUser(request);
      if (user.kind !== 'member') throw new ParleyError('forbidden', `Sign in with an account to ${what}. Guests can listen to open rooms.`);
      return user;
    },
    setSessionCookie(reply, session) {
      void reply.setCookie(sessionCookie, session.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookie, expires: session.expiresAt });
    },
    async endCookieSession(request) {
      const token = request.cookies[sessionCookie];
      if (token) await identity.endSession(token);
    },
  };
}
