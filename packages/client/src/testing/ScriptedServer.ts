import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A message the scripted server received, as parsed JSON. */
export type Received = { type: string; id?: string; [key: string]: unknown };

/**
 * A real WebSocket server on 127.0.0.1 that tests script message by message: it records what the
 * client sends and sends whatever the test tells it to, including malformed frames. Node only, for
 * the SDK's unit tests; never exported from the package.
 */
export class ScriptedServer {
  private readonly waiting: ((connection: ScriptedConnection) => void)[] = [];
  private readonly unclaimed: ScriptedConnection[] = [];
  /** Every connection so far, oldest first. */
  readonly connections: ScriptedConnection[] = [];

  private constructor(
    private readonly wss: WebSocketServer,
    /** `http://127.0.0.1:PORT`: the base URL a ParleyClient takes. */
    readonly baseUrl: string,
  ) {
    wss.on('connection', (socket, request) => {
      const connection = new ScriptedConnection(socket, request.headers);
      this.connections.push(connection);
      const waiter = this.waiting.shift();
      if (waiter) waiter(connection);
      else this.unclaimed.push(connection);
    });
  }

  /** Listen on an ephemeral port, at `/api/ws` like the real server. */
  static async start(): Promise<ScriptedServer> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/api/ws' });
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve);
      wss.once('error', reject);
    });
    const { port } = wss.address() as AddressInfo;
    return new ScriptedServer(wss, `http://127.0.0.1:${port}`);
  }

  /** `ws://127.0.0.1:PORT/api/ws`. */
  get wsUrl(): string {
    return `${this.baseUrl.replace('http', 'ws')}/api/ws`;
  }

  /** The oldest connection not yet handed out, waiting for one to open if there is none. */
  nextConnection(): Promise<ScriptedConnection> {
    const ready = this.unclaimed.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

/** One client's socket as the scripted server sees it. */
export class ScriptedConnection {
  /** Every message received, in order. */
  readonly received: Received[] = [];
  private readonly waiters: { type: string | undefined; resolve: (message: Received) => void }[] = [];
  private cursor = 0;
  /** Automatic replies by request type; a test sets them for requests it does not want to script one by one. */
  readonly autoReply = new Map<string, (message: Received) => unknown>();

  constructor(
    private readonly socket: WebSocket,
    /** Handshake headers (the Cookie a Node client sends). */
    readonly headers: IncomingHttpHeaders,
  ) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Received;
      this.received.push(message);
      const reply = this.autoReply.get(message.type);
      if (reply) {
        const answer = reply(message);
        if (answer !== undefined) this.send(answer);
      }
      this.deliver();
    });
  }

  /**
   * The next received message (of `type`, if given) not yet taken by an earlier call; messages of
   * other types in between are skipped.
   */
  next(type?: string): Promise<Received> {
    return new Promise((resolve) => {
      this.waiters.push({ type, resolve });
      this.deliver();
    });
  }

  /** Send a value as JSON, or a string as is (to send broken frames). */
  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Drop the connection without a closing handshake. */
  terminate(): void {
    this.socket.terminate();
  }

  private deliver(): void {
    while (this.waiters.length > 0) {
      const waiter = this.waiters[0]!;
      let found: Received | undefined;
      while (this.cursor < this.received.length) {
        const candidate = this.received[this.cursor++]!;
        if (waiter.type === undefined || candidate.type === waiter.type) {
          found = candidate;
          break;
        }
      }
      if (!found) return;
      this.waiters.shift();
      waiter.resolve(found);
    }
  }
}
