import { parseArgs } from 'node:util';
import { ParleyClient, type Logger, type RoomCloseReason, type RoomSession } from '@parley/client';
import type { NodeMediaAdapter, NodeMediaAdapterOptions } from '@parley/client/node';
import { logLevel, parseRoomLink, positiveNumber, serverUrl, stderrLogger, stopSignal, timeOr, UsageError, type Io } from '../cli';

/** What a bot body gets: a client with a session, the Node media adapter, and the stop signal. */
interface BotContext {
  client: ParleyClient;
  media: NodeMediaAdapter;
  /** Resolves with `'signal'` on SIGINT/SIGTERM. */
  stopped: Promise<'signal'>;
  logger: Logger;
}

/**
 * Run a bot with everything it holds released at the end, whatever happens: the room session (by
 * closing the client), the peers, and node-datachannel's native threads (without which the process
 * never exits).
 */
async function runBot<T>(
  options: { baseUrl: string; displayName: string; token: string | undefined; media: NodeMediaAdapterOptions; logger: Logger; io: Io },
  body: (bot: BotContext) => Promise<T>,
): Promise<T> {
  // Loaded here so that `parley serve` and `migrate` never load the native module through the CLI.
  const { NodeMediaAdapter, releaseNativeResources } = await import('@parley/client/node');
  const client = new ParleyClient({ baseUrl: options.baseUrl, logger: options.logger, ...(options.token ? { token: options.token } : {}) });
  const media = new NodeMediaAdapter(options.media);
  const stop = stopSignal(options.io);
  try {
    // With a token the bot is that account; without one, a guest with a display name (listening only).
    if (!options.token) await client.session.start(options.displayName);
    return await body({ client, media, stopped: stop.stopped.then(() => 'signal' as const), logger: options.logger });
  } finally {
    stop.dispose();
    client.close();
    media.close();
    releaseNativeResources();
  }
}

/** The personal API token from `--token`, else from PARLEY_TOKEN. */
function botToken(flag: string | undefined): string | undefined {
  const token = flag ?? process.env.PARLEY_TOKEN;
  return token === undefined || token.trim() === '' ? undefined : token.trim();
}

/** Resolves with the reason when the session closes. */
function closedReason(session: RoomSession): Promise<RoomCloseReason> {
  return new Promise((resolve) => {
    if (session.closed) resolve(session.closed);
    else session.on('closed', resolve);
  });
}

const commonOptions = {
  name: { type: 'string' },
  token: { type: 'string' },
  'log-level': { type: 'string' },
} as const;

/**
 * `parley bot host --url <server> --token <t> --title <t> --tone <hz> --seconds <n>`: open a room as
 * the token's account (hosting needs one; PARLEY_TOKEN works too), print `{"url","roomId"}` as one
 * JSON line as soon as it exists, speak a sine tone for the given time, then end the room.
 */
export async function botHost(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...commonOptions,
      url: { type: 'string', default: 'http://127.0.0.1:8080' },
      title: { type: 'string', default: 'Parley bot room' },
      tone: { type: 'string', default: '440' },
      seconds: { type: 'string', default: '30' },
    },
    strict: true,
  });
  const baseUrl = serverUrl('--url', values.url);
  const toneHz = positiveNumber('--tone', values.tone);
  if (toneHz >= 24_000) throw new UsageError('--tone must be below 24000 Hz');
  const seconds = positiveNumber('--seconds', values.seconds);
  const logger = stderrLogger(logLevel(values['log-level']), io);

  const token = botToken(values.token);
  if (!token) {
    throw new UsageError(
      'bot host needs an account: pass --token or set PARLEY_TOKEN (create one in Settings → API tokens, or with "parley admin create-user … --token")',
    );
  }
  return runBot({ baseUrl, displayName: values.name ?? 'Host bot', token, media: { toneHz }, logger, io }, async ({ client, media, stopped }) => {
    const room = await client.rooms.create(values.title);
    io.out(JSON.stringify({ url: client.roomLink(room.id), roomId: room.id }));
    const session = await client.joinRoom(room.id, { media });
    await session.startSpeaking();
    logger.info('speaking', { roomId: room.id, toneHz, seconds });
    const outcome = await timeOr<RoomCloseReason | 'signal'>(seconds * 1000, [closedReason(session), stopped]);
    if (outcome !== 'time' && outcome !== 'signal') throw new Error(`the room closed while the bot was speaking (${outcome})`);
    logger.info('ending the room', { roomId: room.id, packetsSent: media.packetsSent });
    await session.end();
    return 0;
  });
}

/**
 * `parley bot listen <room link> --seconds <n> [--json] [--name <display name>] [--count-only]`: join as
 * a listener, receive the room's audio for the given time, print what was received.
 */
export async function botListen(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...commonOptions,
      seconds: { type: 'string', default: '10' },
      json: { type: 'boolean', default: false },
      'count-only': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('bot listen needs exactly one room link');
  const { baseUrl, roomId } = parseRoomLink(positionals[0] ?? '');
  const seconds = positiveNumber('--seconds', values.seconds);
  const logger = stderrLogger(logLevel(values['log-level']), io);
  const media = { decode: !values['count-only'] };

  return runBot({ baseUrl, displayName: values.name ?? 'Listener bot', token: botToken(values.token), media, logger, io }, async ({ client, media, stopped }) => {
    const joinStartedAt = Date.now();
    const session = await client.joinRoom(roomId, { media, listen: true });
    await session.startListening();
    const listenStartedAt = Date.now();
    logger.info('listening', { roomId, seconds });
    const outcome = await timeOr<RoomCloseReason | 'signal'>(seconds * 1000, [closedReason(session), stopped]);
    const stats = media.receiveStats();
    const report = {
      roomId,
      listenedSeconds: Math.round((Date.now() - listenStartedAt) / 100) / 10,
      packetsReceived: stats.packetsReceived,
      packetsLost: stats.packetsLost,
      dominantFrequencyHz: stats.dominantFrequencyHz === null ? null : Math.round(stats.dominantFrequencyHz * 10) / 10,
      /** Join request sent → first RTP packet received. */
      firstPacketMs: stats.firstPacketAt === undefined ? null : stats.firstPacketAt - joinStartedAt,
      activeSlots: stats.slots.filter((slot) => slot.packetsReceived > 0).length,
      /** Why listening stopped before the time was up, if it did. */
      stoppedBy: outcome === 'time' ? null : outcome,
    };
    if (values.json) io.out(JSON.stringify(report));
    else io.out(formatReport(report));
    await session.leave();
    return 0;
  });
}

function formatReport(report: {
  roomId: string;
  listenedSeconds: number;
  packetsReceived: number;
  packetsLost: number;
  dominantFrequencyHz: number | null;
  firstPacketMs: number | null;
  stoppedBy: string | null;
}): string {
  return [
    `Listened to room ${report.roomId} for ${report.listenedSeconds} s${report.stoppedBy ? ` (stopped: ${report.stoppedBy})` : ''}`,
    `  packets received   ${report.packetsReceived}`,
    `  packets lost       ${report.packetsLost}`,
    `  dominant frequency ${report.dominantFrequencyHz === null ? 'none (no audio decoded)' : `${report.dominantFrequencyHz} Hz`}`,
    `  first packet after ${report.firstPacketMs === null ? 'never' : `${report.firstPacketMs} ms`}`,
  ].join('\n');
}
