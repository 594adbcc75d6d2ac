import type { MediaEngineOptions, MediaRoomStats, SpeakingLevel } from '../engine';
import type { MediaEngineStats } from '../NdcMediaEngine';

/**
 * The messages between the signalling thread and the media thread (a worker running the
 * node-datachannel SFU). Both ends are this package, so the types are the contract; the worker's
 * `postMessage` structured-clones them. Order is kept: a `setPublishAllowed` sent after a `publish`
 * is applied after it.
 */

/** Engine options that can cross a thread (the logger is replaced by {@link LogMessage}s). */
export type ThreadEngineOptions = Omit<MediaEngineOptions, 'logger'>;

/** Data the worker starts with (`workerData`). */
export interface MediaThreadData {
  options: ThreadEngineOptions;
  /** Lowest log level forwarded to the signalling thread (lifecycle lines only; nothing per packet). */
  logLevel: 'debug' | 'info' | 'warn';
}

/** Calls that answer (SDP negotiation, stats). */
export type CallRequest =
  | { op: 'publish'; roomId: string; participantId: string; sdp: string }
  | { op: 'subscribe'; roomId: string; participantId: string }
  | { op: 'acceptAnswer'; roomId: string; participantId: string; sdp: string }
  | { op: 'roomStats'; roomId: string }
  | { op: 'engineStats' }
  /** The media thread's event-loop delay since the last such call (the histogram is reset) and heap. */
  | { op: 'threadStats' }
  | { op: 'close' };

/** What each call answers. */
export interface CallResults {
  publish: string;
  subscribe: string;
  acceptAnswer: void;
  roomStats: MediaRoomStats;
  engineStats: MediaEngineStats;
  threadStats: ThreadStats;
  close: void;
}

/** Orders that need no answer; applied in the order sent. */
export type Cast =
  | { op: 'setPublishAllowed'; roomId: string; participantId: string; allowed: boolean }
  | { op: 'closePublisher'; roomId: string; participantId: string }
  | { op: 'removeParticipant'; roomId: string; participantId: string }
  | { op: 'closeRoom'; roomId: string };

/** Signalling thread → media thread. */
export type ToMediaThread = { kind: 'call'; id: number; request: CallRequest } | { kind: 'cast'; cast: Cast };

/** How the media thread itself is doing. */
export interface ThreadStats {
  /**
   * Event-loop delay percentiles since the previous call, seconds (`perf_hooks.monitorEventLoopDelay`;
   * they include the sampling interval, EVENT_LOOP_SAMPLE_MS).
   */
  loopDelay: { p50: number; p99: number; max: number; mean: number };
  /** The media thread's JavaScript heap in use (its own V8 isolate), bytes. */
  heapUsedBytes: number;
}

/** A line for the signalling thread's logger. */
export interface LogMessage {
  kind: 'log';
  level: 'debug' | 'info' | 'warn';
  fields: Record<string, unknown>;
  message: string;
}

/** Media thread → signalling thread. */
export type FromMediaThread =
  | { kind: 'ready' }
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'error'; id: number; message: string }
  | { kind: 'speaking'; roomId: string; levels: SpeakingLevel[] }
  | { kind: 'peerClosed'; roomId: string; participantId: string; leg: 'publish' | 'subscribe' }
  | LogMessage;
