import { z } from 'zod';

/**
 * One parse of the environment. Nothing else in the server reads `process.env`: everything takes a
 * {@link Config}, so tests build one in code.
 */
export const Config = z.object({
  /** HTTP port; 0 picks a free one (tests). */
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Interface to listen on. */
  host: z.string().default('0.0.0.0'),
  /** Where PGlite keeps its files; `memory://` keeps everything in memory (tests). */
  dataDir: z.string().default('./data'),
  /** Postgres connection string; when set, PGlite is not used. */
  databaseUrl: z.string().url().optional(),
  /** Redis connection string for the cluster bus (scale-out; not used by a single node). */
  redisUrl: z.string().optional(),
  /** The origin people reach the server at (used in links and the Origin check). */
  publicUrl: z.string().url().optional(),
  /** Public address announced in ICE candidates when behind NAT. */
  publicIp: z.string().optional(),
  /** Interface the SFU gathers ICE candidates on; 0.0.0.0 = every interface (127.0.0.1 is always offered). */
  rtcBindAddress: z.string().default('0.0.0.0'),
  /** UDP port shared by every WebRTC peer (ICE UDP mux); 0 = one ephemeral port per peer. */
  rtcPort: z.coerce.number().int().min(0).max(65535).default(0),
  /**
   * With RTC_PORT: how many UDP ports, from RTC_PORT on, the peers are spread over. Each port is an
   * ICE mux with its own thread, and each of that thread's wake-ups scans every peer on its port, so
   * big rooms want several (open them all in the firewall): at 1,000 listeners 4 ports halved the ICE
   * threads' CPU (docs/performance.md). Default 1, so a firewall opened for RTC_PORT keeps working.
   */
  rtcPorts: z.coerce.number().int().min(1).max(64).default(1),
  /**
   * Where the SFU runs: `worker` (default) = its own thread, so forwarding never delays signalling;
   * `main` = the signalling thread (tests whose own Node peers load node-datachannel in-process).
   */
  mediaThread: z.enum(['worker', 'main']).default('worker'),
  /** Audio slots per listener: how many of the loudest speakers each listener receives. */
  audioSlots: z.coerce.number().int().min(1).max(8).default(3),
  /** Directory of the built web app to serve; unset = API only. */
  webDist: z.string().optional(),
  /**
   * Bearer token for GET /metrics. Unset: /metrics answers only direct connections from this machine
   * (no proxy headers). Set: it answers whoever presents `Authorization: Bearer <token>`, from anywhere.
   */
  metricsToken: z.string().min(24, 'METRICS_TOKEN must be at least 24 characters').optional(),
  /** pino level. */
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Trust X-Forwarded-* headers (only behind a reverse proxy: otherwise clients could forge their IP). */
  trustProxy: z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
    .transform((v) => v === true || v === 'true' || v === '1')
    .default(false),
  /** Guest sessions one IP may start per minute (raise it for load tests from one machine). */
  sessionRateLimit: z.coerce.number().int().min(1).default(20),
  /** Seconds a room with listeners but nobody on stage stays open before it ends. */
  orphanRoomGraceSeconds: z.coerce.number().int().min(1).default(120),
  /** Milliseconds listeners arriving and people leaving wait to be sent to a room in one frame, at least (more in big rooms; 0: each at once). */
  audienceBatchMs: z.coerce.number().int().min(0).max(5000).default(100),
  /** Multiplies every other per-IP rate limit (load tests and test suites drive many clients from one IP). */
  rateLimitFactor: z.coerce.number().min(1).default(1),
  /** Session lifetime in days. */
  sessionDays: z.coerce.number().int().min(1).max(365).default(30),
  /** SMTP server for mail (`smtp://host:port`, `smtps://user:pass@host:465`); unset = `.eml` files in DATA_DIR/outbox. */
  smtpUrl: z.string().url().optional(),
  /** Sender of the server's mail. */
  mailFrom: z.string().min(3).default('Parley <parley@localhost>'),
  /** Invites each member may create (admins have no limit). */
  inviteQuota: z.coerce.number().int().min(0).default(5),
  /** Sign-ups, sign-ins, reset requests and invite look-ups one IP may make per minute, per endpoint. */
  authRateLimit: z.coerce.number().int().min(1).default(10),
  /** How often each server process asks the database for due jobs (reminders, expiries), in ms. */
  jobPollMs: z.coerce.number().int().min(50).default(1000),
});
export type Config = z.infer<typeof Config>;

/** Environment variable for each config field. */
const envNames: Record<keyof Config, string> = {
  port: 'PORT',
  host: 'HOST',
  dataDir: 'DATA_DIR',
  databaseUrl: 'DATABASE_URL',
  redisUrl: 'REDIS_URL',
  publicUrl: 'PUBLIC_URL',
  publicIp: 'PUBLIC_IP',
  rtcPort: 'RTC_PORT',
  rtcPorts: 'RTC_PORTS',
  rtcBindAddress: 'RTC_BIND_ADDRESS',
  audioSlots: 'AUDIO_SLOTS',
  mediaThread: 'MEDIA_THREAD',
  webDist: 'WEB_DIST',
  logLevel: 'LOG_LEVEL',
  metricsToken: 'METRICS_TOKEN',
  sessionDays: 'SESSION_DAYS',
  smtpUrl: 'SMTP_URL',
  mailFrom: 'MAIL_FROM',
  inviteQuota: 'INVITE_QUOTA',
  authRateLimit: 'AUTH_RATE_LIMIT',
  jobPollMs: 'JOB_POLL_MS',
  orphanRoomGraceSeconds: 'ORPHAN_ROOM_GRACE_SECONDS',
  audienceBatchMs: 'AUDIENCE_BATCH_MS',
  trustProxy: 'TRUST_PROXY',
  sessionRateLimit: 'SESSION_RATE_LIMIT',
  rateLimitFactor: 'RATE_LIMIT_FACTOR',
};

/** Build a config from environment variables (empty strings count as unset) plus overrides. */
export function loadConfig(env: Record<string, string | undefined> = {}, overrides: Partial<Config> = {}): Config {
  const raw: Record<string, unknown> = {};
  for (const [field, name] of Object.entries(envNames)) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[field] = value;
  }
  const parsed = Config.safeParse({ ...raw, ...overrides });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${envNames[i.path[0] as keyof Config] ?? i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}
