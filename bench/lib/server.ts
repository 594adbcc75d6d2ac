import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { freeUdpPorts } from '../../packages/server/src/media/udp-ports';
import { track } from './children';
import { ProcessSampler } from './proc';

/** The repository root (bench/lib → ../..). */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** The `parley` entry point every bench process runs. */
export const parleyBin = fileURLToPath(new URL('../../packages/cli/bin/parley.mjs', import.meta.url));

/** Options of {@link startBenchServer}. */
export interface BenchServerOptions {
  /** Write a V8 CPU profile (`--cpu-prof`) into this directory when the server exits. */
  cpuProfDir?: string;
  /** UDP port for every peer (ICE UDP mux); 0 picks a free one; undefined = one port per peer. */
  rtcPort?: number;
  /** With `rtcPort`: how many consecutive mux ports the server spreads its peers over (RTC_PORTS). */
  rtcPorts?: number;
  /**
   * `postgres` (default when reachable): a scratch database on BENCH_DATABASE_URL's server (default
   * postgres://postgres@127.0.0.1:5432/test), dropped afterwards. `pglite`: the embedded default,
   * whose ~600 MB WebAssembly heap and start-up garbage make RSS-per-listener figures noisy.
   */
  storage?: 'postgres' | 'pglite';
  /**
   * Run the server from another tree (e.g. an older commit prepared by bench/tools/server-tree.sh),
   * while the bots and the measuring stay this checkout's: A/B comparisons of server changes.
   */
  serverRoot?: string;
  /** Extra Node.js flags for the server process (e.g. `--perf-basic-prof`). */
  nodeOptions?: string[];
  /** Extra environment for the server. */
  env?: Record<string, string>;
}

/** A `parley serve` child process under measurement. */
export interface BenchServer {
  url: string;
  pid: number;
  /** The server's inspector WebSocket (heap snapshots, GC), when it announced one. */
  readonly inspectorUrl: string | undefined;
  /** The one UDP port of every server peer (ICE mux), or undefined for a port per peer. */
  readonly rtcPort: number | undefined;
  /** Which storage the server runs on. */
  storage: 'postgres' | 'pglite';
  /** CPU time and RSS of the server process, from /proc. */
  readonly proc: ProcessSampler;
  /** GET /metrics, parsed: `name{labels}` → value. */
  scrape(): Promise<Map<string, number>>;
  /** One unlabelled metric's value now (0 when absent). */
  metric(name: string): Promise<number>;
  /** A full garbage collection in the server (through its inspector), so RSS readings compare. */
  collectGarbage(): Promise<void>;
  /**
   * RSS once the server's memory has settled: full GCs until three readings 2 s apart agree within
   * 2 MB, and not before 25 s after start (a fresh process sheds tens of MB of start-up memory in
   * its first ~20 s). At most 60 s. `quick`: one GC and a reading (smoke tests; RSS figures rough).
   */
  settledRssBytes(options?: { quick?: boolean }): Promise<number>;
  /** SIGINT, then wait for a clean exit (the CPU profile is written then). */
  stop(): Promise<void>;
}

/**
 * Start `parley serve` as its own process: in-memory PGlite, warnings-only logs, a session rate limit
 * high enough for a thousand bots, SFU bound to loopback. Resolves once it listens.
 */
