import { split, sourceAddress, SwarmProcess } from '../lib/bots';
import { newResult, percentile, round, sleep, type BenchResult } from '../lib/report';
import { machineCpu } from '../lib/proc';
import { startBenchServer, type BenchServer, type BenchServerOptions } from '../lib/server';

/** Parameters of the join scenario. */
export interface JoinOptions {
  /** Listeners joining at the same moment. */
  listeners: number;
  botProcesses?: number;
  server?: BenchServerOptions;
  log?: (line: string) => void;
}

/** How long every listener has to hear its first packet. */
const JOIN_TIMEOUT_MS = 60_000;

/**
 * join: one speaker speaking, then M listeners released at the same moment (bot processes loaded
 * first, then told "go"). Each listener's time from starting its session (HTTP) through the room join
 * (WebSocket), the subscribe negotiation and ICE/DTLS to its first audio packet; p50/p95/max.
 *
 * Two bursts on the same server: the first after it started (its JIT, Postgres connections' caches
 * and statements cold), then — once those listeners left — the same number again, as on a server that
 * has been up a while. Each burst has fresh bot processes.
 */
export async function join(options: JoinOptions): Promise<BenchResult> {
  const log = options.log ?? (() => undefined);
  const result = newResult('join', { listeners: options.listeners, botProcesses: options.botProcesses, server: { ...options.server } });
  const server = await startBenchServer(options.server);
  const speakers = new SwarmProcess('speakers', ['--url', server.url, '--speakers', '1', '--source-address', '127.0.0.1']);
  try {
    await speakers.next('ready', 60_000);
    const roomId = speakers.room?.roomId;
    if (!roomId) throw new Error('speakers reported no room');
    log(`server ${server.url} (pid ${server.pid}), room ${roomId}`);
    for (const label of ['first after the server started', 'again, on a warm server']) {
      result.runs.push(await burst(server, roomId, options, `${options.listeners} concurrent joins, ${label}`, log));
      // Let the leaves of this burst's listeners settle before the next one.
      await sleep(1000);
    }
    return result;
  } finally {
    await speakers.stop();
    await server.stop();
  }
}

