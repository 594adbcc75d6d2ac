import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import websocket from '@fastify/websocket';
import {
  CreateRoomBody,
  CreateSessionBody,
  Id,
  ParleyError,
  maxMessageBytes,
  type HealthReply,
  type RoomListReply,
  type RoomReply,
  type RtcConfigReply,
  type SessionReply,
  type User,
} from '@parley/protocol';
import type { IdentityService } from '../domain/identity';
import type { RoomService } from '../domain/rooms';
import { actionLimits } from '../ws/limits';
import { SignallingSession } from '../ws/session';
import { registerMetricsRoute, type ServerMetrics } from './metrics';
import { installErrorHandler, notFoundBody } from './errors';
import { openApiDocument } from './openapi';
import { isSameOrigin } from './origin';

/** Name of the session cookie. */
export const sessionCookie = 'parley_session';

/** What the HTTP layer needs from the rest of the server. */
export interface AppDeps {
  identity: IdentityService;
  rooms: RoomService;
  logger: FastifyBaseLogger;
  publicUrl: string | undefined;
  webDist: string | undefined;
  sessionDays: number;
  version: string;
  trustProxy: boolean;
  sessionRateLimit: number;
  /** Multiplies the other rate limits. */
  rateLimitFactor: number;
  /** Prometheus metrics served at GET /metrics; none when absent. */
  metrics?: ServerMetrics;
}

/** Build the Fastify app: API under /api, WebSocket at /api/ws, the web app everywhere else. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.logger, logController: new LogController({ disableRequestLogging: true }), trustProxy: deps.trustProxy, bodyLimit: 64 * 1024 });
  const startedAt = Date.now();
  const secureCookie = deps.publicUrl?.startsWith('https:') ?? false;

  installErrorHandler(app);
  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        connectSrc: ["'self'"],
        mediaSrc: ["'self'", 'blob:'],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // The page needs the microphone; nothing else.
    crossOriginEmbedderPolicy: false,
  });
  await app.register(rateLimit, { global: true, max: 600 * deps.rateLimitFactor, timeWindow: '1 minute' });
  await app.register(websocket, { options: { maxPayload: maxMessageBytes } });

  // CSRF: cookie-authenticated writes must come from our own origin.
  app.addHook('onRequest', async (request) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    if (!isSameOrigin(request.headers.origin, request.headers.host, deps.publicUrl)) {
      throw new ParleyError('forbidden', 'Cross-origin request refused.');
    }
  });

  const currentUser = (request: FastifyRequest): Promise<User | null> => deps.identity.authenticate(request.cookies[sessionCookie]);
  const requireUser = async (request: FastifyRequest): Promise<User> => {
    const user = await currentUser(request);
    if (!user) throw new ParleyError('unauthorized', 'Pick a display name first.');
    return user;
  };

  if (deps.metrics) registerMetricsRoute(app, deps.metrics);
  app.get('/api/health', async (): Promise<HealthReply> => ({
    status: 'ok',
    version: deps.version,
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
  }));

  app.get('/api/openapi.json', async () => openApiDocument(deps.version));

  app.get('/api/rtc-config', async (): Promise<RtcConfigReply> => ({ iceServers: [] }));

  app.get('/api/session', async (request): Promise<SessionReply> => ({ user: await requireUser(request) }));

  app.post('/api/session', { config: { rateLimit: { max: deps.sessionRateLimit, timeWindow: '1 minute' } } }, async (request, reply): Promise<SessionReply> => {
    const body = CreateSessionBody.parse(request.body);
    const previous = request.cookies[sessionCookie];
    if (previous) await deps.identity.endSession(previous);
    const started = await deps.identity.startGuestSession(body.displayName);
    void reply.setCookie(sessionCookie, started.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookie,
      expires: started.expiresAt,
    });
    return { user: started.user };
  });

  app.delete('/api/session', async (request, reply) => {
    const token = request.cookies[sessionCookie];
    if (token) await deps.identity.endSession(token);
    void reply.clearCookie(sessionCookie, { path: '/' });
    return reply.status(204).send();
  });

  app.get('/api/rooms', async (): Promise<RoomListReply> => ({ rooms: await deps.rooms.listLive() }));

  app.post('/api/rooms', { config: { rateLimit: { max: 30 * deps.rateLimitFactor, timeWindow: '1 minute' } } }, async (request, reply): Promise<RoomReply> => {
    const user = await requireUser(request);
    const body = CreateRoomBody.parse(request.body);
    void reply.status(201);
    return { room: await deps.rooms.create(user, body.title) };
  });

  app.get<{ Params: { id: string } }>('/api/rooms/:id', async (request): Promise<RoomReply> => {
    const id = Id.safeParse(request.params.id);
    if (!id.success) throw new ParleyError('not_found', 'No such room.');
    return { room: await deps.rooms.get(id.data) };
  });

  // Authenticate before the upgrade, so a refused client gets a plain HTTP error.
  const socketUsers = new WeakMap<FastifyRequest, User>();
  const limits = actionLimits(deps.rateLimitFactor);
  app.get(
    '/api/ws',
    {
      websocket: true,
      preValidation: async (request) => {
        if (!isSameOrigin(request.headers.origin, request.headers.host, deps.publicUrl)) {
          throw new ParleyError('forbidden', 'Cross-origin WebSocket refused.');
        }
        socketUsers.set(request, await requireUser(request));
      },
    },
    (socket, request) => {
      new SignallingSession(socket, socketUsers.get(request)!, deps.rooms, request.log, limits, request.ip).start();
    },
  );

  const serveApp = deps.webDist !== undefined && existsSync(join(deps.webDist, 'index.html'));
  if (serveApp) await app.register(fastifyStatic, { root: deps.webDist!, wildcard: false, index: ['index.html'] });
  // Client-side routes (e.g. /rooms/:id) get the app shell; unknown /api paths stay 404 JSON.
  app.setNotFoundHandler((request, reply) => {
    if (serveApp && request.method === 'GET' && !request.url.startsWith('/api')) return reply.type('text/html').sendFile('index.html');
    return reply.status(404).send(notFoundBody(request.method, request.url));
  });

  return app;
}
