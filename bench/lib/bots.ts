import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { track } from './children';
import { ProcessSampler } from './proc';
import { parleyBin, repoRoot, stopProcess } from './server';

/** Where bot processes write V8 CPU profiles (`--cpu-prof-bots`), or undefined for none. */
let botCpuProfDir: string | undefined;

/** Have every bot process started from now on write its V8 CPU profile into `dir` when it exits. */
export function profileBots(dir: string): void {
  botCpuProfDir = dir;
}

/** The `stats` line a swarm prints every second (totals since it started). */
export interface SwarmStats {
  at: number;
  bots: number;
  listening: number;
  created: number;
  left: number;
  failed: number;
  /** Joins that failed once and were tried again. */
  retried: number;
  /** Room sessions the server closed (not left by the bot). */
  sessionsClosed: number;
  /** Publish legs by peer state (speakers). */
  publishLegs: Record<string, number>;
  packetsReceived: number;
  packetsLost: number;
  packetsSent: number;
  rssBytes: number;
  cpuMicros: number;
}

/** A `joined` line: one listener's timeline (epoch ms). */
export interface JoinTiming {
  index: number;
  startedAt: number;
  sessionAt: number | undefined;
  joinedAt: number | undefined;
  listeningAt: number | undefined;
  firstPacketAt: number;
}

/** A `parley bot swarm` child process and what it has reported. */
export class SwarmProcess {
  /** Latest `stats` line, if any yet. */
  stats: SwarmStats | undefined;
  readonly joins: JoinTiming[] = [];
  readonly joinFailures: string[] = [];
  /** Why first join attempts failed (they were tried again). */
  readonly joinRetries: string[] = [];
  /** Why the server closed bots' room sessions. */
  readonly sessionClosures: string[] = [];
  /** handRaisedAt → epoch ms each client saw it. */
  readonly handSeen = new Map<string, number[]>();
  /** Fields of the `room` line (speakers only). */
  room: { roomId: string; url: string } | undefined;
  readonly proc: ProcessSampler;
  private readonly waiters = new Map<string, ((fields: Record<string, unknown>) => void)[]>();
  private readonly child: ChildProcess;
  private exited = false;
  private stderrTail = '';

  constructor(
    /** A name for messages. */
    readonly name: string,
    args: string[],
    /**
     * Start the process (every thread of it) at this nice level (`nice -n`); 0 or undefined: as the
     * bench itself.
     */
    nice?: number,
  ) {
    const nodeArgs = [...(botCpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${botCpuProfDir}`] : []), parleyBin, 'bot', 'swarm', ...args];
    const [command, commandArgs] = nice ? ['nice', ['-n', String(nice), process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
    this.child = spawn(command, commandArgs, { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    if (this.child.pid === undefined) throw new Error(`${name}: no pid`);
    track(this.child, 'SIGTERM');
    this.proc = new ProcessSampler(this.child.pid);
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.handleLine(line));
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-4000);
    });
    this.child.once('exit', (code) => {
      this.exited = true;
      for (const [event, list] of this.waiters) for (const resolve of list) resolve({ event, exited: code });
      this.waiters.clear();
    });
  }

  private handleLine(line: string): void {
    let fields: Record<string, unknown>;
    try {
      fields = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const event = String(fields.event);
    if (event === 'stats') this.stats = fields as unknown as SwarmStats;
    else if (event === 'joined') this.joins.push(fields as unknown as JoinTiming);
    else if (event === 'joinFailed') this.joinFailures.push(String(fields.error));
    else if (event === 'joinRetried') this.joinRetries.push(String(fields.error));
    else if (event === 'sessionClosed') this.sessionClosures.push(String(fields.reason));
    else if (event === 'room') this.room = { roomId: String(fields.roomId), url: String(fields.url) };
    else if (event === 'handSeen') {
      const key = String(fields.handRaisedAt);
      const list = this.handSeen.get(key) ?? [];
      list.push(...(fields.seenAt as number[]));
      this.handSeen.set(key, list);
    }
    const waiting = this.waiters.get(event);
    if (waiting) {
      this.waiters.delete(event);
      for (const resolve of waiting) resolve(fields);
    }
  }

  /** Resolve with the next line of type `event`; rejects if the process exits first or on timeout. */
  next(event: string, timeoutMs: number): Promise<Record<string, unknown>> {
    if (this.exited) return Promise.reject(new Error(`${this.name} has exited: ${this.stderrTail}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no "${event}" within ${timeoutMs} ms\n${this.stderrTail}`)), timeoutMs);
      const list = this.waiters.get(event) ?? [];
      list.push((fields) => {
        clearTimeout(timer);
        if ('exited' in fields) reject(new Error(`${this.name} exited (${String(fields.exited)}) before "${event}":\n${this.stderrTail}`));
        else resolve(fields);
      });
      this.waiters.set(event, list);
    });
  }

  /** Ask for a `stats` line now (written on stdin) and wait for it, so windows line up with the server's. */
  async freshStats(): Promise<SwarmStats> {
    const next = this.next('stats', 5000);
    this.child.stdin?.write('stats\n');
    await next;
    return this.stats!;
  }

  /** Send a command line to the swarm (`go`, `stats`). */
  command(line: string): void {
    this.child.stdin?.write(`${line}\n`);
  }

  /** Ask the swarm to leave and exit; waits for the process. */
  stop(): Promise<void> {
    this.child.stdin?.end();
    return stopProcess(this.child, 'SIGTERM', 20_000);
  }
}

/** Split `total` bots over `processes` as evenly as possible. */
export function split(total: number, processes: number): number[] {
  const counts: number[] = [];
  for (let i = 0; i < processes; i += 1) counts.push(Math.floor(total / processes) + (i < total % processes ? 1 : 0));
  return counts.filter((n) => n > 0);
}

/**
 * Loopback source addresses for bot process `index`: its own /24 (`127.<1+index>.0.`), one address
 * per bot within it (see lib/net.ts).
 */
export function sourceAddress(index: number): string {
  return `127.${1 + (index % 250)}.0.`;
}

/** Sum of the latest stats over swarms. */
export function totals(swarms: readonly SwarmProcess[]): { received: number; lost: number; sent: number; bots: number; listening: number; failed: number } {
  const sum = { received: 0, lost: 0, sent: 0, bots: 0, listening: 0, failed: 0 };
  for (const swarm of swarms) {
    const stats = swarm.stats;
    if (!stats) continue;
    sum.received += stats.packetsReceived;
    sum.lost += stats.packetsLost;
    sum.sent += stats.packetsSent;
    sum.bots += stats.bots;
    sum.listening += stats.listening;
    sum.failed += stats.failed;
  }
  return sum;
}
