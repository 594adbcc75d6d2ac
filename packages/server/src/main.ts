import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createAccounts } from './accounts-root';
import { createScheduling } from './scheduling-root';
import { loadConfig, type Config } from './config';
import { IdentityService } from './domain/identity';
import { RoomService } from './domain/rooms';
import { buildApp } from './http/app';
import type { SafetyHttp } from './http/routes/safety';
import { RoomAccessService } from './domain/room-access';
import { SafetyService } from './domain/safety';
import { SocketRegistry } from './ws/connections';
import { hasMediaStats, ServerMetrics } from './http/metrics';
import type { MediaEngine } from './media/engine';
import { SqlStore } from './storage/store';

/** A server that is listening. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  config: Config;
  /** Stop accepting, close every socket and peer, close the database. Safe to call twice. */
  close(): Promise<void>;
}

/** Replace implementations in tests (the composition root is the only place that picks them). */
export interface ServerOverrides {
  mediaEngine?: MediaEngine;
}

const version = '0.1.0';
const defaultWebDist = fileURLToPath(new URL('../../web/dist', import.meta.url));

/**
 * The composition root: pick the implementations of every port from the config, wire them, listen.
 * `config` fields not given come from defaults (not from the environment: callers pass `loadConfig(process.env)`).
 */
export async function startServer(config: Partial<Config> = {}, overrides: ServerOverrides = {}): Promise<RunningServer> {
  const full = loadConfig({}, config);
  const logger = pino({ level: full.logLevel });
  const store = await SqlStore.open({ databaseUrl: full.databaseUrl, dataDir: full.dataDir });
  let engine: MediaEngine;
  try {
    engine = overrides.mediaEngine ?? (await startMediaEngine(full, logger.child({ component: 'media' })));
  } catch (error) {
    await store.close();
    throw error;
  }
  const identity = new IdentityService(store, full.sessionDays);
  const accounts = createAccounts(store, identity, full, logger);
  const scheduling = createScheduling(store, identity, full, logger, accounts.mail);
  const rooms = new RoomService(store, engine, logger, { emptyRoomGraceMs: 5 * 60_000, orphanRoomGraceMs: full.orphanRoomGraceSeconds * 1000, audienceBatchMs: full.audienceBatchMs, ...scheduling.roomOptions });
  const schedulingHttp = scheduling.start(rooms);
  const sockets = new SocketRegistry();
  const safety: SafetyHttp = {
    safety: new SafetyService(store, rooms, sockets, logger.child({ component: 'safety' }), { reportsPerHour: 20 }),
    roomAccess: new RoomAccessService(store, rooms),
  };
  const metrics = new ServerMetrics({ rooms, media: hasMediaStats(engine) ? engine : undefined });
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  try {
    app = await buildApp({
      identity,
      rooms,
      accounts: accounts.http,
      scheduling: schedulingHttp,
      socketOpened: scheduling.socketOpened,
      safety,
      sockets,
      logger,
      publicUrl: full.publicUrl,
      webDist: full.webDist ?? defaultWebDist,
      sessionDays: full.sessionDays,
      version,
      trustProxy: full.trustProxy,
      sessionRateLimit: full.sessionRateLimit,
      rateLimitFactor: full.rateLimitFactor,
      metrics,
      metricsToken: full.metricsToken,
    });
    await app.listen({ port: full.port, host: full.host });
  } catch (error) {
    // Release what was opened, or the process would hang on the database or the native SFU.
    await app?.close();
    metrics.close();
    await engine.close();
    await scheduling.close();
    await accounts.close();
    await store.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : full.port;
  const host = full.host === '0.0.0.0' || full.host === '::' ? '127.0.0.1' : full.host;
  const url = `http://${host}:${port}`;
  accounts.setFallbackOrigin(url);
  logger.info({ url, storage: store.driver, webDist: full.webDist ?? defaultWebDist }, 'parley listening');

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      logger.info('parley shutting down');
      // Tell every connected client why its socket closes (1001 = going away), so it can reconnect later.
      for (const client of app.websocketServer.clients) client.close(1001, 'server shutting down');
      await app.close();
      rooms.shutdown();
      await scheduling.close();
      metrics.close();
      await engine.close();
      await accounts.close();
      await store.close();
      logger.info('parley stopped');
    })());
  return { url, config: full, close };
}

/**
 * The SFU the config asks for: on its own thread (default) or on this one. Loaded lazily so that
 * tests with another engine never load the native module, and so that with the thread engine this
 * thread never does (node-datachannel can live on one thread of a process only).
 */
async function startMediaEngine(config: Config, logger: pino.Logger): Promise<MediaEngine> {
  const options = {
    bindAddress: config.rtcBindAddress,
    publicIp: config.publicIp,
    rtcPort: config.rtcPort,
    rtcPorts: config.rtcPorts,
    audioSlots: config.audioSlots,
    logger,
  };
  if (config.mediaThread === 'main') return (await import('./media/index')).createMediaEngine(options);
  const { ThreadMediaEngine } = await import('./media/thread/ThreadMediaEngine');
  return ThreadMediaEngine.start({ ...options, logLevel: mediaLogLevel(config.logLevel) });
}

/** The media thread sends only the lines the server's logger would keep. */
function mediaLogLevel(level: Config['logLevel']): 'debug' | 'info' | 'warn' {
  if (level === 'debug' || level === 'trace') return 'debug';
  return level === 'info' ? 'info' : 'warn';
}

/** Apply pending migrations and exit (`parley migrate`). */
export async function migrateOnly(config: Partial<Config> = {}): Promise<void> {
  const full = loadConfig({}, config);
  const store = await SqlStore.open({ databaseUrl: full.databaseUrl, dataDir: full.dataDir });
  await store.close();
}