export async function startBenchServer(options: BenchServerOptions = {}): Promise<BenchServer> {
  const database = options.storage === 'pglite' ? undefined : await scratchDatabase(options.storage === 'postgres');
  const rtcPort = options.rtcPort === 0 ? await freeUdpPorts(options.rtcPorts ?? 1) : options.rtcPort;
  const args = [
    // The inspector lets the bench force a full GC before reading RSS (see collectGarbage).
    '--inspect=127.0.0.1:0',
    '--expose-gc',
    ...(options.nodeOptions ?? []),
    ...(options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : []),
    options.serverRoot ? join(options.serverRoot, 'packages', 'cli', 'bin', 'parley.mjs') : parleyBin,
    'serve',
    '--port',
    '0',
    '--host',
    '127.0.0.1',
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: 'memory://',
    LOG_LEVEL: 'warn',
    SESSION_RATE_LIMIT: '1000000',
    // Every per-IP and per-person limit × 1000: one machine plays a whole audience.
    RATE_LIMIT_FACTOR: '1000',
    RTC_BIND_ADDRESS: '127.0.0.1',
    RTC_PORT: String(rtcPort ?? 0),
    RTC_PORTS: String(options.rtcPorts ?? 1),
    PUBLIC_URL: '',
    DATABASE_URL: database?.url ?? '',
    ...options.env,
  };
  const child = spawn(process.execPath, args, { cwd: options.serverRoot ?? repoRoot, env, stdio: ['ignore', 'ignore', 'pipe'] });
  track(child, 'SIGINT');
  let inspectorUrl: string | undefined;
  const url = await new Promise<string>((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`server did not start within 60 s:\n${stderr}`)), 60_000);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      inspectorUrl ??= /Debugger listening on (ws:\/\/\S+)/.exec(stderr)?.[1];
      const match = /Parley is serving on (http:\/\/\S+)/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
      if (stderr.length > 100_000) stderr = stderr.slice(-50_000);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${stderr}`));
    });
  });
  // Keep draining stderr so the server never blocks on a full pipe; echo warnings for the operator.
  child.stderr?.removeAllListeners('data');
  child.stderr?.on('data', (chunk: string) => {
    // The inspector's notices are ours, not the server's.
    if (!/Debugger|inspector|nodejs\.org\/en\/docs/.test(chunk)) process.stderr.write(`[server] ${chunk}`);
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('server has no pid');
  const startedAt = Date.now();
  const proc = new ProcessSampler(pid);
  const gc = () => (inspectorUrl ? collectGarbage(inspectorUrl) : Promise.resolve());
  const settledRssBytes = async ({ quick = false } = {}) => {
    if (quick) {
      await gc();
      return proc.rssBytes();
    }
    const readings: number[] = [];
    const deadline = Date.now() + 60_000;
    for (;;) {
      await gc();
      await new Promise((resolve) => setTimeout(resolve, 2000));
      readings.push(proc.rssBytes());
      const last = readings.slice(-3);
      const stable = last.length === 3 && Math.max(...last) - Math.min(...last) < 2 * 2 ** 20;
      if ((stable && Date.now() - startedAt >= 25_000) || Date.now() > deadline) return readings[readings.length - 1] ?? 0;
    }
  };
  return {
    url,
    pid,
    storage: database ? 'postgres' : 'pglite',
    inspectorUrl,
    rtcPort,
    proc,
    scrape: () => scrapeMetrics(url),
    metric: async (name) => (await scrapeMetrics(url)).get(name) ?? 0,
    collectGarbage: gc,
    settledRssBytes,
    stop: async () => {
      await stopProcess(child, 'SIGINT', 30_000);
      await database?.drop();
    },
  };
}

let databaseCounter = 0;

/**
 * Create an empty database for one bench server on the Postgres at BENCH_DATABASE_URL. Returns
 * undefined when no Postgres answers (unless `required`), so the bench falls back to PGlite.
 */
export async function scratchDatabase(required: boolean): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const adminUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    if (required) throw error;
    process.stderr.write(`[bench] no Postgres at ${adminUrl} (${error instanceof Error ? error.message : String(error)}); using PGlite\n`);
    return undefined;
  }
  databaseCounter += 1;
  const name = `parley_bench_${process.pid}_${databaseCounter}`;
  try {
    // Databases of bench runs that were killed before they could drop theirs.
    const stale = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'parley\\_bench\\_%'");
    for (const { datname } of stale.rows) {
      const pid = Number(/^parley_bench_(\d+)_/.exec(datname)?.[1]);
      if (pid !== process.pid && !isAlive(pid)) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Ask a Node process's inspector for a full garbage collection (CDP `HeapProfiler.collectGarbage`). */
async function collectGarbage(inspectorUrl: string): Promise<void> {
  const socket = new WebSocket(inspectorUrl);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('inspector did not answer the GC request')), 30_000);
      socket.on('message', (data) => {
        const reply = JSON.parse(String(data)) as { id?: number };
        if (reply.id === 1) {
          clearTimeout(timer);
          resolve();
        }
      });
      // A plain gc() first: on Node 20 the options form alone leaves most garbage (39 → 35 MB where
      // gc() reaches 2 MB). Then a "last resort" major GC, which also shrinks the heap and returns
      // pooled pages as V8's idle memory reducer would some seconds later: RSS read right after it
      // compares across readings.
      const expression = "gc(); gc({ type: 'major', execution: 'sync', flavor: 'last-resort' })";
      socket.send(JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression } }));
    });
  } finally {
    socket.close();
  }
}

/**
 * GET `<url>/metrics` and parse the Prometheus text format (no timestamps, no exemplars). Through
 * node:http, not fetch: fetch's HTTP parser is WebAssembly, and the first fetch in a process has V8
 * compile it on a background thread — measured at ~150 ms of CPU, which a scrape right before the
 * join burst took from the machine the burst is measured on.
 */
export function scrapeMetrics(url: string): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    const request = httpGet(`${url}/metrics`, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        if (response.statusCode === 200) resolve(parseMetrics(text));
        else reject(new Error(`GET /metrics: ${response.statusCode}`));
      });
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

/** Parse Prometheus text: `name{labels} value` lines → map; comments skipped. */
export function parseMetrics(text: string): Map<string, number> {
  const metrics = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    if (space <= 0) continue;
    metrics.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return metrics;
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Send `signal` and wait for the exit; SIGKILL after `timeoutMs`. */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** The current git commit of the checkout and whether tracked files are modified, for the results. */
export function gitCommit(): { commit: string | null; dirty: boolean | null } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: repoRoot, encoding: 'utf8' });
    return { commit, dirty: status.trim() !== '' };
  } catch {
    return { commit: null, dirty: null };
  }
}
