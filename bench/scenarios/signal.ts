import { ParleyClient, silentLogger, type MediaAdapter, type RoomSession } from '@parley/client';
import { split, sourceAddress, SwarmProcess } from '../lib/bots';
import { createInviteCode, signUpMember } from '../lib/net';
import { newResult, percentile, round, sleep, type BenchResult } from '../lib/report';
import { startBenchServer, type BenchServerOptions } from '../lib/server';

/** Parameters of the signal scenario. */
export interface SignalOptions {
  /** WebSocket clients watching the room. */
  clients: number;
  /** Hands raised (each one is a sample from every client). */
  rounds: number;
  /** Full SDK clients (parse, validate, fold state) instead of bare WebSocket watchers. */
  sdkClients?: boolean;
  botProcesses?: number;
  server?: BenchServerOptions;
  log?: (line: string) => void;
}

/** Signalling-only clients never open a peer. */
const noMedia: MediaAdapter = {
  publish: () => Promise.reject(new Error('the signal bench does not publish')),
  subscribe: () => Promise.reject(new Error('the signal bench does not listen')),
  close: () => undefined,
};

/**
 * signal: N WebSocket clients in one room (signalling only, no media); a listener raises a hand
 * `rounds` times; every client records when its room state shows the hand. Latency = seen − the
 * moment the raise was sent (one machine, one clock), p50/p95/max over every client and round.
 */
export async function signal(options: SignalOptions): Promise<BenchResult> {
  const log = options.log ?? (() => undefined);
  const result = newResult('signal', { clients: options.clients, rounds: options.rounds, botProcesses: options.botProcesses, server: { ...options.server } });
  const server = await startBenchServer(options.server);
  const swarms: SwarmProcess[] = [];
  let host: ParleyClient | undefined;
  let raiser: ParleyClient | undefined;
  try {
    // Hosting and raising a hand take member accounts: the host is the fresh server's first and
    // invites the raiser.
    const hostTransport = await signUpMember(server.url, '127.0.0.1', 'Bench host');
    host = new ParleyClient({ baseUrl: server.url, logger: silentLogger, ...hostTransport });
    const room = await host.rooms.create('Signal bench');
    await host.joinRoom(room.id, { media: noMedia });
    const inviteCode = await createInviteCode(server.url, hostTransport);
    raiser = new ParleyClient({ baseUrl: server.url, logger: silentLogger, ...(await signUpMember(server.url, '127.0.0.1', 'Hand raiser', inviteCode)) });
    const raiserSession = await raiser.joinRoom(room.id, { media: noMedia });
    log(`server ${server.url} (pid ${server.pid}), room ${room.id}`);

    const fillStarted = Date.now();
    const framesBeforeFill = await server.metric('parley_room_broadcast_frames_total');
    const processes = options.botProcesses ?? Math.max(2, Math.ceil(options.clients / 1000));
    split(options.clients, processes).forEach((count, i) => {
      const args = ['--url', server.url, `--room=${room.id}`, '--listeners', String(count), '--signal-only', '--join-concurrency', '16', ...(options.sdkClients ? [] : ['--raw'])];
      swarms.push(new SwarmProcess(`clients-${i}`, [...args, '--source-address', sourceAddress(i)]));
    });
    const ready = await Promise.all(swarms.map((swarm) => swarm.next('ready', 10 * 60_000)));
    const joined = ready.reduce((sum, fields) => sum + Number(fields.listeners ?? 0), 0);
    const fillSeconds = (Date.now() - fillStarted) / 1000;
    const fillFrames = (await server.metric('parley_room_broadcast_frames_total')) - framesBeforeFill;
    log(`${joined} clients in the room`);
    await sleep(2000);

    const latencies: number[] = [];
    const perRoundP95: number[] = [];
    let incomplete = 0;
    const before = await server.scrape();
    for (let round = 0; round < options.rounds; round += 1) {
      const sentAt = Date.now();
      await raiserSession.raiseHand();
      const key = await handKey(raiserSession);
      const seen = await collect(swarms, key, joined, 10_000);
      if (seen.length < joined) incomplete += 1;
      const samples = seen.map((at) => at - sentAt);
      latencies.push(...samples);
      perRoundP95.push(percentile(samples, 95));
      await raiserSession.lowerHand();
      await sleep(500);
    }
    // The server's share: how long handing one room message to every socket took (raise and lower).
    const after = await server.scrape();
    const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    const broadcasts = delta('parley_room_broadcasts_total');
    const figures = {
      clients: joined,
      clientKind: options.sdkClients ? 'sdk' : 'raw websocket',
      rounds: options.rounds,
      botProcesses: swarms.length,
      samples: latencies.length,
      handSeenP50Ms: round(percentile(latencies, 50), 0),
      handSeenP95Ms: round(percentile(latencies, 95), 0),
      handSeenMaxMs: round(percentile(latencies, 100), 0),
      worstRoundP95Ms: round(Math.max(...perRoundP95), 0),
      serverBroadcastMeanMs: broadcasts > 0 ? round((1000 * delta('parley_room_broadcast_seconds_total')) / broadcasts, 1) : null,
      serverBroadcastFramesPerBroadcast: broadcasts > 0 ? round(delta('parley_room_broadcast_frames_total') / broadcasts, 0) : null,
      roundsWithMissingClients: incomplete,
      // Filling the room: how long, and how many room frames the server sent meanwhile (each arrival
      // reaches everyone already there; the audience's changes travel in batches).
      fillSeconds: round(fillSeconds, 1),
      fillRoomFramesPerClient: round(fillFrames / Math.max(1, joined), 1),
      serverRssBytes: server.proc.rssBytes(),
    };
    const refusedReason =
      joined < options.clients ? `only ${joined} of ${options.clients} clients joined` : incomplete > 0 ? `${incomplete} rounds where some clients never saw the hand` : null;
    result.runs.push({ label: `${joined} clients`, valid: refusedReason === null, refusedReason, figures });
    return result;
  } finally {
    host?.close();
    raiser?.close();
    await Promise.all(swarms.map((swarm) => swarm.stop()));
    await server.stop();
  }
}

/** The raiser's `handRaisedAt`, once its own state shows it: the key clients report under. */
async function handKey(session: RoomSession): Promise<string> {
  for (let i = 0; i < 500; i += 1) {
    const at = session.me?.handRaisedAt;
    if (at) return at;
    await sleep(10);
  }
  throw new Error('the raised hand never showed in the raiser’s own state');
}

/** Every client's sighting of the hand `key` (polling the swarms' reports), up to `timeoutMs`. */
async function collect(swarms: readonly SwarmProcess[], key: string, expected: number, timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  // Asking for reports makes the bots do work: not while the hand is on its way.
  await sleep(300);
  for (;;) {
    await Promise.all(swarms.map((swarm) => swarm.freshStats()));
    const seen = swarms.flatMap((swarm) => swarm.handSeen.get(key) ?? []);
    if (seen.length >= expected || Date.now() > deadline) return seen;
    await sleep(200);
  }
}
