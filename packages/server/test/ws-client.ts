import WebSocket from 'ws';
import { ServerMessage, type ClientMessage, type RoomEvent } from '@parley/protocol';

type Outgoing = ClientMessage extends infer M ? (M extends { id: string } ? Omit<M, 'id'> : never) : never;

/** One room event as received, whether it came alone (`room.event`) or in a `room.events` frame. */
export interface ReceivedEvent {
  roomId: string;
  seq: number;
  event: RoomEvent;
}

/** The room events a message carries, in order. */
export function eventsIn(message: ServerMessage): ReceivedEvent[] {
  if (message.type === 'room.event') return [{ roomId: message.roomId, seq: message.seq, event: message.event }];
  if (message.type === 'room.events') return message.events.map(({ seq, event }) => ({ roomId: message.roomId, seq, event }));
  return [];
}

/** A minimal test client: a real WebSocket, replies matched by id, everything else collected. */
export class TestSocket {
  readonly received: ServerMessage[] = [];
  private next = 1;
  private waiters: { match: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = ServerMessage.parse(JSON.parse(data.toString()));
      this.received.push(message);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(message)) return true;
        w.resolve(message);
        return false;
      });
    });
  }

  static async open(baseUrl: string, cookie: string | undefined, headers: Record<string, string> = {}): Promise<TestSocket> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/ws`, { headers: { ...(cookie ? { cookie } : {}), ...headers } });
    const socket = new TestSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('close', (code) => reject(new Error(`closed ${code}`)));
    });
    return socket;
  }

  /** Send a request and wait for its reply. */
  request(message: Outgoing): Promise<ServerMessage> {
    const id = `r${this.next++}`;
    const reply = this.waitFor((m) => 'id' in m && m.id === id);
    this.ws.send(JSON.stringify({ ...message, id }));
    return reply;
  }

  /** Send raw text (for malformed-message tests). */
  sendRaw(text: string): void {
    this.ws.send(text);
  }

  /** Wait for the first message (already received or future) that matches. */
  waitFor(match: (m: ServerMessage) => boolean, timeoutMs = 5000): Promise<ServerMessage> {
    const already = this.received.find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a message')), timeoutMs);
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  /** Every room event received so far, unpacked from `room.event` and `room.events` frames. */
  get events(): ReceivedEvent[] {
    return this.received.flatMap(eventsIn);
  }

  /** Wait for the first room event (already received or future) that matches. */
  async waitForEvent(match: (e: ReceivedEvent) => boolean, timeoutMs = 5000): Promise<ReceivedEvent> {
    const message = await this.waitFor((m) => eventsIn(m).some(match), timeoutMs);
    return eventsIn(message).find(match)!;
  }

  close(): void {
    this.ws.close();
  }
}
