import { ClientMessage, ParleyError, ServerMessage } from '@parley/protocol';
import type { ClientMessageType } from '@parley/protocol';
import type { z } from 'zod';
import { TypedEmitter } from '../emitter';
import { ConnectionError } from '../errors';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import type { SignalClientEvents } from './events';
import type { WebSocketFactory, WebSocketLike } from './websocket';
import { WS_OPEN } from './websocket';

/** A request message of the given type. */
export type RequestOf<T extends ClientMessageType> = Extract<ClientMessage, { type: T }>;

/** What a caller supplies for a request: everything but `type` (the first argument) and `id` (ours). */
export type RequestBody<T extends ClientMessageType> = Omit<RequestOf<T>, 'type' | 'id'>;

/** The reply type the server sends for each request type (anything not listed is answered by `ack`). */
const replyTypes = {
  'room.join': 'room.snapshot',
  'room.resync': 'room.snapshot',
  'room.audience': 'room.audience',
  'media.publish': 'media.answer',
  'media.subscribe': 'media.offer',
} as const satisfies Partial<Record<ClientMessageType, ServerMessage['type']>>;

type ReplyTypeOf<T extends ClientMessageType> = T extends keyof typeof replyTypes ? (typeof replyTypes)[T] : 'ack';

/** The successful reply to a request of type `T`. */
export type ReplyTo<T extends ClientMessageType> = Extract<ServerMessage, { type: ReplyTypeOf<T> }>;

function replyTypeOf(type: ClientMessageType): ServerMessage['type'] {
  return type in replyTypes ? replyTypes[type as keyof typeof replyTypes] : 'ack';
}

function isReplyTo<T extends ClientMessageType>(type: T, message: ServerMessage): message is ReplyTo<T> {
  return message.type === replyTypeOf(type);
}

/** Options of a {@link SignalClient}. */
export interface SignalClientOptions {
  /** `ws:` or `wss:` URL of the server's `/api/ws`. */
  url: string;
  /** Opens the socket (the browser's WebSocket, `ws` in Node, or a test double). */
  webSocketFactory: WebSocketFactory;
  /** Headers for the handshake, read at each connect (Node sends the session cookie this way). */
  headers?: () => Record<string, string>;
  /** How long a request waits for its reply before rejecting with a `timeout` ConnectionError. Default 10 s. */
  requestTimeoutMs?: number;
  /** How long the handshake may take. Default 10 s. */
  connectTimeoutMs?: number;
  /** Interval of `ping` keep-alives, so idle proxies do not drop the socket; 0 disables. Default 25 s. */
  pingIntervalMs?: number;
  logger?: Logger;
}

interface PendingRequest {
  type: ClientMessageType;
  resolve: (message: ServerMessage) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The signalling transport: one WebSocket to the server, requests with ids and exactly one reply each,
 * and the server's unsolicited messages (room deltas, speaking levels, closes) as typed events. It knows
 * the wire protocol and nothing about rooms; {@link RoomSession} holds the room's state.
 */
export class SignalClient extends TypedEmitter<SignalClientEvents> {
  private socket: WebSocketLike | undefined;
  private connecting: Promise<void> | undefined;
  private readonly pending = new Map<string, PendingRequest>();
  private nextId = 1;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private closedByUs = false;
  private readonly requestTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly pingIntervalMs: number;

  constructor(private readonly options: SignalClientOptions) {
    super(options.logger ?? silentLogger);
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.pingIntervalMs = options.pingIntervalMs ?? 25_000;
  }

  /** True while the socket is open. */
  get connected(): boolean {
    return this.socket?.readyState === WS_OPEN;
  }

  /** Number of requests waiting for their reply. */
  get pendingRequests(): number {
    return this.pending.size;
  }

