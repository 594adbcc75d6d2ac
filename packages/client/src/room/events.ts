import type { ParleyError, RoomClosedReason, RoomEvent } from '@parley/protocol';

/**
 * Why a {@link RoomSession} closed: the server's reasons (`ended`, `replaced` by a join from another
 * tab, `removed` by a moderator, access `revoked`, account `suspended`), our own `leave()` (`left`), or
 * the socket dropping (`disconnected`).
 */
export type RoomCloseReason = RoomClosedReason | 'left' | 'disconnected';

/** Events of a {@link RoomSession}. State changes are not events: use `subscribe()` for those. */
export type RoomSessionEvents = {
  /** The session is over; no more state changes or commands. Fires once. */
  closed: [reason: RoomCloseReason];
  /**
   * One room event, after it was folded into the state: for what the state alone cannot say (who muted
   * whom, that someone was removed rather than left). Not replayed on resync.
   */
  event: [event: RoomEvent, seq: number];
  /** A failure no caller is waiting for (a resync the server refused). */
  error: [error: ParleyError];
};

/** What this client is doing with media in the room, for the UI. */
export interface RoomMediaState {
  /** A publish leg is up (the microphone is on the wire, muted or not). */
  readonly publishing: boolean;
  /** A subscribe leg is up (the room's audio slots are being received). */
  readonly listening: boolean;
}
