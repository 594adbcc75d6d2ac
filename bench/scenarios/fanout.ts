import { spawn } from 'node:child_process';
import { getPriority } from 'node:os';
import { split, sourceAddress, SwarmProcess, totals } from '../lib/bots';
import { machineCpu } from '../lib/proc';
import { newResult, round, sleep, type BenchResult, type BenchRun } from '../lib/report';
import { freeUdpPort } from '../../packages/server/src/media/udp-ports';
import { startBenchServer, type BenchServer, type BenchServerOptions } from '../lib/server';

/** Parameters of the fanout scenario. */
export interface FanoutOptions {
  listeners: number;
  /** Speaker counts to measure, one server run each (default 1 and 3). */
  speakers: number[];
  /** Measuring window, seconds. */
  seconds: number;
  /** Bot processes for the listeners; default one per ~125 listeners, at least 2. */
  botProcesses?: number;
  /** Server options (CPU profile, RTC port). */
  server?: BenchServerOptions;
  /**
   * Record the server with Linux `perf` (all threads, native and JIT frames via --perf-basic-prof)
   * during the measuring window into this file (one per speaker count: `<file>.<speakers>`).
   */
  perfRecord?: string;
  /**
   * Nice level of the listener bot processes (default {@link LISTENER_BOT_NICE}). The bots stand for
   * listeners on their own devices; on this machine they would otherwise compete with the server
   * they are measuring.
   */
  botNice?: number;
  /** Progress lines for the operator. */
  log?: (line: string) => void;
  /** Skip the settling waits (smoke test): the RSS figures are rough, the rest is measured as usual. */
  quick?: boolean;
  /**
   * The speakers' Opus frame duration: 20 ms (default, what browsers send: 50 packets/s), 40 or 60 ms
   * (17 packets/s). Longer frames let one machine drive more listener bots; the server's cost per
   * packet is what is measured either way.
   */
  frameMs?: 20 | 40 | 60;
}

/** Loss at listeners above this, with the bots or the machine saturated, means the bots were the bottleneck. */
const LOSS_LIMIT = 0.01;
/** A bot process above this share of one core is saturated. */
const BOT_SATURATED = 0.9;
/** The machine above this share of all cores is saturated. */
const MACHINE_SATURATED = 0.95;
/**
 * Listener bots run at this nice level by default: in production the server has its machine to
 * itself, and here ~1.3 cores of listener bots would otherwise take turns with its media thread —
 * 1,000 × 20 ms frames on 2 cores: the media loop ran 314 ms late at p99 and 22 packets were shed at
 * nice 0, 13.6 ms and none at 10.
 */
export const LISTENER_BOT_NICE = 10;

/**
 * fanout: S speakers × N listeners on one server process. Measures, over a window after the joins
 * settled: server CPU µs per forwarded packet (/proc CPU delta ÷ forwarded-packet delta from
 * /metrics), forwarded packets/s, loss at the listeners, server RSS per listener, event-loop delay p99.
 */
export async function fanout(options: FanoutOptions): Promise<BenchResult> {
  const result = newResult('fanout', { ...options, log: undefined, server: { ...options.server } });
  for (const speakers of options.speakers) result.runs.push(await fanoutRun(options, speakers));
  return result;
}

