import {
  ParleyError,
  type AuditLogReply,
  type BlockListReply,
  type BlockReply,
  type Report,
  type ReportDecision,
  type ReportReason,
  type ReportTarget,
  type Suspension,
  type User,
} from '@parley/protocol';
import { AuditLog } from './audit';
import { newId } from './ids';
import { toPersonRef } from './invites';
import type { ReportView, SuspensionView } from './moderation-ports';
import type { Store } from './ports';
import type { RoomService } from './rooms';

/** The live connections of the server (WebSockets), so a suspension can cut them at once. */
export interface LiveConnections {
  /** Close every connection of this user; returns how many there were. */
  closeAllOf(userId: string): number;
}

/** The logging the safety service needs (pino fits). */
export interface SafetyLog {
  info(obj: object, msg: string): void;
}

/** Options of the {@link SafetyService}. */
export interface SafetyOptions {
  /** Reports one person may file per hour. */
  reportsPerHour: number;
}

/** A report, validated with the protocol's schema. */
export interface ReportInput {
  target: ReportTarget;
  reason: ReportReason;
  details: string;
}

/**
 * The person-level safety tools: blocks between members, reports of people and rooms, and the admins'
 * side — the moderation queue, suspending and unsuspending accounts, ending any room, the whole audit
 * log. A suspension takes effect at once: sessions end, API tokens stop working, live sockets close,
 * and the person is taken out of every room (their audio with them).
 */
export class SafetyService {
  private readonly audit: AuditLog;

  constructor(
    private readonly store: Store,
    private readonly rooms: RoomService,
    private readonly connections: LiveConnections,
    private readonly log: SafetyLog,
    private readonly options: SafetyOptions,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.audit = new AuditLog(store, clock);
  }

  /** Whether the user blocks the person with this username. */
  async blockStatus(user: User, username: string): Promise<BlockReply> {
    const target = await this.member(username);
    return { blocked: user.kind === 'member' && (await this.store.moderation.blocks.has(user.id, target)) };
  }

  /**
   * Block someone: the follows between the two go, neither sees the other's rooms in the hallway, and
   * the blocked person cannot enter — and leaves now — any room the blocker runs.
   */
  async block(user: User, username: string): Promise<BlockReply> {
    requireMember(user, 'block people');
    const target = await this.member(username);
    if (target === user.id) throw new ParleyError('conflict', 'You cannot block yourself.');
    await this.store.moderation.blocks.add(user.id, target, this.clock());
    this.rooms.enforceBlock(user.id, target);
    return { blocked: true };
  }

  /** Lift a block (follows that it removed stay removed). */
  async unblock(user: User, username: string): Promise<BlockReply> {
    requireMember(user, 'block people');
    const target = await this.member(username);
    await this.store.moderation.blocks.remove(user.id, target);
    return { blocked: false };
  }

  /** The people the user blocks. */
  async blocks(user: User): Promise<BlockListReply> {
    requireMember(user, 'block people');
    return { people: (await this.store.moderation.blocks.listBlocked(user.id)).map(toPersonRef) };
  }

  /** Report a person or a room to the admins. */
  async report(user: User, input: ReportInput): Promise<Report> {
    requireMember(user, 'report people or rooms');
    const since = new Date(this.clock().getTime() - 3_600_000);
    if ((await this.store.moderation.reports.countByReporterSince(user.id, since)) >= this.options.reportsPerHour) {
      throw new ParleyError('rate_limited', 'You have sent many reports in the last hour; the admins will look at them. Try again later.');
    }
    let subjectId: string;
    let roomId: string | null = null;
    if (input.target.kind === 'user') {
      subjectId = await this.member(input.target.username);
      if (subjectId === user.id) throw new ParleyError('conflict', 'You cannot report yourself.');
    } else {
      const room = await this.store.rooms.get(input.target.roomId);
      if (!room) throw new ParleyError('not_found', 'No such room.');
      if (room.hostId === user.id) throw new ParleyError('conflict', 'You cannot report your own room.');
      subjectId = room.hostId;
      roomId = room.id;
    }
    const id = newId();
    await this.store.moderation.reports.create({
      id,
      reporterId: user.id,
      subjectId,
      roomId,
      reason: input.reason,
      details: input.details,
      createdAt: this.clock(),
      status: 'open',
      resolvedBy: null,
      resolvedAt: null,
      resolutionNote: '',
    });
    this.log.info({ reportId: id, reporterId: user.id, subjectId, roomId, reason: input.reason }, 'report filed');
    return this.reportById(id);
  }

  /** The queue (open reports, oldest first) or the resolved ones (newest first). Admins only. */
  async reports(admin: User, status: 'open' | 'resolved'): Promise<Report[]> {
    await this.requireAdmin(admin);
    return (await this.store.moderation.reports.list(status, 200)).map(toReport);
  }

