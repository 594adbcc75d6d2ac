import type { RoomType } from '@parley/protocol';

/**
 * Who may enter a room, and who sees it in the hallway: pure rules over facts the {@link RoomGate}
 * gathers. Checked on every join and every resync (so losing access — unfollowing, a block, being
 * taken off an access list — takes effect), and for every room of the hallway list.
 *
 * - `open`: anyone; listed to everyone.
 * - `social`: followers of the host or of anyone on stage, and whoever is on stage; listed only to them.
 * - `closed`: the host and the people on the room's access list; never listed (the link alone does
 *   not admit).
 * - Everywhere: someone removed from the room stays out; someone blocked by the host or a moderator
 *   present cannot enter (and is taken out when the block happens); server admins enter any room
 *   (they moderate them), bans aside; people with a place on stage arranged outside the room (an
 *   event's hosts and speakers) enter whatever its type.
 */

/** What the rules need to know about one person and one room. */
export interface AccessFacts {
  room: { type: RoomType; hostId: string };
  viewer: { id: string; guest: boolean; admin: boolean };
  /** A moderator removed the viewer from this room earlier. */
  banned: boolean;
  /** The host or a moderator in the room now blocks the viewer. */
  blockedByModerator: boolean;
  /** The viewer is on stage now (a social room's speakers keep their place). */
  onStage: boolean;
  /** The viewer follows the host or someone on stage (social rooms). */
  followsStage: boolean;
  /** The viewer is on the room's access list (closed rooms). */
  invited: boolean;
  /** The viewer holds a place on stage arranged outside the room (an event's host or speaker). */
  granted: boolean;
}

/** Why someone may not be in a room: `banned` and `blocked` by people, `access` by the room's type. */
export type AccessRefusal = { kind: 'banned' | 'blocked' | 'access'; message: string };

/** Why the viewer may not enter (or stay in) the room, or null when they may. */
export function accessRefusal(facts: AccessFacts): AccessRefusal | null {
  const { room, viewer } = facts;
  if (facts.banned) return { kind: 'banned', message: 'You were removed from this room.' };
  if (viewer.admin || viewer.id === room.hostId) return null;
  if (facts.blockedByModerator) return { kind: 'blocked', message: 'Someone who runs this room has blocked you.' };
  // Whoever the room's arrangements put on stage (an event's hosts and speakers) is expected there.
  if (facts.granted) return null;
  switch (room.type) {
    case 'open':
      return null;
    case 'social':
      if (facts.onStage || facts.followsStage) return null;
      return {
        kind: 'access',
        message: viewer.guest
          ? 'This is a social room: only people who follow the host or a speaker can join. Sign in with an account and follow them.'
          : 'This is a social room: only people who follow the host or someone on stage can join.',
      };
    case 'closed':
      if (facts.invited) return null;
      return { kind: 'access', message: 'This room is closed: only people the host invited can join.' };
  }
}

/**
 * Whether a room is in the viewer's hallway: rooms they may enter, except closed rooms (never listed)
 * and rooms whose host is in a block with the viewer either way (neither sees the other's rooms).
 */
export function listedTo(facts: AccessFacts & { hostInBlockWithViewer: boolean }): boolean {
  if (facts.room.type === 'closed' || facts.hostInBlockWithViewer) return false;
  return accessRefusal(facts) === null;
}
