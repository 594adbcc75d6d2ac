import type { RoomType, User } from '@parley/protocol';
import { accessRefusal, listedTo, type AccessFacts, type AccessRefusal } from './access-rules';
import type { Store } from './ports';

/** A room as the access rules see it: its type and host, and who is on stage and runs it now. */
export interface GatedRoom {
  id: string;
  type: RoomType;
  hostId: string;
  /** Ids of the people on stage now (host, moderators, speakers). */
  stage: readonly string[];
  /** Ids of the host and the moderators in the room now. */
  moderators: readonly string[];
}

/** The person asking, with what the rules need beyond the {@link User}. */
export interface Viewer {
  id: string;
  guest: boolean;
  /** A server admin (account role). */
  admin: boolean;
  /** A member's username (null for guests). */
  username?: string | null;
}

/**
 * Gathers the facts the access rules (access-rules.ts) need from the store — blocks, follows, access
 * lists, bans — with as few queries as the room's type allows, and applies the rules.
 */
export class RoomGate {
  constructor(private readonly store: Store) {}

  /** Who a user is for the rules: guest or member, admin or not (and their username). */
  async viewer(user: User): Promise<Viewer> {
    if (user.kind !== 'member') return { id: user.id, guest: true, admin: false, username: null };
    const [account, profile] = await Promise.all([this.store.accounts.get(user.id), this.store.profiles.get(user.id)]);
    return { id: user.id, guest: false, admin: account?.role === 'admin', username: profile?.username ?? null };
  }

  /** Whether an account is a server admin. */
  async isAdmin(userId: string): Promise<boolean> {
    return (await this.store.accounts.get(userId))?.role === 'admin';
  }

  /**
   * Why the viewer may not be in the room, or null. `banned` comes from the live room (it knows its
   * removals), `granted` from the room's arrangements (an event's hosts and speakers).
   */
  async refusal(room: GatedRoom, viewer: Viewer, known: { banned: boolean; granted: boolean }): Promise<AccessRefusal | null> {
    const base: AccessFacts = {
      room,
      viewer,
      banned: known.banned,
      granted: known.granted,
      blockedByModerator: false,
      onStage: room.stage.includes(viewer.id),
      followsStage: false,
      invited: false,
    };
    // Cheap answers first: most joins need one query or none.
    const first = accessRefusal({ ...base, followsStage: true, invited: true });
    if (first !== null || viewer.admin || viewer.id === room.hostId) return first;
    const blockers = unique([room.hostId, ...room.moderators]).filter((id) => id !== viewer.id);
    const facts: AccessFacts = {
      ...base,
      // Blocks name people by username, which guests do not have: a guest is never blocked.
      blockedByModerator: !viewer.guest && (await this.store.moderation.blocks.blockersAmong(viewer.id, blockers)).length > 0,
      followsStage: room.type === 'social' && !base.onStage && !viewer.guest && (await this.follows(viewer.id, [room.hostId, ...room.stage])),
      invited: room.type === 'closed' && !viewer.guest && (await this.store.moderation.access.has(room.id, viewer.id)),
    };
    return accessRefusal(facts);
  }

  /** Which of the rooms the hallway shows this viewer (null: no session). */
  async listed(rooms: readonly GatedRoom[], viewer: Viewer | null): Promise<boolean[]> {
    if (rooms.length === 0) return [];
    if (viewer === null || viewer.guest) {
      // Guests follow nobody and are on no access list; they cannot be blocked (blocks are between accounts).
      const banned = viewer ? new Set(await this.store.moderation.bans.roomsAmong(viewer.id, rooms.map((r) => r.id))) : new Set<string>();
      return rooms.map((room) => room.type === 'open' && !banned.has(room.id));
    }
    const social = rooms.filter((room) => room.type === 'social');
    const [relations, banned, followed] = await Promise.all([
      this.store.moderation.blocks.relations(viewer.id),
      this.store.moderation.bans.roomsAmong(viewer.id, rooms.map((r) => r.id)),
      this.store.follows.followedAmong(viewer.id, unique(social.flatMap((room) => [room.hostId, ...room.stage]))),
    ]);
    const bannedRooms = new Set(banned);
    const follows = new Set(followed);
    return rooms.map((room) =>
      listedTo({
        room,
        viewer,
        banned: bannedRooms.has(room.id),
        blockedByModerator: room.moderators.some((id) => relations.blockedBy.has(id)) || relations.blockedBy.has(room.hostId),
        onStage: room.stage.includes(viewer.id),
        followsStage: [room.hostId, ...room.stage].some((id) => follows.has(id)),
        invited: false,
        granted: false,
        hostInBlockWithViewer: relations.blocks.has(room.hostId) || relations.blockedBy.has(room.hostId),
      }),
    );
  }

  private async follows(viewerId: string, candidates: readonly string[]): Promise<boolean> {
    const others = unique(candidates).filter((id) => id !== viewerId);
    return (await this.store.follows.followedAmong(viewerId, others)).length > 0;
  }
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
