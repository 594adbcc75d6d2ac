import { Worker } from 'node:worker_threads';
import type { MediaEngine, MediaEngineOptions, MediaRoom, MediaRoomEvents, MediaRoomStats } from '../engine';
import { SafeEmitter, silentLogger, type MediaLogger } from '../events';
import type { MediaEngineStats } from '../NdcMediaEngine';
import type { CallRequest, CallResults, Cast, FromMediaThread, MediaThreadData, ThreadStats, ToMediaThread } from './messages';

/** Options of {@link ThreadMediaEngine.start}. */
export interface ThreadMediaEngineOptions extends MediaEngineOptions {
  /** Lowest level of the media thread's lines that reach `logger`. Default `info`. */
  logLevel?: 'debug' | 'info' | 'warn';
  /** How long a call may wait for the media thread's answer. Default {@link DEFAULT_CALL_TIMEOUT_MS}. */
  callTimeoutMs?: number;
}

/**
 * A call the media thread has not answered after this long is given up (it may still finish there).
 * A negotiation takes milliseconds and waits at most 5 s for ICE gathering; a client gives up on its
 * request after 10 s. Without a limit, one unanswered call would hold every later request of that
 * client's socket, which are handled in order.
 */
export const DEFAULT_CALL_TIMEOUT_MS = 15_000;

const entry = new URL('./entry.mjs', import.meta.url);

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

/**
 * The SFU on its own thread: a worker runs {@link NdcMediaEngine} (./host.ts) and this class is its
 * {@link MediaEngine} on the signalling thread. Forwarding then never competes with signalling for
 * the event loop, and a busy room uses a second core.
 *
 * node-datachannel can be loaded by one thread of a process only: a process running this engine
 * must not open node-datachannel peers on any other thread, and can start one media thread in its
 * life (tests with in-process Node peers use `NdcMediaEngine` directly; see `mediaThread` in the
 * config). A media thread that stops other than by {@link close} takes the process with it
 * (libdatachannel's threads still call into it: SIGABRT), exactly as an uncaught exception on the
 * main thread would: the supervisor restarts the server and clients reconnect.
 */
export class ThreadMediaEngine implements MediaEngine {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly rooms = new Map<string, ThreadMediaRoom>();
  private readonly logger: MediaLogger;
  private nextId = 1;
  private closing: Promise<void> | undefined;
  /** Why the media thread is gone, once it is (closed or failed). */
  private stopped: Error | undefined;

  private constructor(private readonly options: ThreadMediaEngineOptions) {
    this.logger = options.logger ?? silentLogger;
    this.worker = this.spawn();
  }

  /** Start the media thread; resolves once it has loaded the native library and listens. */
  static async start(options: ThreadMediaEngineOptions = {}): Promise<ThreadMediaEngine> {
    const engine = new ThreadMediaEngine(options);
    await engine.ready(engine.worker);
    return engine;
  }

  /** Create the media side of a live room, or return the one already open under that id. */
  createRoom(roomId: string): ThreadMediaRoom {
    if (this.closing) throw new Error('media engine is closed');
    let room = this.rooms.get(roomId);
    if (!room) {
      room = new ThreadMediaRoom(roomId, this, this.logger);
      this.rooms.set(roomId, room);
    }
    return room;
  }

  /** Totals over every room since the engine started, and the peers open now (for /metrics). */
  mediaStats(): Promise<MediaEngineStats> {
    return this.call({ op: 'engineStats' });
  }

