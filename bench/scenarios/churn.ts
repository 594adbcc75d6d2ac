import { sourceAddress, split, SwarmProcess, totals } from '../lib/bots';
import { newResult, round, sleep, type BenchResult } from '../lib/report';
import { startBenchServer, type BenchServer, type BenchServerOptions } from '../lib/server';

/** Parameters of the churn scenario. */
export interface ChurnOptions {
  /** Listeners joining per second (each leaves after `holdSeconds`). */
  perSecond: number;
  holdSeconds: number;
  /** How long the churn runs. */
  seconds: number;
  botProcesses?: number;
  server?: BenchServerOptions;
  log?: (line: string) => void;
}

/** Server gauges sampled during the run. */
interface Sample {
  atSeconds: number;
  rssBytes: number;
  heapUsedBytes: number;
  handles: number;
  openFiles: number;
  threads: number;
  subscribeLegs: number;
}

const SAMPLE_EVERY_MS = 5000;

/**
 * churn: one speaker speaking; listeners join at R per second and each leaves after H seconds, for T
 * seconds (steady state ≈ R×H listeners). Server RSS, JS heap, libuv handles, open files and threads
 * are sampled every 5 s; the drift is the least-squares slope over the steady state (after the first
 * H + 10 s). After the churn stops and everyone left, the SFU must hold no subscribe leg.
 */
export async function churn(options: ChurnOptions): Promise<BenchResult> {
  const log = options.log ?? (() => undefined);
  const result = newResult('churn', { ...options, log: undefined, server: { ...options.server } });
  const server = await startBenchServer(options.server);
  const speakers = new SwarmProcess('speakers', ['--url', server.url, '--speakers', '1', '--source-address', '127.0.0.1']);
  const swarms: SwarmProcess[] = [];
  try {
    await speakers.next('ready', 60_000);
    const roomId = speakers.room?.roomId;
    if (!roomId) throw new Error('speakers reported no room');
    log(`server ${server.url} (pid ${server.pid}), room ${roomId}; churning ${options.perSecond}/s × ${options.holdSeconds} s for ${options.seconds} s`);
    await sleep(2000);
    const before = await sample(server, 0);
    const processes = options.botProcesses ?? 2;
    const startedAt = Date.now();
    // Each process churns its share of the rate (split() works in whole listeners: use thousandths).
    split(Math.round(options.perSecond * 1000), processes).forEach((milli, i) => {
      const args = ['--url', server.url, `--room=${roomId}`, '--churn-rate', String(milli / 1000), '--hold-seconds', String(options.holdSeconds)];
      swarms.push(new SwarmProcess(`churn-${i}`, [...args, '--source-address', sourceAddress(i)]));
    });
    const samples: Sample[] = [];
    const deadline = startedAt + options.seconds * 1000;
    while (Date.now() < deadline) {
      await sleep(Math.min(SAMPLE_EVERY_MS, deadline - Date.now()));
      samples.push(await sample(server, (Date.now() - startedAt) / 1000));
    }
    await Promise.all(swarms.map((swarm) => swarm.freshStats()));
    const bots = totals(swarms);
    const created = swarms.reduce((sum, swarm) => sum + (swarm.stats?.created ?? 0), 0);
    const left = swarms.reduce((sum, swarm) => sum + (swarm.stats?.left ?? 0), 0);
    log(`stopping the churn (${created} joined, ${left} left, ${bots.failed} failed); waiting for the rest to leave`);
    await Promise.all(swarms.map((swarm) => swarm.stop()));
    await sleep(10_000);
    const after = await sample(server, (Date.now() - startedAt) / 1000);

    const steady = samples.filter((s) => s.atSeconds >= options.holdSeconds + 10);
    const first = steady[0];
    const last = steady[steady.length - 1];
    const perMinute = (key: keyof Sample, unit = 1, over = steady) => round((slope(over, key) * 60) / unit, 2);
    // RSS climbs early on while the allocator's arenas and the heap reach their working size; the
    // second half of the steady state shows whether it keeps climbing (a leak) or has levelled off.
    const lastHalf = steady.slice(Math.floor(steady.length / 2));
    const figures = {
      joinsPerSecond: options.perSecond,
      holdSeconds: options.holdSeconds,
      runSeconds: options.seconds,
      listenersJoined: created,
      listenersLeft: left,
      joinFailures: bots.failed,
      packetsReceived: bots.received,
      listenerLossPercent: bots.received > 0 ? round((100 * bots.lost) / (bots.received + bots.lost), 3) : null,
      steadySamples: steady.length,
      rssSteadyStartMB: first ? round(first.rssBytes / 2 ** 20, 1) : null,
      rssSteadyEndMB: last ? round(last.rssBytes / 2 ** 20, 1) : null,
      rssDriftMBPerMinute: perMinute('rssBytes', 2 ** 20),
      rssDriftLastHalfMBPerMinute: lastHalf.length >= 3 ? perMinute('rssBytes', 2 ** 20, lastHalf) : null,
      heapDriftMBPerMinute: perMinute('heapUsedBytes', 2 ** 20),
      heapDriftLastHalfMBPerMinute: lastHalf.length >= 3 ? perMinute('heapUsedBytes', 2 ** 20, lastHalf) : null,
      handlesDriftPerMinute: perMinute('handles'),
      openFilesDriftPerMinute: perMinute('openFiles'),
      handlesBefore: before.handles,
      handlesAfterAllLeft: after.handles,
      openFilesBefore: before.openFiles,
      openFilesAfterAllLeft: after.openFiles,
      threadsBefore: before.threads,
      threadsAfterAllLeft: after.threads,
      subscribeLegsAfterAllLeft: after.subscribeLegs,
      rssBeforeMB: round(before.rssBytes / 2 ** 20, 1),
      rssAfterAllLeftMB: round(after.rssBytes / 2 ** 20, 1),
    };
    const refusedReason = steady.length < 3 ? 'run too short for a steady state (need --seconds ≥ hold + 25)' : created === 0 ? 'nobody joined' : null;
    result.runs.push({ label: `${options.perSecond}/s × ${options.holdSeconds} s for ${options.seconds} s`, valid: refusedReason === null, refusedReason, figures });
    result.series = { samples: [before, ...samples, after] };
    return result;
  } finally {
    await Promise.all([speakers, ...swarms].map((swarm) => swarm.stop()));
    await server.stop();
  }
}

async function sample(server: BenchServer, atSeconds: number): Promise<Sample> {
  const metrics = await server.scrape();
  return {
    atSeconds: round(atSeconds, 1),
    rssBytes: server.proc.rssBytes(),
    heapUsedBytes: metrics.get('nodejs_heap_size_used_bytes') ?? 0,
    handles: metrics.get('nodejs_active_handles_total') ?? 0,
    openFiles: server.proc.openFiles(),
    threads: server.proc.threads(),
    subscribeLegs: metrics.get('parley_media_legs{leg="subscribe"}') ?? 0,
  };
}

/** Least-squares slope of `key` over time (units per second). */
function slope(samples: readonly Sample[], key: keyof Sample): number {
  if (samples.length < 2) return 0;
  const n = samples.length;
  const meanX = samples.reduce((sum, s) => sum + s.atSeconds, 0) / n;
  const meanY = samples.reduce((sum, s) => sum + s[key], 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.atSeconds - meanX) * (s[key] - meanY);
    den += (s.atSeconds - meanX) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