/** One burst of concurrent joins into the room, measured; its bot processes are stopped after it. */
async function burst(server: BenchServer, roomId: string, options: JoinOptions, label: string, log: (line: string) => void): Promise<BenchResult['runs'][number]> {
  const swarms: SwarmProcess[] = [];
  try {
    const processes = options.botProcesses ?? Math.max(2, Math.ceil(options.listeners / 125));
    split(options.listeners, processes).forEach((count, i) => {
      const args = ['--url', server.url, `--room=${roomId}`, '--listeners', String(count), '--join-concurrency', String(count)];
      swarms.push(new SwarmProcess(`listeners-${i}`, [...args, '--source-address', sourceAddress(i), '--wait-go']));
    });
    await Promise.all(swarms.map((swarm) => swarm.next('loaded', 60_000)));
    await sleep(1000);
    log(`releasing ${options.listeners} joins at once (${label})`);
    const releasedAt = Date.now();
    const botCpu = () => swarms.reduce((sum, swarm) => sum + swarm.proc.cpuMicros(), 0);
    const botMainCpu = () => swarms.reduce((sum, swarm) => sum + swarm.proc.mainThreadCpuMicros(), 0);
    const framesBefore = await server.metric('parley_room_broadcast_frames_total');
    const cpuAtRelease = {
      server: server.proc.cpuMicros(),
      serverMain: server.proc.mainThreadCpuMicros(),
      bots: botCpu(),
      botsMain: botMainCpu(),
      machine: machineCpu(),
    };
    for (const swarm of swarms) swarm.command('go');
    const deadline = Date.now() + JOIN_TIMEOUT_MS;
    const heard = () => swarms.reduce((sum, swarm) => sum + swarm.joins.length, 0);
    const failures = () => swarms.reduce((sum, swarm) => sum + swarm.joinFailures.length, 0);
    while (heard() + failures() < options.listeners && Date.now() < deadline) await sleep(250);
    const serverCpuMicros = server.proc.cpuMicros() - cpuAtRelease.server;
    const serverMainCpuMicros = server.proc.mainThreadCpuMicros() - cpuAtRelease.serverMain;
    const botCpuMicros = botCpu() - cpuAtRelease.bots;
    const botMainCpuMicros = botMainCpu() - cpuAtRelease.botsMain;
    const frames = (await server.metric('parley_room_broadcast_frames_total')) - framesBefore;
    const machine = machineCpu();
    const machineBusy = (machine.busyMicros - cpuAtRelease.machine.busyMicros) / (machine.totalMicros - cpuAtRelease.machine.totalMicros);
    await Promise.all(swarms.map((swarm) => swarm.freshStats()));
    const joins = swarms.flatMap((swarm) => swarm.joins);
    const firstAudio = joins.map((j) => j.firstPacketAt - j.startedAt);
    const since = (key: 'sessionAt' | 'joinedAt' | 'listeningAt') => joins.filter((j) => j[key] !== undefined).map((j) => (j[key] ?? 0) - j.startedAt);
    const negotiated = since('listeningAt');
    const sessions = since('sessionAt');
    const joined = since('joinedAt');
    const lastAudio = joins.length > 0 ? Math.max(...joins.map((j) => j.firstPacketAt)) - releasedAt : Number.NaN;
    const figures = {
      concurrentJoins: options.listeners,
      botProcesses: swarms.length,
      listenersHeardAudio: joins.length,
      joinFailures: failures(),
      connectToFirstAudioP50Ms: round(percentile(firstAudio, 50), 0),
      connectToFirstAudioP95Ms: round(percentile(firstAudio, 95), 0),
      connectToFirstAudioMaxMs: round(percentile(firstAudio, 100), 0),
      // The phases: guest session (HTTP), room joined (WebSocket + room.join), subscribe leg answered.
      connectToSessionP50Ms: round(percentile(sessions, 50), 0),
      connectToSessionP95Ms: round(percentile(sessions, 95), 0),
      connectToJoinedP50Ms: round(percentile(joined, 50), 0),
      connectToJoinedP95Ms: round(percentile(joined, 95), 0),
      connectToAnswerSentP50Ms: round(percentile(negotiated, 50), 0),
      connectToAnswerSentP95Ms: round(percentile(negotiated, 95), 0),
      releaseToLastFirstAudioMs: round(lastAudio, 0),
      // What the burst cost the server (every thread; up to the last first packet, sampled every 250 ms),
      // and how busy the whole machine was meanwhile: bots, Postgres and server share its cores.
      serverCpuMsPerJoin: round(serverCpuMicros / 1000 / Math.max(1, joins.length), 2),
      // Of which its main thread (the event loop: HTTP, WebSocket, Postgres client, room logic); the
      // rest is native threads (libdatachannel's ICE, DTLS and SRTP) and V8's helpers.
      serverMainThreadCpuMsPerJoin: round(serverMainCpuMicros / 1000 / Math.max(1, joins.length), 2),
      // The bots' share: on a machine the bots share with the server, their work delays the server's.
      botCpuMsPerJoin: round(botCpuMicros / 1000 / Math.max(1, joins.length), 2),
      botMainThreadCpuMsPerJoin: round(botMainCpuMicros / 1000 / Math.max(1, joins.length), 2),
      // Room frames (events, speaking levels) the server handed to sockets, per join: the audience's
      // arrivals go out together (RoomOutbox), so this grows far slower than the room.
      roomFramesPerJoin: round(frames / Math.max(1, joins.length), 1),
      machineCpuPercentDuringJoins: round(100 * machineBusy, 1),
    };
    const refusedReason =
      joins.length < options.listeners ? `${options.listeners - joins.length} of ${options.listeners} listeners heard nothing within ${JOIN_TIMEOUT_MS / 1000} s (${swarms.flatMap((s) => s.joinFailures).slice(0, 3).join('; ')})` : null;
    return { label, valid: refusedReason === null, refusedReason, figures };
  } finally {
    await Promise.all(swarms.map((swarm) => swarm.stop()));
  }
}