  /** The media thread's event-loop delay since the previous call, and its heap. */
  threadStats(): Promise<ThreadStats> {
    return this.call({ op: 'threadStats' });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const room of [...this.rooms.values()]) room.close();
      if (this.stopped) return;
      const exited = new Promise((resolve) => this.worker.once('exit', resolve));
      try {
        await this.call({ op: 'close' });
        await exited;
      } catch (error) {
        // Not terminate(): with the native library still loaded that would abort the process. Let the
        // process exit around the thread instead.
        this.logger.warn({ err: error }, 'media thread did not close cleanly');
        this.worker.unref();
      }
    })();
    return this.closing;
  }

  /**
   * Send a call and wait for its answer, at most `timeoutMs` (then it rejects; a late answer is
   * dropped).
   */
  call<R extends CallRequest>(request: R, timeoutMs = this.options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS): Promise<CallResults[R['op']]> {
    if (this.stopped) return Promise.reject(this.stopped);
    if (this.closing && request.op !== 'close') return Promise.reject(new Error('media engine is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.pending.delete(id)) return;
        this.logger.warn({ op: request.op, timeoutMs }, 'media thread did not answer in time');
        reject(new Error(`the media thread did not answer (${request.op}) within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.post({ kind: 'call', id, request });
    });
  }

  /** Send an order that needs no answer. */
  cast(cast: Cast): void {
    if (!this.stopped && (!this.closing || cast.op === 'closeRoom')) this.post({ kind: 'cast', cast });
  }

  /** A room closed: forget it (a later `createRoom` with the same id starts afresh). */
  forget(room: ThreadMediaRoom): void {
    if (this.rooms.get(room.roomId) === room) this.rooms.delete(room.roomId);
  }

  private post(message: ToMediaThread): void {
    this.worker.postMessage(message);
  }

  /** Start the media thread (once in the life of the process). */
  private spawn(): Worker {
    const workerData: MediaThreadData = { options: withoutLogger(this.options), logLevel: this.options.logLevel ?? 'info' };
    // Of the process's Node flags only the CPU profiler applies per thread (--inspect and the like do not).
    const execArgv = process.execArgv.filter((arg) => arg.startsWith('--cpu-prof'));
    const worker = new Worker(entry, { workerData, execArgv, name: 'parley-media' });
    worker.on('message', (message: FromMediaThread) => this.receive(message));
    worker.on('error', (error) => this.logger.warn({ err: error }, 'media thread failed'));
    worker.on('exit', (code) => this.exited(code));
    return worker;
  }

  private ready(worker: Worker): Promise<void> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: FromMediaThread) => {
        if (message.kind !== 'ready') return;
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        resolve();
      };
      const onExit = (code: number) => reject(new Error(`the media thread exited with code ${code} while starting`));
      worker.on('message', onMessage);
      worker.once('exit', onExit);
    });
  }

  private receive(message: FromMediaThread): void {
    switch (message.kind) {
      case 'ready':
        return;
      case 'result':
      case 'error': {
        const pending = this.pending.get(message.id);
        if (!pending) return;
        this.pending.delete(message.id);
        clearTimeout(pending.timer);
        if (message.kind === 'result') pending.resolve(message.value);
        else pending.reject(new Error(message.message));
        return;
      }
      case 'speaking':
        this.rooms.get(message.roomId)?.emitSpeaking(message.levels);
        return;
      case 'peerClosed':
        this.rooms.get(message.roomId)?.peerClosed(message.participantId, message.leg);
        return;
      case 'log':
        this.logger[message.level]({ ...message.fields, thread: 'media' }, message.message);
        return;
    }
  }

  private exited(code: number): void {
    this.stopped = new Error(this.closing ? 'media engine is closed' : `the media thread stopped (exit code ${code})`);
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(this.stopped);
    }
    this.pending.clear();
  }
}

/** A live room's media, as seen from the signalling thread: every call goes to the media thread. */
export class ThreadMediaRoom implements MediaRoom {
  private readonly events: SafeEmitter<MediaRoomEvents>;
  private closed = false;

  constructor(
    readonly roomId: string,
    private readonly engine: ThreadMediaEngine,
    logger: MediaLogger,
  ) {
    this.events = new SafeEmitter<MediaRoomEvents>(logger);
  }

  async publish(participantId: string, offerSdp: string): Promise<string> {
    this.assertOpen();
    return this.engine.call({ op: 'publish', roomId: this.roomId, participantId, sdp: offerSdp });
  }

  async subscribe(participantId: string): Promise<string> {
    this.assertOpen();
    return this.engine.call({ op: 'subscribe', roomId: this.roomId, participantId });
  }

  async acceptAnswer(participantId: string, answerSdp: string): Promise<void> {
    this.assertOpen();
    await this.engine.call({ op: 'acceptAnswer', roomId: this.roomId, participantId, sdp: answerSdp });
  }

  setPublishAllowed(participantId: string, allowed: boolean): void {
    if (this.closed) return;
    this.engine.cast({ op: 'setPublishAllowed', roomId: this.roomId, participantId, allowed });
  }

  closePublisher(participantId: string): void {
    if (this.closed) return;
    this.engine.cast({ op: 'closePublisher', roomId: this.roomId, participantId });
  }

  removeParticipant(participantId: string): void {
    if (this.closed) return;
    this.engine.cast({ op: 'removeParticipant', roomId: this.roomId, participantId });
  }

  on<E extends keyof MediaRoomEvents>(event: E, listener: MediaRoomEvents[E]): void {
    this.events.on(event, listener);
  }

  off<E extends keyof MediaRoomEvents>(event: E, listener: MediaRoomEvents[E]): void {
    this.events.off(event, listener);
  }

  /** The room's counters as the media thread has them now. */
  stats(): Promise<MediaRoomStats> {
    return this.engine.call({ op: 'roomStats', roomId: this.roomId });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.engine.cast({ op: 'closeRoom', roomId: this.roomId });
    this.engine.forget(this);
    this.events.clear();
  }

  emitSpeaking(levels: Parameters<MediaRoomEvents['speaking']>[0]): void {
    this.events.emit('speaking', levels);
  }

  peerClosed(participantId: string, leg: 'publish' | 'subscribe'): void {
    this.events.emit('peerClosed', participantId, leg);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`media room ${this.roomId} is closed`);
  }
}

function withoutLogger(options: ThreadMediaEngineOptions): MediaThreadData['options'] {
  const { logger: _logger, logLevel: _logLevel, callTimeoutMs: _callTimeoutMs, ...rest } = options;
  return rest;
}