  /** Decide an open report: dismiss it, or suspend the account concerned (the person, or the room's host). */
  async resolve(admin: User, reportId: string, decision: ReportDecision, note: string): Promise<Report> {
    await this.requireAdmin(admin);
    const view = await this.store.moderation.reports.get(reportId);
    if (!view) throw new ParleyError('not_found', 'No such report.');
    if (view.report.status !== 'open') throw new ParleyError('conflict', 'This report has already been decided.');
    if (decision === 'suspend') await this.suspendAccount(admin, view.subject.id, note || `Report: ${view.report.reason}`, reportId);
    const resolved = await this.store.moderation.reports.resolve(reportId, {
      status: decision === 'suspend' ? 'actioned' : 'dismissed',
      by: admin.id,
      at: this.clock(),
      note,
    });
    if (!resolved) throw new ParleyError('conflict', 'This report has already been decided.');
    if (decision === 'dismiss') await this.audit.record({ actorId: admin.id, action: 'dismissReport', targetId: view.subject.id, roomId: view.report.roomId, reportId, note });
    return this.reportById(reportId);
  }

  /** Suspend the account with this username. Admins only; admins cannot be suspended. */
  async suspend(admin: User, username: string, reason: string): Promise<Suspension> {
    await this.requireAdmin(admin);
    const target = await this.member(username);
    if (!(await this.suspendAccount(admin, target, reason, null))) throw new ParleyError('conflict', 'This account is already suspended.');
    const suspension = (await this.store.moderation.suspensions.list()).find((s) => s.person.id === target);
    if (!suspension) throw new ParleyError('conflict', 'This account is no longer suspended.');
    return toSuspension(suspension);
  }

  /** Lift a suspension: the person may sign in again (their API tokens work again). */
  async unsuspend(admin: User, username: string): Promise<void> {
    await this.requireAdmin(admin);
    const target = await this.member(username);
    if (!(await this.store.moderation.suspensions.remove(target))) throw new ParleyError('not_found', 'This account is not suspended.');
    await this.audit.record({ actorId: admin.id, action: 'unsuspend', targetId: target });
    this.log.info({ userId: target, by: admin.id }, 'account unsuspended');
  }

  /** Every suspended account. Admins only. */
  async suspensions(admin: User): Promise<Suspension[]> {
    await this.requireAdmin(admin);
    return (await this.store.moderation.suspensions.list()).map(toSuspension);
  }

  /** The whole audit log, newest first. Admins only. */
  async auditLog(admin: User, cursor: string | undefined, limit: number): Promise<AuditLogReply> {
    await this.requireAdmin(admin);
    return this.audit.page(null, cursor, limit);
  }

  /** End any live room. Admins only. */
  async endRoom(admin: User, roomId: string, note: string): Promise<void> {
    await this.requireAdmin(admin);
    await this.rooms.endAsAdmin(roomId, admin.id, note);
  }

  /** Refuse anyone but a server admin. */
  async requireAdmin(user: User): Promise<void> {
    const account = user.kind === 'member' ? await this.store.accounts.get(user.id) : null;
    if (account?.role !== 'admin') throw new ParleyError('forbidden', 'Only an admin of this server can do this.');
  }

  /**
   * Suspend at once: the suspension is recorded first (so no new request gets through), then the
   * person leaves every room (media closed), their sockets close and their sessions end. False when
   * they were suspended already.
   */
  private async suspendAccount(admin: User, userId: string, reason: string, reportId: string | null): Promise<boolean> {
    if (userId === admin.id) throw new ParleyError('conflict', 'You cannot suspend yourself.');
    if ((await this.store.accounts.get(userId))?.role === 'admin') {
      throw new ParleyError('forbidden', 'Admins cannot be suspended. Another admin must take the admin role away first.');
    }
    const added = await this.store.moderation.suspensions.add({ userId, reason, suspendedBy: admin.id, suspendedAt: this.clock() });
    this.rooms.expelEverywhere(userId, 'suspended');
    const sockets = this.connections.closeAllOf(userId);
    const sessions = await this.store.sessions.deleteForUser(userId);
    if (added) {
      await this.audit.record({ actorId: admin.id, action: 'suspend', targetId: userId, reportId, note: reason });
      this.log.info({ userId, by: admin.id, reportId, sockets, sessions }, 'account suspended');
    }
    return added;
  }

  private member(username: string): Promise<string> {
    return memberId(this.store, username);
  }

  private async reportById(id: string): Promise<Report> {
    const view = await this.store.moderation.reports.get(id);
    if (!view) throw new ParleyError('not_found', 'No such report.');
    return toReport(view);
  }
}

/** The id of the member with this username (any case), or 404. */
export async function memberId(store: Store, username: string): Promise<string> {
  const view = await store.profiles.viewByUsername(username, null);
  if (!view) throw new ParleyError('not_found', 'Nobody has this username.');
  return view.person.id;
}

function requireMember(user: User, what: string): void {
  if (user.kind !== 'member') throw new ParleyError('forbidden', `Sign in with an account to ${what}.`);
}

function toReport(view: ReportView): Report {
  const { report } = view;
  return {
    id: report.id,
    reporter: toPersonRef(view.reporter),
    subject: toPersonRef(view.subject),
    subjectSuspended: view.subjectSuspended,
    room: view.room,
    reason: report.reason,
    details: report.details,
    createdAt: report.createdAt.toISOString(),
    status: report.status,
    resolution:
      report.status !== 'open' && view.resolver && report.resolvedAt
        ? { by: toPersonRef(view.resolver), at: report.resolvedAt.toISOString(), note: report.resolutionNote }
        : null,
  };
}

function toSuspension(view: SuspensionView): Suspension {
  return { person: toPersonRef(view.person), reason: view.reason, by: view.by ? toPersonRef(view.by) : null, at: view.at.toISOString() };
}
