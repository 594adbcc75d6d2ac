import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { EVENT_LOOP_SAMPLE_MS } from '../../event-loop';
import type { MediaLogger } from '../events';
import { NdcMediaEngine } from '../NdcMediaEngine';
import type { NdcMediaRoom } from '../MediaRoom';
import type { CallRequest, CallResults, Cast, FromMediaThread, MediaThreadData, ToMediaThread } from './messages';

/**
 * The media thread: a worker that owns the node-datachannel SFU, so that forwarding (tens of
 * thousands of packet callbacks a second) never delays signalling, timers or new WebSockets on the
 * main thread, and uses the machine's second core. Started by {@link ThreadMediaEngine}; speaks the
 * messages of ./messages.ts.
 */

const port = parentPort;
if (!port) throw new Error('the media thread must run in a worker');
const data = workerData as MediaThreadData;

const send = (message: FromMediaThread) => port.postMessage(message);

const levels = ['debug', 'info', 'warn'] as const;
const minimum = levels.indexOf(data.logLevel);
const logAt =
  (level: (typeof levels)[number]) =>
  (fields: object, message: string): void => {
    if (levels.indexOf(level) < minimum) return;
    send({ kind: 'log', level, fields: cloneable(fields), message });
  };
const logger: MediaLogger = { debug: logAt('debug'), info: logAt('info'), warn: logAt('warn') };

const engine = new NdcMediaEngine({ ...data.options, logger });
/** Rooms whose events are already relayed. */
const relayed = new WeakSet<NdcMediaRoom>();
const loop = monitorEventLoopDelay({ resolution: EVENT_LOOP_SAMPLE_MS });
loop.enable();

/** The engine's room under `roomId` (created on first use), with its events relayed. */
function room(roomId: string): NdcMediaRoom {
  const found = engine.room(roomId);
  if (!relayed.has(found)) {
    relayed.add(found);
    found.on('speaking', (speaking) => send({ kind: 'speaking', roomId, levels: speaking }));
    found.on('peerClosed', (participantId, leg) => send({ kind: 'peerClosed', roomId, participantId, leg }));
  }
  return found;
}

async function call(request: CallRequest): Promise<CallResults[CallRequest['op']]> {
  switch (request.op) {
    case 'publish':
      return room(request.roomId).publish(request.participantId, request.sdp);
    case 'subscribe':
      return room(request.roomId).subscribe(request.participantId);
    case 'acceptAnswer':
      return room(request.roomId).acceptAnswer(request.participantId, request.sdp);
    case 'roomStats':
      return room(request.roomId).stats();
    case 'engineStats':
      return engine.mediaStats();
    case 'threadStats': {
      const loopDelay = { p50: loop.percentile(50) / 1e9, p99: loop.percentile(99) / 1e9, max: loop.max / 1e9, mean: loop.mean / 1e9 };
      loop.reset();
      return { loopDelay, heapUsedBytes: getHeapStatistics().used_heap_size };
    }
    case 'close':
      loop.disable();
      await engine.close();
      return undefined;
  }
}

function apply(cast: Cast): void {
  if (cast.op === 'closeRoom') {
    engine.closeRoom(cast.roomId);
    return;
  }
  const target = room(cast.roomId);
  if (cast.op === 'setPublishAllowed') target.setPublishAllowed(cast.participantId, cast.allowed);
  else if (cast.op === 'closePublisher') target.closePublisher(cast.participantId);
  else target.removeParticipant(cast.participantId);
}

port.on('message', (message: ToMediaThread) => {
  if (message.kind === 'cast') {
    try {
      apply(message.cast);
    } catch (error) {
      logger.warn({ err: error, op: message.cast.op }, 'media thread order failed');
    }
    return;
  }
  const { id, request } = message;
  call(request).then(
    (value) => {
      send({ kind: 'result', id, value });
      // Nothing keeps the thread alive once the port is closed: it exits.
      if (request.op === 'close') port.close();
    },
    (error: unknown) => send({ kind: 'error', id, message: error instanceof Error ? error.message : String(error) }),
  );
});

send({ kind: 'ready' });

/** Log fields as plain data: an Error keeps its message and stack, functions and the like are dropped. */
function cloneable(fields: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value instanceof Error) out[key] = { message: value.message, stack: value.stack };
    else if (typeof value !== 'function' && typeof value !== 'symbol') out[key] = value;
  }
  return out;
}
