import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import websocket, { type WebSocket } from '@fastify/websocket';
import {
  CreateRoomBody,
  Id,
  ParleyError,
  maxMessageBytes,
  type HealthReply,
  type RoomListReply,
  type RoomReply,
  type RtcConfigReply,
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
import { createAuth } from './auth';
import { accountRoutes, type AccountsHttp } from './routes/accounts';
import { inviteRoutes } from './routes/invites';
import { profileRoutes } from './routes/profiles';
import { sessionRoutes } from './routes/session';
import { schedulingRoutes, type SchedulingHttp } from './routes/scheduling';
import type { RoomConnection } from '../domain/rooms';
import { safetyRoutes, type SafetyHttp } from './routes/safety';
import type { SocketRegistry } from '../ws/connections';

export { sessionCookie } from './auth';

/** What the HTTP layer needs from the rest of the server. */
export interface AppDeps {
  identity: IdentityService;
  rooms: RoomService;
  /** Accounts, profiles, follows, invites and API tokens. */
  accounts: AccountsHttp;
  /** Events, invitations, delegations, speaker links, the hallway, notifications. */
  scheduling: SchedulingHttp;
  /** Registers each signalling socket for live notifications; returns what to call when it closes. */
  socketOpened: (user: User, connection: RoomConnection) => () => void;
  /** Blocks, reports, suspensions, access lists, the audit log. */
  safety: SafetyHttp;
  /** Every open signalling socket, so a suspension can close them. */
  sockets: SocketRegistry;
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
  /** Bearer token that unlocks /metrics from anywhere; without one, only this machine may scrape. */
  metricsToken?: string;
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

  const auth = createAuth(deps.identity, secureCookie);
  const { requireUser } = auth;

  if (deps.metrics) registerMetricsRoute(app, deps.metrics, deps.metricsToken);
  app.get('/api/health', async (): Promise<HealthReply> => ({
    status: 'ok',
    version: deps.version,
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
  }));

  app.get('/api/openapi.json', async () => openApiDocument(deps.version));

  app.get('/api/rtc-config', async (): Promise<RtcConfigReply> => ({ iceServers: [] }));

  await sessionRoutes(app, { identity: deps.identity, auth, sessionRateLimit: deps.sessionRateLimit });
  const accountDeps = { ...deps.accounts, authRateLimit: deps.accounts.authRateLimit * deps.rateLimitFactor, identity: deps.identity, auth };
  await accountRoutes(app, accountDeps);
  await profileRoutes(app, accountDeps);
  await inviteRoutes(app, accountDeps);
  await schedulingRoutes(app, { ...deps.scheduling, auth, publicRateLimit: 30 * deps.rateLimitFactor });

  // The hallway shows each viewer the rooms they may enter (closed rooms never).
  app.get('/api/rooms', async (request): Promise<RoomListReply> => ({ rooms: await deps.rooms.listFor(await auth.currentUser(request)) }));

  app.post('/api/rooms', { config: { rateLimit: { max: 30 * deps.rateLimitFactor, timeWindow: '1 minute' } } }, async (request, reply): Promise<RoomReply> => {
    // Hosting needs an account; guests listen.
    const user = await auth.requireMember(request, 'host a room');
    const body = CreateRoomBody.parse(request.body);
    void reply.status(201);
    return { room: await deps.rooms.create(user, body.title, body.type) };
  });

  app.get<{ Params: { id: string } }>('/api/rooms/:id', async (request): Promise<RoomReply> => {
    const id = Id.safeParse(request.params.id);
    if (!id.success) throw new ParleyError('not_found', 'No such room.');
    // A live room the visitor may not enter is refused with the reason (a closed room's title stays private).
    const user = await auth.currentUser(request);
    if (!user) {
      const room = await deps.rooms.get(id.data);
      if (room.status === 'live' && room.type !== 'open') throw new ParleyError('unauthorized', 'Sign in to see whether you may join this room.');
      return { room };
    }
    return { room: await deps.rooms.getFor(id.data, user) };
  });

  await safetyRoutes(app, { ...deps.safety, auth, rateLimitFactor: deps.rateLimitFactor });

  // Authenticate before the upgrade, so a refused client gets a plain HTTP error.
  const upgrades = new WeakMap<FastifyRequest, { user: User; response: ServerResponse }>();
  const limits = actionLimits(deps.rateLimitFactor);
  app.get(
    '/api/ws',
    {
      websocket: true,
      preValidation: async (request, reply) => {
        if (!isSameOrigin(request.headers.origin, request.headers.host, deps.publicUrl)) {
          throw new ParleyError('forbidden', 'Cross-origin WebSocket refused.');
        }
        upgrades.set(request, { user: await requireUser(request), response: reply.raw });
      },
    },
    (socket, request) => {
      const { user, response } = upgrades.get(request)!;
      releaseUpgrade(socket, request, response);
      deps.sockets.add(user.id, socket);
      const session = new SignallingSession(socket, user, deps.rooms, request.log, limits, request.ip);
      session.start();
      socket.on('close', deps.socketOpened(user, session));
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

/**
 * Let go of the HTTP upgrade once its WebSocket is open. @fastify/websocket leaves the upgrade's
 * `ServerResponse` attached to the TCP socket, and its 'error' listener on the WebSocket closes over
 * the Fastify request and reply: every open socket kept its request, response, headers and hook
 * closures alive (~5 KB per participant). The listener that replaces the plugin's does what the
 * plugin's default error handler does (log, terminate) without holding them.
 */
function releaseUpgrade(socket: WebSocket, request: FastifyRequest, response: ServerResponse): void {
  if (response.socket) response.detachSocket(response.socket);
  const log = request.log;
  socket.removeAllListeners('error');
  socket.on('error', (error) => {
    log.error(error);
    socket.terminate();
  });
}
