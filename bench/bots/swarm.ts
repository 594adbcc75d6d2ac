/**
 * `parley bot swarm`: many bots in one process, for the benchmark. Every bot is a full SDK client
 * (its own guest session, WebSocket and, for listeners, its own subscribe peer), exactly what
 * `parley bot listen` runs, so the server sees nothing it would not see from real people.
 *
 * Roles:
 * - `--speakers S`: open a room (the first bot is its host), bring S−1 more bots on stage through the
 *   hand/invite flow, and have all S speak a tone (distinct frequencies).
 * - `--listeners K --room <id>`: K listeners (count only: no Opus decoding, so the bots stay cheap).
 * - `--signal-only`: like listeners but without media: they only watch the room state (for `signal`).
 * - `--churn-rate R --hold-seconds H`: start R listeners a second, each leaves after H seconds.
 *
 * Output: JSON lines on stdout (`room`, `ready`, `stats` every second, `joined`, `handSeen`, `done`);
 * stops on SIGINT/SIGTERM or when stdin closes, leaves the room cleanly and prints `done`.
 */
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { ParleyClient, silentLogger, type MediaAdapter, type RoomSession } from '@parley/client';
import type { NodeMediaAdapter as NodeMediaAdapterType } from '@parley/client/node';
import { boundFetch, boundWebSocketFactory, createInviteCode, signUpMember } from '../lib/net';
import { RawWatcher } from './raw-watcher';

type NodeMediaModule = typeof import('@parley/client/node');

/** Where a bot process writes its lines (stdout for the bench, a test's buffer in tests). */
export interface SwarmIo {
  out(line: string): void;
  err(line: string): void;
}

/** One bot of the swarm: its client, media and room session. */
interface Bot {
  index: number;
  client: ParleyClient;
  media: NodeMediaAdapterType | undefined;
  session: RoomSession | undefined;
  startedAt: number;
  /** Epoch ms when the guest session was started (HTTP). */
  sessionAt?: number;
  /** Epoch ms when the room snapshot arrived (WebSocket open, `room.join`). */
  joinedAt?: number;
  /** Epoch ms when the subscribe leg was answered. */
  listeningAt?: number;
  /** Set once the bot reported its first packet. */
  reportedFirstPacket?: boolean;
  leaveTimer?: NodeJS.Timeout;
}

/** A media adapter for signalling-only clients: they never negotiate media, so every call is refused. */
const noMedia: MediaAdapter = {
  publish: () => Promise.reject(new Error('signal-only bench client does not publish')),
  subscribe: () => Promise.reject(new Error('signal-only bench client does not listen')),
  close: () => undefined,
};

/** Run a swarm from its command-line arguments; resolves with the exit code. */
export async function swarm(args: string[], io: SwarmIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8080' },
      room: { type: 'string' },
      title: { type: 'string', default: 'Bench room' },
      speakers: { type: 'string' },
      listeners: { type: 'string' },
      'signal-only': { type: 'boolean', default: false },
      raw: { type: 'boolean', default: false },
      'churn-rate': { type: 'string' },
      'hold-seconds': { type: 'string', default: '10' },
      'join-concurrency': { type: 'string', default: '8' },
      'source-address': { type: 'string', default: '127.0.0.1' },
      'count-only': { type: 'boolean', default: true },
      'wait-go': { type: 'boolean', default: false },
      'udp-mux-port': { type: 'string' },
      'frame-ms': { type: 'string', default: '20' },
    },
    strict: true,
  });
  const udpMuxPort = values['udp-mux-port'] === undefined ? undefined : count('--udp-mux-port', values['udp-mux-port']);
  const swarmRun = new Swarm(values.url, values['source-address'], io, !values['count-only'], udpMuxPort);
  let go: () => void = () => undefined;
  const goSignal = new Promise<void>((resolve) => {
    go = resolve;
  });
  const stop = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
    // The bench writes commands on stdin: "stats" (report now), "go" (start joining); end = stop.
    createInterface({ input: process.stdin }).on('line', (line) => {
      const command = line.trim();
      if (command === 'stats') swarmRun.report();
      if (command === 'go') go();
    });
    process.stdin.on('end', () => resolve());
  });
  try {
    // Report from the start, so the bench sees joins progress.
    swarmRun.startStats();
    if (values['wait-go']) {
      // Load everything first, so that joins released together really start together.
      await import('@parley/client/node');
      if (values.speakers === undefined && values.room !== undefined && !values.raw) await swarmRun.warmUp(values.room, values['signal-only']);
      io.out(JSON.stringify({ event: 'loaded' }));
      await goSignal;
    }
    if (values.speakers !== undefined) {
      const frameMs = Number(values['frame-ms']);
      if (frameMs !== 20 && frameMs !== 40 && frameMs !== 60) throw new Error('--frame-ms must be 20, 40 or 60');
      await swarmRun.speakers(count('--speakers', values.speakers), values.title, frameMs);
    } else {
      if (values.room === undefined) throw new Error('--room is required for listeners');
      const concurrency = count('--join-concurrency', values['join-concurrency']);
      if (values['churn-rate'] !== undefined) {
        swarmRun.churn(values.room, Number(values['churn-rate']), Number(values['hold-seconds']) * 1000);
      } else {
        const listeners = count('--listeners', values.listeners ?? '1');
        if (values.raw) await swarmRun.rawWatchers(values.room, listeners, concurrency);
        else await swarmRun.listeners(values.room, listeners, concurrency, values['signal-only']);
      }
    }
    await stop;
    await swarmRun.close();
    return 0;
  } catch (error) {
    io.err(`swarm: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    await swarmRun.close();
    return 1;
  }
}

function count(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer`);
  return n;
}