  /** Open the socket, or wait for the open in progress. Resolves at once when already open. */
  connect(): Promise<void> {
    if (this.connected) return Promise.resolve();
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async open(): Promise<void> {
    this.closedByUs = false;
    let socket: WebSocketLike;
    try {
      socket = await this.options.webSocketFactory(this.options.url, this.options.headers?.() ?? {});
    } catch (err) {
      throw new ConnectionError('unreachable', `Cannot open the signalling socket: ${String(err)}`);
    }
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        fail(new ConnectionError('timeout', `The signalling socket did not open within ${this.connectTimeoutMs} ms`));
        socket.close();
      }, this.connectTimeoutMs);
      const fail = (error: ConnectionError) => {
        clearTimeout(timer);
        if (this.socket === socket) this.socket = undefined;
        reject(error);
      };
      socket.onopen = () => {
        clearTimeout(timer);
        resolve();
      };
      socket.onerror = (event) => {
        // `ws` says why (e.g. "Unexpected server response: 401"); browsers deliberately do not.
        const why = typeof event === 'object' && event !== null ? Reflect.get(event, 'message') : undefined;
        fail(new ConnectionError('unreachable', `Cannot connect to ${this.options.url}${typeof why === 'string' && why ? `: ${why}` : ''}`));
      };
      socket.onclose = (event) =>
        fail(new ConnectionError('unreachable', `The server refused the signalling socket (${event.code} ${event.reason})`.trim()));
    });
    socket.onmessage = (event) => this.handleData(event.data);
    socket.onerror = () => this.logger.debug('signalling socket error');
    socket.onclose = (event) => this.handleClose(socket, event.code, event.reason);
    if (this.pingIntervalMs > 0) {
      this.pingTimer = setInterval(() => {
        this.request('ping', {}).catch((err: unknown) => this.logger.debug('ping failed', { error: String(err) }));
      }, this.pingIntervalMs);
    }
    this.logger.info('signalling connected', { url: this.options.url });
  }

  /**
   * Send a request and wait for its reply. Resolves with the expected reply (`room.snapshot` for a
   * join, `media.offer` for a subscribe, `ack` for most); rejects with {@link ParleyError} when the
   * server answers `error`, with {@link ConnectionError} on timeout, disconnect or a wrong reply.
   * The message is validated before it is sent, so a malformed one never reaches the server.
   */
  async request<T extends ClientMessageType>(
    type: T,
    body: RequestBody<T>,
    opts: { timeoutMs?: number } = {},
  ): Promise<ReplyTo<T>> {
    await this.connect();
    const socket = this.socket;
    if (!socket || socket.readyState !== WS_OPEN) throw new ConnectionError('closed', 'The signalling socket is closed');
    const id = String(this.nextId++);
    const parsed = ClientMessage.safeParse({ ...body, type, id });
    if (!parsed.success) throw new ParleyError('invalid_message', `Invalid ${type} request: ${describeIssues(parsed.error)}`);
    const timeoutMs = opts.timeoutMs ?? this.requestTimeoutMs;
    const reply = await new Promise<ServerMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ConnectionError('timeout', `No reply to ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { type, resolve, reject, timer });
      this.logger.debug('send', { type, id });
      socket.send(JSON.stringify(parsed.data));
    });
    if (!isReplyTo(type, reply)) throw new ConnectionError('protocol', `Unexpected reply ${reply.type} to ${type}`);
    return reply;
  }

  /** Close the socket. Requests in flight reject with a `closed` ConnectionError. */
  close(): void {
    this.closedByUs = true;
    const socket = this.socket;
    this.socket = undefined;
    this.stopPing();
    this.rejectAll(new ConnectionError('closed', 'The signalling client was closed'));
    if (socket) {
      socket.onmessage = null;
      socket.onclose = null;
      socket.onerror = null;
      socket.close(1000, 'client closed');
      this.emit('disconnected', new ConnectionError('closed', 'The signalling client was closed'), true);
    }
  }

  /** Entry point for every frame from the server. Invalid frames are logged and dropped. */
  private handleData(data: unknown): void {
    const text = typeof data === 'string' ? data : decodeFrame(data);
    if (text === undefined) {
      this.logger.warn('ignored a binary frame from the server');
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.logger.warn('ignored a frame that is not JSON', { length: text.length });
      return;
    }
    const parsed = ServerMessage.safeParse(json);
    if (!parsed.success) {
      this.logger.warn('ignored an invalid server message', { issues: describeIssues(parsed.error) });
      return;
    }
    this.handleMessage(parsed.data);
  }

  private handleMessage(message: ServerMessage): void {
    this.logger.debug('receive', { type: message.type });
    switch (message.type) {
      case 'room.event':
        this.emit('roomEvent', message.roomId, message.seq, message.event);
        return;
      case 'room.events':
        for (const { seq, event } of message.events) this.emit('roomEvent', message.roomId, seq, event);
        return;
      case 'room.speaking':
        this.emit('speaking', message.roomId, message.speakers);
        return;
      case 'room.closed':
        this.emit('roomClosed', message.roomId, message.reason);
        return;
      case 'notification':
        this.emit('notification', message.notification, message.unreadCount);
        return;
      case 'notifications.unread':
        this.emit('unreadCount', message.unreadCount);
        return;
      case 'hallway.changed':
        this.emit('hallwayChanged');
        return;
      case 'room.snapshot':
        if (message.id === undefined) {
          this.emit('snapshot', message.snapshot);
          return;
        }
        this.settle(message.id, message);
        return;
      case 'error':
        if (message.id === null) {
          this.emit('serverError', new ParleyError(message.code, message.message));
          return;
        }
        this.settle(message.id, message);
        return;
      case 'ack':
      case 'media.answer':
      case 'media.offer':
      case 'room.audience':
        this.settle(message.id, message);
        return;
    }
  }

  /** Resolve or reject the request a reply belongs to; replies to nothing (late, or unknown) are dropped. */
  private settle(id: string, message: ServerMessage): void {
    const request = this.pending.get(id);
    if (!request) {
      this.logger.debug('dropped a reply to no pending request', { id, type: message.type });
      return;
    }
    this.pending.delete(id);
    clearTimeout(request.timer);
    if (message.type === 'error') request.reject(new ParleyError(message.code, message.message));
    else request.resolve(message);
  }

  private handleClose(socket: WebSocketLike, code: number, reason: string): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    this.stopPing();
    const error = new ConnectionError('closed', `The signalling socket closed (${code}${reason ? ` ${reason}` : ''})`);
    this.rejectAll(error);
    this.logger.info('signalling disconnected', { code, reason });
    this.emit('disconnected', error, this.closedByUs);
  }

  private rejectAll(error: ConnectionError): void {
    for (const [id, request] of this.pending) {
      clearTimeout(request.timer);
      this.pending.delete(id);
      request.reject(error);
    }
  }

  private stopPing(): void {
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
  }
}

/** Text of a binary frame (`ws` may hand over a Buffer; browsers an ArrayBuffer); undefined if not bytes. */
function decodeFrame(data: unknown): string | undefined {
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  if (ArrayBuffer.isView(data)) return new TextDecoder().decode(data);
  return undefined;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}
