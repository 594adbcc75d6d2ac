/**
 * `parley bench <scenario>` / `npm run bench -- <scenario>`: run a benchmark scenario against a real
 * server process with bot processes around it, print a table, write bench/results/<scenario>.json.
 * Scenarios and their figures: docs/performance.md.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stopAll } from './lib/children';
import { profileBots } from './lib/bots';
import type { Calibration } from './lib/proc';
import { formatTable, writeResult, type BenchResult } from './lib/report';
import { repoRoot, type BenchServerOptions } from './lib/server';
import { churn } from './scenarios/churn';
import { fanout } from './scenarios/fanout';
import { join as joinScenario } from './scenarios/join';
import { signal } from './scenarios/signal';

/** Where the bench writes. */
export interface BenchIo {
  out(line: string): void;
  err(line: string): void;
}

export const benchUsage = `Usage: parley bench <scenario> [options]     (or: npm run bench -- <scenario> [options])

Scenarios:
  fanout   S speakers × N listeners: server CPU µs per forwarded packet, packets/s, loss, RSS per
           listener, event-loop delay p99           [--listeners 50] [--speakers 1,3] [--seconds 20]
  join     M listeners joining at once: connect → first audio packet p50/p95    [--listeners 50]
           (two bursts on one server: right after it starts, then again once warm)
  signal   a hand raised → seen by N WebSocket clients p50/p95  [--listeners 1000] [--rounds 10]
           (bare WebSocket watchers; --sdk for full SDK clients, whose own work then counts too)
  churn    listeners joining and leaving for T seconds: RSS and handle drift
           [--rate 5 joins/s] [--hold-seconds 10] [--seconds 120]

Options:
  --bot-processes P   bot processes (default: one per ~250 listeners, at least 2)
  --bot-nice N        fanout: the listener bots' nice level (default 10: in production the server has
                      its machine to itself; 0 lets the bots compete with it on equal terms)
  --rtc-port N        one UDP port for every peer (ICE mux; default) — "none" for one port per peer
  --rtc-ports K       spread the peers over K mux ports from --rtc-port on (the server's RTC_PORTS;
                      default 1)
  --storage S         postgres (default when BENCH_DATABASE_URL or 127.0.0.1:5432 answers: a scratch
                      database, dropped after) or pglite (embedded; its heap makes RSS figures noisy)
  --media-thread T    worker (default: the SFU on its own thread) or main (on the signalling thread,
                      as before 2026-12-05) — the server's MEDIA_THREAD
  --cpu-prof          write the server's V8 CPU profile to bench/results/profiles/
  --cpu-prof-bots     write every bot process's V8 CPU profile to bench/results/profiles/bots/
  --perf FILE         fanout: record the server with Linux perf during the window (FILE.<speakers>)
  --server-root DIR   run the server from another tree (an older commit: bench/tools/server-tree.sh)
                      while bots and measuring stay this checkout's — for before/after comparisons
  --frame-ms 20|40|60 fanout: the speakers' Opus frame length (60: a third of the packets, so one
                      machine can drive three times the listener bots; cost per packet as before)
  --quick             fanout: skip the memory-settling waits (smoke test; RSS figures rough)
  --out FILE          write the JSON there instead of bench/results/<scenario>.json
`;

