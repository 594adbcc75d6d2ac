import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ParleyError } from '@parley/protocol';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { EVENT_LOOP_SAMPLE_MS } from '../event-loop';

/** What the domain reports: live rooms, connected participants, and room broadcasts since start. */
export interface RoomStatsSource {
  stats(): { liveRooms: number; participants: number; broadcasts: number; broadcastFrames: number; broadcastSeconds: number };
}

/** Forwarding totals of the SFU (monotonic since start) and its peers now; the engine implements it. */
export interface MediaStats {
  rooms: number;
  publishers: number;
  subscribers: number;
  packetsIn: number;
  packetsDropped: number;
  packetsForwarded: number;
  bytesForwarded: number;
  sendFailures: number;
  packetsLate: number;
  /** Peer connections by `"<leg> <state>"`. */
  peers: Record<string, number>;
}

/** The SFU's own thread, when it has one: event-loop delay since the previous call (seconds) and heap. */
export interface MediaThreadStats {
  loopDelay: { p50: number; p99: number; max: number; mean: number };
  heapUsedBytes: number;
}

/** An SFU that can report {@link MediaStats} (from another thread: asynchronously). */
export interface MediaStatsSource {
  mediaStats(): MediaStats | Promise<MediaStats>;
  /** Present when the SFU forwards on a thread of its own. */
  threadStats?(): Promise<MediaThreadStats>;
}

/** True when the media engine in use reports forwarding stats (a test double may not). */
export function hasMediaStats(engine: unknown): engine is MediaStatsSource {
  return typeof engine === 'object' && engine !== null && typeof Reflect.get(engine, 'mediaStats') === 'function';
}

/** Where the metrics come from. */
export interface MetricsSources {
  rooms: RoomStatsSource;
  media?: MediaStatsSource;
}

/** Samples of CPU time and forwarded packets; the rolling figure spans the oldest to the newest. */
const CPU_SAMPLE_MS = 5_000;
const CPU_SAMPLES = 4;

/**
 * The server's Prometheus metrics: rooms, participants, SFU forwarding counters, CPU µs per forwarded
 * packet over the last ~15 s, peers by state, and prom-client's default process metrics (CPU, RSS,
 * handles, event-loop delay `nodejs_eventloop_lag_*`). Everything is read at scrape time from the
 * sources; nothing is counted on the packet path except the SFU's own integer counters.
 */
export class ServerMetrics {
  /** The registry served at /metrics. */
  readonly registry = new Registry();
  private readonly cpuSamples: { cpuMicros: number; forwarded: number }[] = [];
  private readonly timer: NodeJS.Timeout;
  /** The SFU's figures, read once per scrape (they may come from another thread). */
  private media: MediaStats | undefined;
  private mediaThread: MediaThreadStats | undefined;

  constructor(private readonly sources: MetricsSources) {
    const registry = this.registry;
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    new Gauge({
      name: 'parley_eventloop_sample_interval_seconds',
      help: 'How often the event-loop delay histograms sample; their figures include it (an idle loop shows about this much).',
      registers: [registry],
      collect() {
        this.set(EVENT_LOOP_SAMPLE_MS / 1000);
      },
    });
    const media = () => this.media;

    new Gauge({
      name: 'parley_rooms_live',
      help: 'Live rooms with an active in-memory state on this server.',
      registers: [registry],
      collect() {
        this.set(sources.rooms.stats().liveRooms);
      },
    });
    new Gauge({
      name: 'parley_participants',
      help: 'Participants connected to live rooms.',
      registers: [registry],
      collect() {
        this.set(sources.rooms.stats().participants);
      },
    });
    const rooms = () => sources.rooms.stats();
    monotonic(registry, 'parley_room_broadcasts_total', 'Room messages sent to everyone in a room (events, speaking levels).', () => rooms().broadcasts);
    monotonic(registry, 'parley_room_broadcast_frames_total', 'WebSocket frames those broadcasts handed to sockets.', () => rooms().broadcastFrames);
    monotonic(
      registry,
      'parley_room_broadcast_seconds_total',
      'Time the server spent handing broadcasts to sockets; per broadcast, the server\'s share of reaching everyone in a room.',
      () => rooms().broadcastSeconds,
    );
    if (sources.media) this.registerMediaMetrics(media);
    if (sources.media?.threadStats) this.registerMediaThreadMetrics();
    void this.sample();
    this.timer = setInterval(() => void this.sample(), CPU_SAMPLE_MS).unref();
  }

