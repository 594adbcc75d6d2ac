import type { Notification, ParleyError, RoomClosedReason, RoomEvent, RoomSnapshot, SpeakingEntry } from '@parley/protocol';
import type { z } from 'zod';
import type { ConnectionError } from '../errors';

/** Why the server closed a participant's place in a room (`room.closed`). */
export type ServerCloseReason = RoomClosedReason;

/** Events of the {@link SignalClient}: the server's unsolicited messages, and the socket's fate. */
export type SignalClientEvents = {
  /** A numbered delta of a room's state (`room.event`). */
  roomEvent: [roomId: string, seq: number, event: RoomEvent];
  /** Who is speaking now in a room (`room.speaking`), the whole set each time. */
  speaking: [roomId: string, speakers: z.infer<typeof SpeakingEntry>[]];
  /** The server closed our place in a room (`room.closed`). */
  roomClosed: [roomId: string, reason: ServerCloseReason];
  /** A new notification for the signed-in person (`notification`), with their unread count after it. */
  notification: [notification: Notification, unreadCount: number];
  /** The unread count changed without a new notification (read on another tab), or the socket just opened. */
  unreadCount: [unreadCount: number];
  /** Rooms opened or ended, or events changed: a hallway on screen should fetch `GET /api/hallway` again. */
  hallwayChanged: [];
  /** A snapshot the server pushed without being asked. */
  snapshot: [snapshot: RoomSnapshot];
  /** An `error` that answers no request (the server could not read a message's id). */
  serverError: [error: ParleyError];
  /** The socket closed; `byClient` is true when {@link SignalClient.close} closed it. */
  disconnected: [error: ConnectionError, byClient: boolean];
};
