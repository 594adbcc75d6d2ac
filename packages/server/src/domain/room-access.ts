import { ParleyError, type AuditLogReply, type RoomAccessListReply, type User } from '@parley/protocol';
import { AuditLog } from './audit';
import { toPersonRef } from './invites';
import type { RoomWithHost, Store } from './ports';
import type { RoomService } from './rooms';
import { memberId } from './safety';

/**
 * What the people who run a room manage besides the stage: a closed room's access list (who may
 * enter it) and the room's audit log. "Who runs it": its host, the moderators in it now, and the
 * server's admins.
 */
export class RoomAccessService {
  private readonly audit: AuditLog;

  constructor(
    private readonly store: Store,
    private readonly rooms: RoomService,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.audit = new AuditLog(store, clock);
  }

  /** A closed room's access list. */
  async list(user: User, roomId: string): Promise<RoomAccessListReply> {
    await this.closedRoomRunBy(user, roomId);
    return this.entries(roomId);
  }

  /** Let the member with this username into a closed room. */
  async grant(user: User, roomId: string, username: string): Promise<RoomAccessListReply> {
    const room = await this.closedRoomRunBy(user, roomId);
    const target = await this.member(username);
    if (target === room.hostId) throw new ParleyError('conflict', 'The host is always in their own room.');
    if (await this.store.moderation.access.grant(roomId, target, user.id, this.clock())) {
      await this.audit.record({ actorId: user.id, action: 'grantAccess', targetId: target, roomId });
    }
    return this.entries(roomId);
  }

  /** Take someone off a closed room's list; if they are in the room, they are taken out now. */
  async revoke(user: User, roomId: string, username: string): Promise<void> {
    await this.closedRoomRunBy(user, roomId);
    const target = await this.member(username);
    if (!(await this.store.moderation.access.revoke(roomId, target))) throw new ParleyError('not_found', 'This person is not on the access list.');
    await this.audit.record({ actorId: user.id, action: 'revokeAccess', targetId: target, roomId });
    await this.rooms.recheckAccess(roomId, target);
  }

  /** The room's audit log: for its host, its moderators now, and admins. */
  async auditLog(user: User, roomId: string, cursor: string | undefined, limit: number): Promise<AuditLogReply> {
    await this.runBy(user, roomId);
    return this.audit.page(roomId, cursor, limit);
  }

  private async entries(roomId: string): Promise<RoomAccessListReply> {
    const entries = await this.store.moderation.access.list(roomId);
    return { people: entries.map((entry) => ({ person: toPersonRef(entry.person), addedAt: entry.addedAt.toISOString() })) };
  }

  private async closedRoomRunBy(user: User, roomId: string): Promise<RoomWithHost> {
    const room = await this.runBy(user, roomId);
    if (room.type !== 'closed') throw new ParleyError('conflict', 'Only closed rooms have an access list: anyone may enter this room.');
    return room;
  }

  /** The room, if the user runs it (host, moderator now, or admin); 404 for unknown rooms, 403 otherwise. */
  private async runBy(user: User, roomId: string): Promise<RoomWithHost> {
    const room = await this.store.rooms.get(roomId);
    if (!room) throw new ParleyError('not_found', 'No such room.');
    if (user.kind === 'member' && (await this.rooms.runsRoom(roomId, user.id))) return room;
    const account = user.kind === 'member' ? await this.store.accounts.get(user.id) : null;
    if (account?.role === 'admin') return room;
    throw new ParleyError('forbidden', 'Only the host and moderators of this room can do this.');
  }

  private member(username: string): Promise<string> {
    return memberId(this.store, username);
  }
}