class Swarm {
  private readonly bots = new Set<Bot>();
  private readonly watchers: RawWatcher[] = [];
  private nodeMedia: NodeMediaModule | undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  private churnTimer: NodeJS.Timeout | undefined;
  private created = 0;
  private failed = 0;
  private left = 0;
  private sessionsClosed = 0;
  private retried = 0;
  /** Received and lost packets of bots that already left (churn), so totals never go backwards. */
  private retired = { received: 0, lost: 0 };
  /** handRaisedAt → epoch ms each signal-only bot saw it, flushed every second. */
  private handSeen = new Map<string, number[]>();
  private closing = false;

  constructor(
    private readonly baseUrl: string,
    private readonly sourceAddress: string,
    private readonly io: SwarmIo,
    private readonly decode: boolean,
    /** One UDP port for all of this process's listener peers (needs a server with a port per peer). */
    private readonly udpMuxPort: number | undefined,
  ) {}

  private emit(event: string, fields: Record<string, unknown>): void {
    this.io.out(JSON.stringify({ event, ...fields }));
  }

  private async media(): Promise<NodeMediaModule> {
    this.nodeMedia ??= await import('@parley/client/node');
    return this.nodeMedia;
  }

  /** A listener's media adapter (none for a signalling-only client). */
  private async listenerMedia(signalOnly: boolean): Promise<NodeMediaAdapterType | undefined> {
    if (signalOnly) return undefined;
    const { NodeMediaAdapter } = await this.media();
    return new NodeMediaAdapter({ decode: this.decode, udpMuxPort: this.udpMuxPort });
  }

  /** The source address of the next bot. */
  private address(): string {
    return this.sourceAddress.endsWith('.') ? `${this.sourceAddress}${(this.created % 250) + 2}` : this.sourceAddress;
  }

  /**
   * A client from the swarm's source address; a prefix such as `127.1.0.` spreads the bots over 250
   * addresses, as a real audience comes from many addresses (per-IP rate limits apply per bot then).
   */
  private client(): ParleyClient {
    const address = this.address();
    return new ParleyClient({
      baseUrl: this.baseUrl,
      fetch: boundFetch(address),
      webSocketFactory: boundWebSocketFactory(address),
      logger: silentLogger,
      requestTimeoutMs: 30_000,
    });
  }

  /** Open a room with `count` speakers on stage, all speaking distinct tones. */
  async speakers(count: number, title: string, frameMs: 20 | 40 | 60): Promise<void> {
    const { NodeMediaAdapter } = await this.media();
    // Hosting and speaking take member accounts: the host is the fresh server's first (its admin) and
    // invites the other speakers, who sign up with the codes and are brought on stage.
    const member = await signUpMember(this.baseUrl, this.address(), 'Bench host');
    const hostClient = new ParleyClient({ baseUrl: this.baseUrl, ...member, logger: silentLogger, requestTimeoutMs: 30_000 });
    const host = this.track(hostClient, new NodeMediaAdapter({ toneHz: 440, decode: false, frameMs }));
    const room = await hostClient.rooms.create(title);
    this.emit('room', { roomId: room.id, url: hostClient.roomLink(room.id) });
    this.watch(host, await hostClient.joinRoom(room.id, { media: host.media! }));
    const hostSession = host.session!;
    await hostSession.startSpeaking();
    for (let i = 1; i < count; i += 1) {
      const inviteCode = await createInviteCode(this.baseUrl, member);
      const transport = await signUpMember(this.baseUrl, this.address(), `Bench speaker ${i}`, inviteCode);
      const client = new ParleyClient({ baseUrl: this.baseUrl, ...transport, logger: silentLogger, requestTimeoutMs: 30_000 });
      const bot = this.track(client, new NodeMediaAdapter({ toneHz: 440 + 110 * i, decode: false, frameMs }));
      this.watch(bot, await client.joinRoom(room.id, { media: bot.media! }));
      const session = bot.session!;
      await session.raiseHand();
      await hostSession.inviteToSpeak(session.state.you);
      await until(() => session.me?.invitedToSpeak === true, 10_000, 'the invitation');
      await session.acceptInvite();
      await until(() => session.me?.role !== 'listener', 10_000, 'the stage');
      await session.startSpeaking();
    }
    this.emit('ready', { speakers: count });
  }

