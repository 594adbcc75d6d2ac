import type { WebSocket } from 'ws';
import type { LiveConnections } from '../domain/safety';

/** WebSocket close code for an account suspended while connected (4000–4999: application codes). */
export const suspendedCloseCode = 4003;

/**
 * Every open signalling socket, by user, so that suspending an account closes its live connections
 * at once (the sessions behind them end in the same step).
 */
export class SocketRegistry implements LiveConnections {
  private readonly byUser = new Map<string, Set<WebSocket>>();

  /** Track a socket until it closes. */
  add(userId: string, socket: WebSocket): void {
    let sockets = this.byUser.get(userId);
    if (!sockets) {
      sockets = new Set();
      this.byUser.set(userId, sockets);
    }
    sockets.add(socket);
    // A WebSocket emits 'close' once: `on` spares the wrapper `once` would keep for the socket's life.
    socket.on('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0 && this.byUser.get(userId) === sockets) this.byUser.delete(userId);
    });
  }

  /** {@link LiveConnections}: close every socket of the user, telling the client why. */
  closeAllOf(userId: string): number {
    const sockets = this.byUser.get(userId);
    if (!sockets) return 0;
    const count = sockets.size;
    for (const socket of sockets) socket.close(suspendedCloseCode, 'account suspended');
    return count;
  }

  /** Sockets open now. */
  get size(): number {
    let n = 0;
    for (const sockets of this.byUser.values()) n += sockets.size;
    return n;
  }
}
