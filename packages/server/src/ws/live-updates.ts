import type { ServerMessage } from '@parley/protocol';
import type { LiveUpdates } from '../domain/notifications';
import type { RoomConnection } from '../domain/rooms';

/**
 * The signalling sockets of this process by person, so that notifications and hallway hints reach
 * every tab a person has open. Each message is serialised once, whatever the number of sockets.
 */
export class SocketRegistry implements LiveUpdates {
  private readonly byUser = new Map<string, Set<RoomConnection>>();

  /** Add a socket; call the returned function when it closes. */
  attach(userId: string, connection: RoomConnection): () => void {
    let sockets = this.byUser.get(userId);
    if (!sockets) {
      sockets = new Set();
      this.byUser.set(userId, sockets);
    }
    sockets.add(connection);
    return () => {
      const current = this.byUser.get(userId);
      if (!current) return;
      current.delete(connection);
      if (current.size === 0) this.byUser.delete(userId);
    };
  }

  toUser(userId: string, message: ServerMessage): void {
    const sockets = this.byUser.get(userId);
    if (!sockets) return;
    const json = JSON.stringify(message);
    for (const socket of sockets) socket.send(json);
  }

  toEveryone(message: ServerMessage): void {
    const json = JSON.stringify(message);
    for (const sockets of this.byUser.values()) for (const socket of sockets) socket.send(json);
  }

  /** Open sockets (for metrics and tests). */
  get size(): number {
    let n = 0;
    for (const sockets of this.byUser.values()) n += sockets.size;
    return n;
  }
}