  private registerMediaMetrics(media: () => MediaStats | undefined): void {
    const registry = this.registry;
    new Gauge({
      name: 'parley_media_rooms',
      help: 'Rooms open in the SFU.',
      registers: [registry],
      collect() {
        this.set(media()?.rooms ?? 0);
      },
    });
    const legs = new Gauge({
      name: 'parley_media_legs',
      help: 'Publish and subscribe legs open in the SFU.',
      labelNames: ['leg'],
      registers: [registry],
      collect() {
        const stats = media();
        legs.set({ leg: 'publish' }, stats?.publishers ?? 0);
        legs.set({ leg: 'subscribe' }, stats?.subscribers ?? 0);
      },
    });
    const peers = new Gauge({
      name: 'parley_peers',
      help: 'Peer connections by leg and state.',
      labelNames: ['leg', 'state'],
      registers: [registry],
      collect() {
        peers.reset();
        for (const [key, count] of Object.entries(media()?.peers ?? {})) {
          const [leg = '', state = ''] = key.split(' ');
          peers.set({ leg, state }, count);
        }
      },
    });
    monotonic(registry, 'parley_rtp_packets_received_total', 'RTP packets received from publishers.', () => media()?.packetsIn);
    monotonic(registry, 'parley_rtp_packets_forwarded_total', 'RTP packets sent on listeners\' audio slots.', () => media()?.packetsForwarded);
    monotonic(registry, 'parley_rtp_bytes_forwarded_total', 'Bytes of forwarded RTP packets (before SRTP).', () => media()?.bytesForwarded);
    monotonic(registry, 'parley_rtp_packets_dropped_total', 'RTP packets dropped: publisher not allowed to speak at that moment.', () => media()?.packetsDropped);
    monotonic(registry, 'parley_rtp_packets_late_total', 'RTP packets shed because they reached the forwarding loop too late (event loop behind).', () => media()?.packetsLate);
    monotonic(registry, 'parley_rtp_send_failures_total', 'Forwards the native track refused (peer closing, buffer full).', () => media()?.sendFailures);
    const samples = this.cpuSamples;
    new Gauge({
      name: 'parley_cpu_microseconds_per_forwarded_packet',
      help: `Process CPU time (user+system) per forwarded RTP packet over the last ~${((CPU_SAMPLE_MS * (CPU_SAMPLES - 1)) / 1000).toFixed(0)} s; NaN when nothing was forwarded.`,
      registers: [registry],
      collect() {
        const first = samples[0];
        const last = samples[samples.length - 1];
        const forwarded = first && last ? last.forwarded - first.forwarded : 0;
        this.set(first && last && forwarded > 0 ? (last.cpuMicros - first.cpuMicros) / forwarded : Number.NaN);
      },
    });
  }

  private registerMediaThreadMetrics(): void {
    const quantiles = [
      ['p50', 'The 50th percentile'],
      ['p99', 'The 99th percentile'],
      ['max', 'The maximum'],
      ['mean', 'The mean'],
    ] as const;
    const thread = () => this.mediaThread;
    for (const [key, what] of quantiles) {
      new Gauge({
        name: `parley_media_eventloop_lag_${key}_seconds`,
        help: `${what} of the media thread's event-loop delay since the previous scrape (the SFU's own thread; includes the sampling interval, as nodejs_eventloop_lag_* do).`,
        registers: [this.registry],
        collect() {
          this.set(thread()?.loopDelay[key] ?? Number.NaN);
        },
      });
    }
    new Gauge({
      name: 'parley_media_heap_used_bytes',
      help: 'JavaScript heap in use on the media thread (its own V8 isolate; nodejs_heap_size_used_bytes is the main thread).',
      registers: [this.registry],
      collect() {
        this.set(thread()?.heapUsedBytes ?? Number.NaN);
      },
    });
  }

  /** The metrics in Prometheus text format. */
  async render(): Promise<string> {
    const source = this.sources.media;
    if (source) {
      // A media engine that is closing leaves its figures out rather than failing the scrape.
      [this.media, this.mediaThread] = await Promise.all([
        Promise.resolve(source.mediaStats()).catch(() => undefined),
        source.threadStats?.().catch(() => undefined),
      ]);
    }
    return this.registry.metrics();
  }

  /** Stop the sampling timer. */
  close(): void {
    clearInterval(this.timer);
  }

  private async sample(): Promise<void> {
    let forwarded: number;
    try {
      forwarded = (await this.sources.media?.mediaStats())?.packetsForwarded ?? 0;
    } catch {
      return; // the media thread is closing: no sample
    }
    const cpu = process.cpuUsage();
    this.cpuSamples.push({ cpuMicros: cpu.user + cpu.system, forwarded });
    if (this.cpuSamples.length > CPU_SAMPLES) this.cpuSamples.shift();
  }
}

/** A counter whose value is read from a monotonic source at scrape time. */
function monotonic(registry: Registry, name: string, help: string, read: () => number | undefined): void {
  let seen = 0;
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const value = read() ?? seen;
      if (value > seen) this.inc(value - seen);
      seen = value;
    },
  });
}

/**
 * Serve `metrics` at GET /metrics (Prometheus text format; outside the API rate limit, as scrapers
 * poll it). The figures say how busy the server is and how many people are in rooms, so by default
 * only a direct connection from this machine gets them — not one relayed by a reverse proxy, which
 * would otherwise make every visitor look local. With `token` set, whoever presents it gets them.
 */
export function registerMetricsRoute(app: FastifyInstance, metrics: ServerMetrics, token?: string): void {
  app.get('/metrics', { config: { rateLimit: false } }, async (request, reply) => {
    if (token !== undefined) {
      if (!bearerMatches(request.headers.authorization, token)) {
        throw new ParleyError('unauthorized', 'Metrics need the METRICS_TOKEN as a bearer token.');
      }
    } else if (!isDirectLocal(request)) {
      throw new ParleyError('forbidden', 'Metrics are served to this machine only; set METRICS_TOKEN to scrape from elsewhere.');
    }
    const body = await metrics.render();
    return reply.type(metrics.registry.contentType).send(body);
  });
}

/** A connection from a loopback address that no proxy relayed. */
function isDirectLocal(request: FastifyRequest): boolean {
  const address = request.socket.remoteAddress ?? '';
  const loopback = address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
  return loopback && request.headers['x-forwarded-for'] === undefined && request.headers.forwarded === undefined;
}

/** `Authorization: Bearer <token>`, compared in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = Buffer.from(header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : '');
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
