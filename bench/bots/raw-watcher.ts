import WebSocket from 'ws';
import { boundFetch } from '../lib/net';

/**
 * A bare signalling client for the `signal` scenario: a guest session and the room WebSocket, with no
 * SDK behind it. It timestamps each `handRaised` event as the frame arrives and does nothing else, so
 * a thousand of them in one process measure the server's broadcast rather than the bots' own
 * parsing, validation and state folding (which real clients do on their own devices, in parallel).
 * The `--sdk` variant of the scenario uses full SDK clients instead.
 */
export class RawWatcher {
  private socket: WebSocket | undefined;

  private constructor(private readonly onHand: (handRaisedAt: string, seenAt: number) => void) {}

  /** Start a guest session from `localAddress`, open the WebSocket and join `roomId`. */
  static async join(
    baseUrl: string,
    localAddress: string,
    roomId: string,
    displayName: string,
    onHand: (handRaisedAt: string, seenAt: number) => void,
  ): Promise<RawWatcher> {
    const response = await boundFetch(localAddress)(`${baseUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ displayName }),
    });
    if (!response.ok) throw new Error(`session refused: ${response.status} ${await response.text()}`);
    const cookie = response.headers.getSetCookie().map((header) => header.split(';')[0]).join('; ');
    const watcher = new RawWatcher(onHand);
    const url = new URL('/api/ws', baseUrl);
    url.protocol = 'ws:';
    const socket = new WebSocket(url, { headers: { cookie }, localAddress });
    watcher.socket = socket;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the room WebSocket did not open within 30 s')), 30_000);
      socket.once('error', reject);
      socket.once('open', () => socket.send(JSON.stringify({ type: 'room.join', id: 'join', roomId })));
      socket.on('message', (data: Buffer) => {
        const text = data.toString();
        if (text.includes('"handRaised"')) {
          watcher.noteHand(text, Date.now());
        } else if (text.includes('"id":"join"')) {
          clearTimeout(timer);
          if (text.includes('"type":"error"')) reject(new Error(`join refused: ${text.slice(0, 200)}`));
          else resolve();
        }
      });
    });
    return watcher;
  }

  private noteHand(text: string, seenAt: number): void {
    const message = JSON.parse(text) as { event?: { kind?: string; at?: string } };
    if (message.event?.kind === 'handRaised' && message.event.at) this.onHand(message.event.at, seenAt);
  }

  /** Close the socket (the server notices the participant leaving). */
  close(): void {
    this.socket?.close();
  }
}