/** Start the server, the speakers and the listener swarms; the caller measures and then calls `stop`. */
export async function startAudience(options: {
  speakers: number;
  listeners: number;
  botProcesses: number;
  server?: BenchServerOptions;
  joinConcurrency?: number;
  quick?: boolean;
  frameMs?: 20 | 40 | 60;
  /** Nice level of the listener bot processes (0: as the bench). */
  botNice?: number;
  log: (line: string) => void;
}): Promise<{
  server: BenchServer;
  speakers: SwarmProcess;
  swarms: SwarmProcess[];
  /** Server memory (after a full GC) with no listener, and with the first half of them. */
  memory: { baseline: MemoryReading; midpoint: MemoryReading | undefined };
  /** Server CPU µs per second with the speakers speaking and no listener. */
  idleCpuMicrosPerSecond: number;
  joinSeconds: number;
  stop(): Promise<void>;
}> {
  const server = await startBenchServer(options.server);
  const swarms: SwarmProcess[] = [];
  const speakers = new SwarmProcess('speakers', [
    '--url', server.url, '--speakers', String(options.speakers), '--source-address', '127.0.0.1', '--frame-ms', String(options.frameMs ?? 20),
  ]);
  const stop = async () => {
    await Promise.all([speakers, ...swarms].map((swarm) => swarm.stop()));
    await server.stop();
  };
  try {
    await speakers.next('ready', 60_000);
    const roomId = speakers.room?.roomId;
    if (!roomId) throw new Error('speakers reported no room');
    options.log(`server ${server.url} (pid ${server.pid}), room ${roomId}, ${options.speakers} speaker(s)`);
    // The server's own cost with the speakers and no listener (timers, database pool, GC): per
    // forwarded packet it weighs heavily at small N, so the bench also reports the cost above it.
    const idleStart = { at: Date.now(), cpu: server.proc.cpuMicros() };
    await sleep(options.quick ? 1000 : 5000);
    const idleCpuMicrosPerSecond = ((server.proc.cpuMicros() - idleStart.cpu) * 1000) / (Date.now() - idleStart.at);
    const baseline = await memoryReading(server, 0, await server.settledRssBytes({ quick: options.quick }));
    const counts = split(options.listeners, options.botProcesses);
    // Listeners join in two halves, memory read in between: the per-listener figure is the marginal
    // cost over the second half, which no longer benefits from pages freed at start-up.
    const firstHalf = counts.length > 1 ? Math.ceil(counts.length / 2) : counts.length;
    let joinSeconds = 0;
    let failed = 0;
    let midpoint: MemoryReading | undefined;
    for (const group of [counts.slice(0, firstHalf), counts.slice(firstHalf)]) {
      if (group.length === 0) continue;
      if (swarms.length > 0) {
        await sleep(options.quick ? 500 : 3000);
        await server.collectGarbage();
        await sleep(1000);
        midpoint = await memoryReading(server, totals(swarms).listening, server.proc.rssBytes());
      }
      const joinStarted = Date.now();
      const started: SwarmProcess[] = [];
      for (const count of group) {
        const i = swarms.length;
        // With a port per server peer, each bot process's peers share one UDP port (see udpMuxPort).
        const mux = server.rtcPort === undefined ? ['--udp-mux-port', String(await freeUdpPort())] : [];
        const swarm = new SwarmProcess(`listeners-${i}`, [
          '--url', server.url, `--room=${roomId}`, '--listeners', String(count),
          '--source-address', sourceAddress(i), '--join-concurrency', String(options.joinConcurrency ?? 8), ...mux,
        ], options.botNice);
        swarms.push(swarm);
        started.push(swarm);
      }
      const progress = setInterval(() => {
        const joined = totals(swarms);
        const reason = swarms.flatMap((swarm) => [...swarm.joinRetries, ...swarm.joinFailures]).at(-1);
        options.log(`… ${joined.listening} listening, ${joined.failed} failed${reason ? ` (latest: ${reason})` : ''}`);
      }, 15_000);
      const ready = await Promise.all(started.map((swarm) => swarm.next('ready', 10 * 60_000))).finally(() => clearInterval(progress));
      joinSeconds += (Date.now() - joinStarted) / 1000;
      failed += ready.reduce((sum, fields) => sum + Number(fields.failed ?? 0), 0);
      await Promise.all(started.map((swarm) => swarm.freshStats()));
    }
    options.log(`${options.listeners - failed} listeners joined in ${joinSeconds.toFixed(1)} s (${failed} failed)`);
    return { server, speakers, swarms, memory: { baseline, midpoint }, idleCpuMicrosPerSecond, joinSeconds, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function fanoutRun(options: FanoutOptions, speakerCount: number): Promise<BenchRun> {
  const log = options.log ?? (() => undefined);
  // Bigger bot processes batch better (a bot pays per wake-up, not only per packet): ~250 each.
  const botProcesses = options.botProcesses ?? Math.max(2, Math.ceil(options.listeners / 250));
  const botNice = options.botNice ?? LISTENER_BOT_NICE;
  const serverOptions = options.perfRecord ? { ...options.server, nodeOptions: ['--perf-basic-prof'] } : options.server;
  const audience = await startAudience({ speakers: speakerCount, listeners: options.listeners, botProcesses, server: serverOptions, quick: options.quick, frameMs: options.frameMs, botNice, log });
  const { server, speakers, swarms } = audience;
  try {
    // Let every subscribe leg connect and the slots settle before measuring.
    await sleep(options.quick ? 1500 : 5000);
    const start = await snapshot(server, speakers, swarms);
    log(`measuring for ${options.seconds} s (speakers' publish legs: ${JSON.stringify(speakers.stats?.publishLegs ?? {})}) …`);
    const perf = options.perfRecord
      ? spawn('perf', ['record', '-F', '499', '-g', '-p', String(server.pid), '-o', `${options.perfRecord}.${speakerCount}`, '--', 'sleep', String(options.seconds)], { stdio: 'ignore' })
      : undefined;
    let peakRss = 0;
    const deadline = Date.now() + options.seconds * 1000;
    while (Date.now() < deadline) {
      await sleep(Math.min(1000, deadline - Date.now()));
      peakRss = Math.max(peakRss, server.proc.rssBytes());
    }
    const end = await snapshot(server, speakers, swarms);
    if (perf && perf.exitCode === null) await new Promise((resolve) => perf.once('exit', resolve));
    await server.collectGarbage();
    await sleep(1000);
    const final = await memoryReading(server, end.bots.listening, server.proc.rssBytes());
    const { baseline, midpoint } = audience.memory;
    const from = midpoint ?? baseline;
    const perListenerKB = (key: 'rssBytes' | 'heapBytes', since: MemoryReading) =>
      final.listeners > since.listeners ? round((final[key] - since[key]) / 1024 / (final.listeners - since.listeners), 1) : null;

    const seconds = (end.at - start.at) / 1000;
    const forwarded = end.forwarded - start.forwarded;
    const cpuMicros = end.cpuMicros - start.cpuMicros;
    const received = end.bots.received - start.bots.received;
    const gapLost = end.bots.lost - start.bots.lost;
    const sent = end.speakersSent - start.speakersSent;
    const listening = end.bots.listening;
    const notDelivered = Math.max(0, forwarded - received);
    const lossRatio = forwarded > 0 ? Math.max(notDelivered, gapLost) / forwarded : 1;
    // Packets the server shed as late (load shedding) are gaps at every listener of that speaker, but
    // the server's doing: what the bots lost is what was sent and not received.
    const shedLate = (end.metrics.get('parley_rtp_packets_late_total') ?? 0) - (start.metrics.get('parley_rtp_packets_late_total') ?? 0);
    const botLost = Math.max(notDelivered, gapLost - shedLate * listening);
    const botLossRatio = forwarded > 0 ? botLost / forwarded : 1;
    const threadPercent = (role: string) => round((100 * ((end.threads.get(role)?.cpuMicros ?? 0) - (start.threads.get(role)?.cpuMicros ?? 0))) / (seconds * 1_000_000), 1);
    const botCpu = swarms.map((swarm, i) => ((end.botCpu[i] ?? 0) - (start.botCpu[i] ?? 0)) / (seconds * 1_000_000));
    const machineMicros = end.machine.totalMicros - start.machine.totalMicros;
    const machineBusy = (end.machine.busyMicros - start.machine.busyMicros) / machineMicros;
    const figures = {
      speakers: speakerCount,
      listeners: options.listeners,
      listenersConnected: listening,
      botProcesses,
      // Read back from the first listener process, not echoed from the option.
      listenerBotNice: swarms[0] ? getPriority(swarms[0].proc.pid) : null,
      speakerFrameMs: options.frameMs ?? 20,
      serverStorage: server.storage,
      windowSeconds: round(seconds, 1),
      serverCpuMicrosPerForwardedPacket: forwarded > 0 ? round(cpuMicros / forwarded, 2) : null,
      serverCpuMicrosPerForwardedPacketAboveIdle:
        forwarded > 0 ? round((cpuMicros - audience.idleCpuMicrosPerSecond * seconds) / forwarded, 2) : null,
      serverCpuPercentOfOneCore: round((100 * cpuMicros) / (seconds * 1_000_000), 1),
      serverIdleCpuPercentOfOneCore: round(audience.idleCpuMicrosPerSecond / 10_000, 2),
      // The server's CPU by thread: the signalling loop, the rest of Node (the media thread,
      // forwarding), libjuice's ICE threads (their every wake-up walks every peer on their port, see
      // docs/performance.md) and how often those wake.
      serverMainThreadCpuPercentOfOneCore: threadPercent('main'),
      serverOtherNodeThreadsCpuPercentOfOneCore: threadPercent('other'),
      serverIceThreadsCpuPercentOfOneCore: threadPercent('ice'),
      serverIceThreadWakeupsPerSecond: round(((end.threads.get('ice')?.wakeups ?? 0) - (start.threads.get('ice')?.wakeups ?? 0)) / seconds, 0),
      forwardedPacketsPerSecond: round(forwarded / seconds, 0),
      expectedPacketsPerSecond: round((sent / seconds) * Math.min(listening, options.listeners), 0),
      speakerPacketsPerSecond: round(sent / seconds, 1),
      listenerPacketsPerSecond: round(received / seconds, 0),
      listenerLossPercent: round(100 * lossRatio, 3),
      listenerSequenceGapPackets: gapLost,
      // Of the loss: what the server sent and the bots did not receive (the rest the server shed).
      botLossPercent: round(100 * botLossRatio, 3),
      serverRssBytes: end.rssBytes,
      serverRssPeakBytes: peakRss,
      serverRssBaselineBytes: baseline.rssBytes,
      serverRssAfterGcBytes: final.rssBytes,
      serverRssPerListenerKB: perListenerKB('rssBytes', from),
      serverRssPerListenerFromEmptyKB: perListenerKB('rssBytes', baseline),
      serverJsHeapPerListenerKB: perListenerKB('heapBytes', from),
      // How late the event loop ran (the histograms' figures less their sampling interval): the
      // signalling thread (HTTP, WebSockets, timers) …
      eventLoopDelayP99Ms: loopLateMs(end.metrics, 'nodejs_eventloop_lag_p99_seconds'),
      eventLoopDelayMaxMs: loopLateMs(end.metrics, 'nodejs_eventloop_lag_max_seconds'),
      // … and the media thread, which forwards (absent with MEDIA_THREAD=main).
      mediaEventLoopDelayP99Ms: loopLateMs(end.metrics, 'parley_media_eventloop_lag_p99_seconds'),
      mediaEventLoopDelayMaxMs: loopLateMs(end.metrics, 'parley_media_eventloop_lag_max_seconds'),
      serverCpuMicrosPerPacketRollingMetric: round(end.metrics.get('parley_cpu_microseconds_per_forwarded_packet') ?? Number.NaN, 2),
      sendFailures: (end.metrics.get('parley_rtp_send_failures_total') ?? 0) - (start.metrics.get('parley_rtp_send_failures_total') ?? 0),
      // Speaker packets shed because they reached the loop over 300 ms late (each would have gone to every listener).
      speakerPacketsShedLate: shedLate,
      botCpuPercentOfOneCoreMax: round(100 * Math.max(...botCpu), 1),
      machineCpuPercent: round(100 * machineBusy, 1),
      // Of the machine's time, what the hypervisor gave to other guests while this one wanted to run.
      machineStealPercent: round((100 * (end.machine.stealMicros - start.machine.stealMicros)) / machineMicros, 1),
      joinSeconds: round(audience.joinSeconds, 1),
      joinRetries: swarms.reduce((sum, swarm) => sum + swarm.joinRetries.length, 0),
    };
    let refusedReason: string | null = null;
    if (listening < options.listeners) {
      const reasons = [...new Set(swarms.flatMap((swarm) => swarm.joinFailures))].slice(0, 3).join('; ');
      refusedReason = `only ${listening} of ${options.listeners} listeners connected (${reasons || 'no reason reported'})`;
    }
    else if (forwarded === 0) {
      refusedReason = `nothing was forwarded (speakers: ${JSON.stringify(speakers.stats?.publishLegs ?? {})}, sessions closed: ${speakers.sessionClosures.join(', ') || 'none'})`;
    }
    else if (botLossRatio > LOSS_LIMIT && (Math.max(...botCpu) > BOT_SATURATED || machineBusy > MACHINE_SATURATED)) {
      refusedReason = `bots lost ${(100 * botLossRatio).toFixed(1)}% of what the server sent while ${machineBusy > MACHINE_SATURATED ? 'the machine' : 'a bot process'} was saturated: the bots, not the server, are the bottleneck`;
    }
    return { label: `${speakerCount} speaker${speakerCount === 1 ? '' : 's'} × ${options.listeners} listeners`, valid: refusedReason === null, refusedReason, figures };
  } finally {
    await audience.stop();
  }
}

async function snapshot(server: BenchServer, speakers: SwarmProcess, swarms: readonly SwarmProcess[]) {
  // Fresh bot reports first (a few ms), then the server: the two sides see the same window.
  await Promise.all([speakers, ...swarms].map((swarm) => swarm.freshStats()));
  const cpuMicros = server.proc.cpuMicros();
  const threads = server.proc.threadRoles();
  const metrics = await server.scrape();
  return {
    at: Date.now(),
    cpuMicros,
    threads,
    metrics,
    forwarded: metrics.get('parley_rtp_packets_forwarded_total') ?? 0,
    rssBytes: server.proc.rssBytes(),
    bots: totals(swarms),
    botCpu: swarms.map((swarm) => swarm.proc.cpuMicros()),
    speakersSent: speakers.stats?.packetsSent ?? 0,
    machine: machineCpu(),
  };
}

/** Server memory after a full GC, with `listeners` connected. */
interface MemoryReading {
  listeners: number;
  rssBytes: number;
  heapBytes: number;
}

async function memoryReading(server: BenchServer, listeners: number, rssBytes: number): Promise<MemoryReading> {
  const metrics = await server.scrape();
  // Both isolates: the main thread's and, when the SFU has its own thread, the media thread's.
  const heapBytes = (metrics.get('nodejs_heap_size_used_bytes') ?? 0) + (metrics.get('parley_media_heap_used_bytes') ?? 0);
  return { listeners, rssBytes, heapBytes };
}

/**
 * How late an event loop ran, ms: an event-loop histogram's figure (`name`, seconds) less the
 * interval it samples at (`parley_eventloop_sample_interval_seconds`; 10 ms on servers that predate
 * that metric), since the histogram records the time between two firings of a repeating timer.
 */
function loopLateMs(metrics: ReadonlyMap<string, number>, name: string): number {
  const interval = metrics.get('parley_eventloop_sample_interval_seconds') ?? 0.01;
  return round(1000 * Math.max(0, (metrics.get(name) ?? Number.NaN) - interval), 1);
}
