import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
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
  /** Extra environment for the server. */
  env?: Record<string, string>;
}

/** A `parley serve` child process under measurement. */
export interface BenchServer {
  url: string;
  pid: number;
  /** CPU time and RSS of the server process, from /proc. */
  readonly proc: ProcessSampler;
  /** GET /metrics, parsed: `name{labels}` → value. */
  scrape(): Promise<Map<string, number>>;
  /** SIGINT, then wait for a clean exit (the CPU profile is written then). */
  stop(): Promise<void>;
}

/**
 * Start `parley serve` as its own process: in-memory PGlite, warnings-only logs, a session rate limit
 * high enough for a thousand bots, SFU bound to loopback. Resolves once it listens.
 */
export async function startBenchServer(options: BenchServerOptions = {}): Promise<BenchServer> {
  const rtcPort = options.rtcPort === 0 ? await freeUdpPort() : options.rtcPort;
  const args = [
    ...(options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : []),
    parleyBin,
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
    RTC_BIND_ADDRESS: '127.0.0.1',
    RTC_PORT: String(rtcPort ?? 0),
    PUBLIC_URL: '',
    DATABASE_URL: '',
    ...options.env,
  };
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`server did not start within 60 s:\n${stderr}`)), 60_000);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
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
  child.stderr?.on('data', (chunk: string) => process.stderr.write(`[server] ${chunk}`));
  const pid = child.pid;
  if (pid === undefined) throw new Error('server has no pid');
  return {
    url,
    pid,
    proc: new ProcessSampler(pid),
    scrape: () => scrapeMetrics(url),
    stop: () => stopProcess(child, 'SIGINT', 30_000),
  };
}

/** GET `<url>/metrics` and parse the Prometheus text format (no timestamps, no exemplars). */
export async function scrapeMetrics(url: string): Promise<Map<string, number>> {
  const response = await fetch(`${url}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics: ${response.status}`);
  return parseMetrics(await response.text());
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

/** A UDP port free on 127.0.0.1 right now. */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
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
