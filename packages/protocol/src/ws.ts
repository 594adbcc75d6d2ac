import { z } from 'zod';
import { ErrorCode } from './errors';
import { RoomEvent } from './events';
import { Id, Participant, RoomSnapshot } from './model';
import { Notification } from './notifications';

/** Request id chosen by the client; the reply echoes it. */
export const RequestId = z.string().min(1).max(64);

/** SDP text; bounded so a hostile client cannot make the server parse megabytes. */
export const Sdp = z.string().min(10).max(20_000);

const request = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), id: RequestId, ...shape });

/**
 * Messages a client sends over the WebSocket (`/api/ws`). Every one is a request with an `id`; the
 * server answers each with exactly one reply carrying the same `id`: `ack`, `room.snapshot`,
 * `media.answer`, `media.offer` or `error`.
 */
export const ClientMessage = z.discriminatedUnion('type', [
  /** Join a live room (as a listener; the host rejoins as host). Reply: `room.snapshot`. */
  request('room.join', { roomId: Id }),
  /** Leave the room. Reply: `ack`. */
  request('room.leave', { roomId: Id }),
  /** Ask for a fresh snapshot after a missed delta. Reply: `room.snapshot`. */
  request('room.resync', { roomId: Id }),
  /**
   * More of the audience than the snapshot lists: the plain listeners (no raised hand, no invitation)
   * who arrived after `after` (the state's `audienceThrough`; absent: from the first), in arrival order,
   * a page at most. Reply: `room.audience`.
   */
  request('room.audience', { roomId: Id, after: z.iso.datetime().optional() }),
  /** The host (or a moderator) ends the room for everyone. Reply: `ack`. */
  request('room.end', { roomId: Id }),
  /** Listener raises a hand to ask to speak. Reply: `ack`. */
  request('stage.raiseHand', { roomId: Id }),
  /** Lower one's own hand. Reply: `ack`. */
  request('stage.lowerHand', { roomId: Id }),
  /** Host invites a listener onto the stage. Reply: `ack`. */
  request('stage.invite', { roomId: Id, participantId: Id }),
  /** The invited listener accepts and becomes a speaker. Reply: `ack`. */
  request('stage.acceptInvite', { roomId: Id }),
  /** The invited listener declines. Reply: `ack`. */
  request('stage.declineInvite', { roomId: Id }),
  /** Host moves a speaker back to the audience, or a speaker leaves the stage (own id). Reply: `ack`. */
  request('stage.moveToAudience', { roomId: Id, participantId: Id }),
  /** A host or moderator mutes someone on stage (they may unmute themselves). Reply: `ack`. */
  request('stage.mute', { roomId: Id, participantId: Id }),
  /** A host or moderator removes someone from the room; they cannot rejoin it. Reply: `ack`. */
  request('stage.remove', { roomId: Id, participantId: Id }),
  /** The host makes someone a moderator (on stage) or takes it back (they stay a speaker). Reply: `ack`. */
  request('stage.setModerator', { roomId: Id, participantId: Id, moderator: z.boolean() }),
  /** A speaker mutes or unmutes themselves. Reply: `ack`. */
  request('stage.setMuted', { roomId: Id, muted: z.boolean() }),
  /** Publish leg: a speaker's offer (one sendonly Opus track). Reply: `media.answer`. */
  request('media.publish', { roomId: Id, sdp: Sdp }),
  /** Subscribe leg: ask the server for an offer of the room's audio slots. Reply: `media.offer`. */
  request('media.subscribe', { roomId: Id }),
  /** Subscribe leg: the client's answer to `media.offer`. Reply: `ack`. */
  request('media.answer', { roomId: Id, sdp: Sdp }),
  /** Keep-alive; reply: `ack`. */
  request('ping', {}),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;
/** The `type` of a client message. */
export type ClientMessageType = ClientMessage['type'];

/** Who is speaking now, by audio level; sent at most a few times a second, only when it changes. */
export const SpeakingEntry = z.object({
  participantId: Id,
  /** Audio level in dBov, −127 (silence) to 0 (loudest), from the RFC 6464 header extension. */
  level: z.number(),
});

/** Why the server closed someone's place in a room (`room.closed`). */
export const RoomClosedReason = z.enum(['ended', 'replaced', 'removed', 'revoked', 'suspended']);
export type RoomClosedReason = z.infer<typeof RoomClosedReason>;

/** Messages the server sends. */
export const ServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ack'), id: RequestId }),
  z.object({ type: z.literal('room.snapshot'), id: RequestId.optional(), snapshot: RoomSnapshot }),
  z.object({ type: z.literal('room.event'), roomId: Id, seq: z.number().int().positive(), event: RoomEvent }),
  /**
   * Several consecutive events at once, in `seq` order: the audience's comings and goings are held
   * for a moment and sent together (see docs/protocol.md). Apply each as if it came alone.
   */
  z.object({
    type: z.literal('room.events'),
    roomId: Id,
    events: z.array(z.object({ seq: z.number().int().positive(), event: RoomEvent })).min(1),
  }),
  z.object({ type: z.literal('room.speaking'), roomId: Id, speakers: z.array(SpeakingEntry) }),
  /**
   * A page of the audience (`room.audience`), as of event `seq` (events up to it may still be on their
   * way: list the page once the state has folded up to `seq`). `total` is how many plain listeners
   * there are in all.
   */
  z.object({
    type: z.literal('room.audience'),
    id: RequestId,
    roomId: Id,
    seq: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    participants: z.array(Participant),
  }),
  /**
   * The server closed this participant's place in the room: it `ended`; they joined from another tab
   * (`replaced`); a moderator (or a block by one) `removed` them; they no longer may enter (`revoked`:
   * taken off a closed room's access list, or no longer following anyone on a social room's stage);
   * their account was `suspended`.
   */
  z.object({
    type: z.literal('room.closed'),
    roomId: Id,
    reason: RoomClosedReason,
  }),
  z.object({ type: z.literal('media.answer'), id: RequestId, sdp: Sdp }),
  z.object({ type: z.literal('media.offer'), id: RequestId, sdp: Sdp }),
  /** A new notification for the signed-in person, with their unread count after it (a badge). */
  z.object({ type: z.literal('notification'), notification: Notification, unreadCount: z.number().int().nonnegative() }),
  /** The unread count changed without a new notification (read on another tab or device); also sent when the socket opens. */
  z.object({ type: z.literal('notifications.unread'), unreadCount: z.number().int().nonnegative() }),
  /** Rooms opened or ended, or events were scheduled or went live: a hallway on screen should fetch `GET /api/hallway` again. */
  z.object({ type: z.literal('hallway.changed') }),
  z.object({
    type: z.literal('error'),
    /** The request id, or null when the message could not be parsed far enough to find one. */
    id: RequestId.nullable(),
    code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
  }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

/** Largest WebSocket frame the server accepts, in bytes. */
export const maxMessageBytes = 64 * 1024;
