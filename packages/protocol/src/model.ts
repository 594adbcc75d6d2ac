import { z } from 'zod';

/** Identifiers are unguessable random strings (base64url, 16+ bytes of entropy). */
export const Id = z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/, 'must be an id');

/** A person's visible name. */
export const DisplayName = z
  .string()
  .trim()
  .min(1, 'display name is required')
  .max(40, 'display name is at most 40 characters');

/** A room's title. */
export const RoomTitle = z.string().trim().min(1, 'title is required').max(120, 'title is at most 120 characters');

/** Who a participant is on the stage. Hosts and moderators run the stage; speakers talk; listeners listen. */
export const Role = z.enum(['host', 'moderator', 'speaker', 'listener']);
export type Role = z.infer<typeof Role>;

/** Roles whose holders are on the stage (may publish audio). */
export const stageRoles: readonly Role[] = ['host', 'moderator', 'speaker'];

/** Whether a role is on stage. */
export function isOnStage(role: Role): boolean {
  return role !== 'listener';
}

/** Room lifecycle. */
export const RoomStatus = z.enum(['scheduled', 'live', 'ended']);
export type RoomStatus = z.infer<typeof RoomStatus>;

/**
 * Who can get in: `open` — anyone, listed in the hallway; `social` — followers of the host or of anyone
 * on stage, listed only to them; `closed` — only the people on the room's access list, never listed.
 */
export const RoomType = z.enum(['open', 'social', 'closed']);
export type RoomType = z.infer<typeof RoomType>;

/** The signed-in person (a guest with a display name until accounts land). */
export const User = z.object({
  id: Id,
  displayName: DisplayName,
  kind: z.enum(['guest', 'member']),
});
export type User = z.infer<typeof User>;

/** A room as listed in the hallway and returned by the HTTP API. */
export const RoomSummary = z.object({
  id: Id,
  title: RoomTitle,
  type: RoomType,
  status: RoomStatus,
  hostId: Id,
  hostName: DisplayName,
  createdAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  /** People in the room now (live rooms only; 0 otherwise). */
  participantCount: z.number().int().nonnegative(),
  /** Display names of the people on stage now, in join order. */
  speakerNames: z.array(DisplayName),
});
export type RoomSummary = z.infer<typeof RoomSummary>;

/** A person in a live room. Keyed by user id: one participant per user per room. */
export const Participant = z.object({
  id: Id,
  displayName: DisplayName,
  role: Role,
  /** When the hand went up (ISO time), null when down. The queue is ordered by this. */
  handRaisedAt: z.iso.datetime().nullable(),
  /** True when the host has invited this listener to speak and they have not answered yet. */
  invitedToSpeak: z.boolean(),
  /** Speaker's mute switch (set by themselves or by a moderator). */
  muted: z.boolean(),
  /** True for a guest (display name only, no account): guests listen but cannot speak. */
  guest: z.boolean().optional(),
  /** True for a guest who came in by a one-time speaker link for this room: they may speak here. */
  speakerLink: z.boolean().optional(),
  /** True for a server admin: they may moderate any room (see `adminPowers`), whatever their role in it. */
  admin: z.boolean().optional(),
  /** A member's username (absent for guests): their profile's address, and how to block or report them. */
  username: z.string().optional(),
  joinedAt: z.iso.datetime(),
});
export type Participant = z.infer<typeof Participant>;

/**
 * How many plain listeners (no raised hand, no invitation) a snapshot lists, and a client keeps: a room
 * has no audience cap, so the audience beyond this is a count (`room.participantCount`), not a list.
 */
export const AUDIENCE_PAGE_SIZE = 100;

/** Whether a participant is always listed: on stage, hand raised, or invited to speak. */
export function isNotable(p: Participant): boolean {
  return p.role !== 'listener' || p.handRaisedAt !== null || p.invitedToSpeak;
}

/** State of a live room, sent on join and on resync. */
export const RoomSnapshot = z.object({
  room: RoomSummary,
  /** Sequence number of the last delta folded into this snapshot. Deltas continue at seq + 1. */
  seq: z.number().int().nonnegative(),
  /**
   * Everyone on stage, every listener with a raised hand or an invitation, the receiver, and the first
   * {@link AUDIENCE_PAGE_SIZE} other listeners to arrive. `room.participantCount` counts everyone.
   */
  participants: z.array(Participant),
  /** The receiving participant's id. */
  you: Id,
  /**
   * Present while only part of the audience is listed: every plain listener who arrived (`joinedAt`,
   * which the server keeps distinct and increasing within a room) up to this instant is listed, and
   * `room.audience` with `after` set to it brings those who came next. Absent: everyone is listed.
   */
  audienceThrough: z.iso.datetime().optional(),
});
export type RoomSnapshot = z.infer<typeof RoomSnapshot>;