/** Run the bench command line; resolves with the exit code (1 when a run was refused). */
export async function runBench(args: string[], io: BenchIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      listeners: { type: 'string' },
      speakers: { type: 'string' },
      seconds: { type: 'string' },
      rounds: { type: 'string' },
      rate: { type: 'string' },
      'hold-seconds': { type: 'string' },
      'bot-processes': { type: 'string' },
      'bot-nice': { type: 'string' },
      'rtc-port': { type: 'string', default: '0' },
      'rtc-ports': { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      'cpu-prof-bots': { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      sdk: { type: 'boolean', default: false },
      'frame-ms': { type: 'string', default: '20' },
      perf: { type: 'string' },
      storage: { type: 'string' },
      'server-root': { type: 'string' },
      'media-thread': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const scenario = positionals[0];
  if (values.help || scenario === undefined) {
    (values.help ? io.out : io.err)(benchUsage);
    return values.help ? 0 : 2;
  }
  const number = (flag: string, value: string | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${flag} must be a positive number`);
    return n;
  };
  const cpuProfDir = values['cpu-prof'] ? join(repoRoot, 'bench', 'results', 'profiles') : undefined;
  if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
  if (values['cpu-prof-bots']) {
    const dir = join(repoRoot, 'bench', 'results', 'profiles', 'bots');
    mkdirSync(dir, { recursive: true });
    profileBots(dir);
  }
  const rtcPortFlag = values['rtc-port'];
  const rtcPort = rtcPortFlag === 'none' ? undefined : rtcPortFlag === '0' ? 0 : number('rtc-port', rtcPortFlag, 0);
  const storageFlag = values.storage;
  if (storageFlag !== undefined && storageFlag !== 'postgres' && storageFlag !== 'pglite') throw new Error('--storage must be postgres or pglite');
  const mediaThread = values['media-thread'];
  if (mediaThread !== undefined && mediaThread !== 'worker' && mediaThread !== 'main') throw new Error('--media-thread must be worker or main');
  const server: BenchServerOptions = {
    cpuProfDir,
    rtcPort,
    rtcPorts: values['rtc-ports'] === undefined ? undefined : number('rtc-ports', values['rtc-ports'], 1),
    storage: storageFlag,
    serverRoot: values['server-root'],
    ...(mediaThread ? { env: { MEDIA_THREAD: mediaThread } } : {}),
  };
  const botProcesses = values['bot-processes'] === undefined ? undefined : number('bot-processes', values['bot-processes'], 2);
  const log = (line: string) => io.err(`[bench] ${line}`);
  // Interrupted: stop the server and the bots before going (they are our children, nobody else's).
  const interrupted = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping the server and the bots`);
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  const run = async (): Promise<BenchResult | undefined> => {
    switch (scenario) {
      case 'fanout':
        return fanout({
          listeners: number('listeners', values.listeners, 50),
          speakers: (values.speakers ?? '1,3').split(',').map((s) => number('speakers', s, 1)),
          seconds: number('seconds', values.seconds, 20),
          botProcesses,
          server,
          perfRecord: values.perf,
          quick: values.quick,
          frameMs: frameMs(values['frame-ms']),
          botNice: botNice(values['bot-nice']),
          log,
        });
      case 'join':
        return joinScenario({ listeners: number('listeners', values.listeners, 50), botProcesses, server, log });
      case 'signal':
        return signal({
          clients: number('listeners', values.listeners, 1000),
          rounds: number('rounds', values.rounds, 10),
          sdkClients: values.sdk,
          botProcesses,
          server,
          log,
        });
      case 'churn':
        return churn({
          perSecond: number('rate', values.rate, 5),
          holdSeconds: number('hold-seconds', values['hold-seconds'], 10),
          seconds: number('seconds', values.seconds, 120),
          botProcesses,
          server,
          log,
        });
      default:
        return undefined;
    }
  };
  let result: BenchResult | undefined;
  try {
    result = await run();
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
  if (!result) {
    io.err(`unknown scenario "${scenario}"\n\n${benchUsage}`);
    return 2;
  }
  if (cpuProfDir) log(`server CPU profile(s) in ${cpuProfDir}`);
  const path = writeResult(result, values.out);
  io.out(formatTable(result));
  const calibration = result.machine.calibration as Calibration | undefined;
  if (calibration) {
    io.out(
      `\nmachine pace at the start (CPU µs per op; compare runs whose pace agrees): SHA-256 of 64 KiB ${calibration.sha256Of64KiBMicros}, ` +
        `system call ${calibration.syscallMicros}, JSON round trip ${calibration.jsonRoundTripMicros}`,
    );
  }
  io.out(`\nwritten to ${path}`);
  const refused = result.runs.filter((run) => !run.valid);
  for (const run of refused) io.err(`REFUSED ${run.label}: ${run.refusedReason ?? ''}`);
  return refused.length > 0 ? 1 : 0;
}

function botNice(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const nice = Number(value);
  if (!Number.isInteger(nice) || nice < 0 || nice > 19) throw new Error('--bot-nice must be an integer from 0 to 19');
  return nice;
}

function frameMs(value: string): 20 | 40 | 60 {
  const ms = Number(value);
  if (ms !== 20 && ms !== 40 && ms !== 60) throw new Error('--frame-ms must be 20, 40 or 60');
  return ms;
}