  /** Join `count` listeners, `concurrency` at a time. */
  async listeners(roomId: string, count: number, concurrency: number, signalOnly: boolean): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < count && !this.closing) {
        next += 1;
        await this.join(roomId, signalOnly);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
    this.emit('ready', { listeners: this.bots.size, failed: this.failed });
  }

  /** Join `count` bare signalling clients (see RawWatcher), `concurrency` at a time. */
  async rawWatchers(roomId: string, count: number, concurrency: number): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < count && !this.closing) {
        next += 1;
        const index = next;
        try {
          const watcher = await RawWatcher.join(this.baseUrl, this.address(), roomId, `Bench watcher ${index}`, (at, seenAt) => this.noteHandSeen(at, seenAt));
          this.watchers.push(watcher);
          this.created += 1;
        } catch (error) {
          this.failed += 1;
          this.emit('joinFailed', { error: error instanceof Error ? error.message : String(error) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
    this.emit('ready', { listeners: this.watchers.length, failed: this.failed });
  }

  private noteHandSeen(handRaisedAt: string, seenAt: number): void {
    let times = this.handSeen.get(handRaisedAt);
    if (!times) {
      times = [];
      this.handSeen.set(handRaisedAt, times);
    }
    times.push(seenAt);
  }

  /** Start `perSecond` listeners every second; each leaves after `holdMs`. */
  churn(roomId: string, perSecond: number, holdMs: number): void {
    const intervalMs = 1000 / perSecond;
    this.churnTimer = setInterval(() => {
      void this.join(roomId, false).then((bot) => {
        if (!bot) return;
        bot.leaveTimer = setTimeout(() => void this.leave(bot), holdMs);
      });
    }, intervalMs);
    this.emit('ready', { churnPerSecond: perSecond, holdMs });
  }

  private track(client: ParleyClient, media: NodeMediaAdapterType | undefined): Bot {
    this.created += 1;
    const bot: Bot = { index: this.created, client, media, session: undefined, startedAt: Date.now() };
    this.bots.add(bot);
    return bot;
  }

  /** Watch a bot's room session: a session the server closes is reported (it explains silence). */
  private watch(bot: Bot, session: RoomSession): void {
    bot.session = session;
    session.on('closed', (reason) => {
      if (this.closing || reason === 'left') return;
      this.sessionsClosed += 1;
      this.emit('sessionClosed', { index: bot.index, reason });
    });
  }

  /**
   * One listener joins and leaves before the joins that are measured (`--wait-go`): the first join in
   * a process pays one-off costs — loading fetch and the WebSocket client, compiling the protocol's
   * schemas, starting libdatachannel's threads and certificate — which each real listener pays once,
   * in their own browser on their own machine, not on the server's cores. Not counted anywhere.
   */
  async warmUp(roomId: string, signalOnly: boolean): Promise<void> {
    const media = await this.listenerMedia(signalOnly);
    const client = this.client();
    try {
      await withTimeout(JOIN_TIMEOUT_MS, 'warm-up join', async () => {
        await client.session.start('Bench warm-up');
        const session = await client.joinRoom(roomId, { media: media ?? noMedia, listen: media !== undefined });
        if (media) {
          await session.startListening();
          const until = Date.now() + 5000;
          while (media.firstPacketAt === undefined && Date.now() < until) await sleep(20);
        }
        await session.leave();
      });
    } finally {
      client.close();
      media?.close();
    }
  }

  /**
   * Join one bot; a failed join is tried once more with a fresh client, as a person would click again
   * (both attempts are reported: `joinRetried`, then `joinFailed` if the second fails too).
   */
  private async join(roomId: string, signalOnly: boolean): Promise<Bot | undefined> {
    const first = await this.joinOnce(roomId, signalOnly);
    if (first.bot || this.closing) return first.bot;
    this.retried += 1;
    this.emit('joinRetried', { error: first.error });
    const second = await this.joinOnce(roomId, signalOnly);
    if (second.bot) return second.bot;
    this.failed += 1;
    this.emit('joinFailed', { error: second.error });
    return undefined;
  }

  private async joinOnce(roomId: string, signalOnly: boolean): Promise<{ bot?: Bot; error?: string }> {
    const media = await this.listenerMedia(signalOnly);
    const client = this.client();
    const bot = this.track(client, media);
    try {
      await withTimeout(JOIN_TIMEOUT_MS, 'join', async () => {
        await client.session.start(`Bench listener ${bot.index}`);
        bot.sessionAt = Date.now();
        const session = await client.joinRoom(roomId, { media: bot.media ?? noMedia, listen: bot.media !== undefined });
        bot.joinedAt = Date.now();
        this.watch(bot, session);
        if (signalOnly) {
          this.watchHands(session);
        } else {
          await session.startListening();
          bot.listeningAt = Date.now();
        }
      });
      return { bot };
    } catch (error) {
      await this.leave(bot);
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Record when this client first sees each raised hand (for the `signal` scenario). */
  private watchHands(session: RoomSession): void {
    const seen = new Set<string>();
    session.subscribe(() => {
      const now = Date.now();
      for (const participant of session.state.participants) {
        const at = participant.handRaisedAt;
        if (at === null || seen.has(at)) continue;
        seen.add(at);
        this.noteHandSeen(at, now);
      }
    });
  }

  private async leave(bot: Bot): Promise<void> {
    if (!this.bots.delete(bot)) return;
    if (bot.leaveTimer) clearTimeout(bot.leaveTimer);
    if (bot.media) {
      this.retired.received += bot.media.packetsReceived;
      this.retired.lost += bot.media.packetsLost;
    }
    try {
      await bot.session?.leave();
    } catch {
      // Leaving is best effort: the client closes anyway.
    }
    bot.client.close();
    bot.media?.close();
    this.left += 1;
  }

  /** Report totals every second (the bench takes deltas over its measuring window). */
  startStats(): void {
    this.statsTimer = setInterval(() => this.report(), 1000);
  }

  /** Print the `stats` line (and pending `joined` / `handSeen` lines) now. */
  report(): void {
    let received = this.retired.received;
    let lost = this.retired.lost;
    let sent = 0;
    let listening = 0;
    const publishLegs: Record<string, number> = {};
    for (const bot of this.bots) {
      if (!bot.media) continue;
      const publishing = bot.media.publishing;
      if (publishing) publishLegs[publishing.state()] = (publishLegs[publishing.state()] ?? 0) + 1;
      received += bot.media.packetsReceived;
      lost += bot.media.packetsLost;
      sent += bot.media.packetsSent;
      if (bot.listeningAt !== undefined) listening += 1;
      const first = bot.media.firstPacketAt;
      if (first !== undefined && !bot.reportedFirstPacket) {
        bot.reportedFirstPacket = true;
        const { index, startedAt, sessionAt, joinedAt, listeningAt } = bot;
        this.emit('joined', { index, startedAt, sessionAt, joinedAt, listeningAt, firstPacketAt: first });
      }
    }
    for (const [handRaisedAt, seenAt] of this.handSeen) this.emit('handSeen', { handRaisedAt, seenAt });
    this.handSeen.clear();
    const memory = process.memoryUsage();
    this.emit('stats', {
      at: Date.now(),
      bots: this.bots.size + this.watchers.length,
      listening,
      created: this.created,
      left: this.left,
      failed: this.failed,
      retried: this.retried,
      sessionsClosed: this.sessionsClosed,
      publishLegs,
      packetsReceived: received,
      packetsLost: lost,
      packetsSent: sent,
      rssBytes: memory.rss,
      cpuMicros: cpuMicros(),
    });
  }

  /** Leave with every bot and release node-datachannel. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.churnTimer) clearInterval(this.churnTimer);
    this.report();
    if (this.statsTimer) clearInterval(this.statsTimer);
    for (const watcher of this.watchers.splice(0)) watcher.close();
    const bots = [...this.bots];
    // Speakers' host ends nothing: the bench stops the server right after.
    await Promise.all(bots.map((bot) => this.leave(bot)));
    this.emit('done', { created: this.created, failed: this.failed, left: this.left });
    if (this.nodeMedia) {
      // Let the native close callbacks run before the threads go away.
      await new Promise((resolve) => setTimeout(resolve, 200));
      this.nodeMedia.releaseNativeResources();
    }
  }
}

/** A join that takes longer than this counts as failed (the bot leaves and reports it). */
const JOIN_TIMEOUT_MS = 90_000;

async function withTimeout(ms: number, what: string, body: () => Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    await Promise.race([body(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
