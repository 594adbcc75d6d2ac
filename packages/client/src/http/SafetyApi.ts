import {
  AuditLogReply,
  BlockListReply,
  BlockReply,
  ReportListReply,
  ReportReply,
  RoomAccessListReply,
  SuspensionListReply,
  SuspensionReply,
  type AdminEndRoomBody,
  type CreateReportBody,
  type GrantRoomAccessBody,
  type PageQuery,
  type PersonRef,
  type Report,
  type ReportDecision,
  type ResolveReportBody,
  type Suspension,
  type SuspendBody,
} from '@parley/protocol';
import type { HttpClient } from './HttpClient';

const path = (value: string) => encodeURIComponent(value);

function pageSuffix(page: PageQuery): string {
  const query = new URLSearchParams();
  if (page.cursor) query.set('cursor', page.cursor);
  if (page.limit !== undefined) query.set('limit', String(page.limit));
  return query.size > 0 ? `?${query}` : '';
}

/** Blocks, reports, and the rooms' access lists and audit logs (`client.safety`). */
export class SafetyApi {
  constructor(private readonly http: HttpClient) {}

  /** Whether you block the person with this username. */
  isBlocked = async (username: string): Promise<boolean> => (await this.http.send('GET', `/api/users/${path(username)}/block`, BlockReply)).blocked;

  /** Block someone: they cannot enter rooms you run (and leave them now); neither sees the other's rooms. */
  block = async (username: string): Promise<boolean> => (await this.http.send('PUT', `/api/users/${path(username)}/block`, BlockReply)).blocked;

  unblock = async (username: string): Promise<boolean> => (await this.http.send('DELETE', `/api/users/${path(username)}/block`, BlockReply)).blocked;

  /** The people you block. */
  blocks = async (): Promise<PersonRef[]> => (await this.http.send('GET', '/api/account/blocks', BlockListReply)).people;

  /** Report a person or a room to the server's admins. */
  report = async (body: CreateReportBody): Promise<Report> => (await this.http.send('POST', '/api/reports', ReportReply, body)).report;

  /** A closed room's access list (its host, moderators and admins). */
  accessList = (roomId: string): Promise<RoomAccessListReply> => this.http.send('GET', `/api/rooms/${path(roomId)}/access`, RoomAccessListReply);

  /** Let someone into a closed room. */
  grantAccess = (roomId: string, username: string): Promise<RoomAccessListReply> => {
    const body: GrantRoomAccessBody = { username };
    return this.http.send('POST', `/api/rooms/${path(roomId)}/access`, RoomAccessListReply, body);
  };

  /** Take someone off a closed room's list; they leave the room now. */
  revokeAccess = (roomId: string, username: string): Promise<void> => this.http.sendEmpty('DELETE', `/api/rooms/${path(roomId)}/access/${path(username)}`);

  /** One page of a room's moderation acts, newest first (its host, moderators and admins). */
  roomAudit = (roomId: string, page: PageQuery = {}): Promise<AuditLogReply> => this.http.send('GET', `/api/rooms/${path(roomId)}/audit${pageSuffix(page)}`, AuditLogReply);
}

/** The admins' tools (`client.admin`): the moderation queue, suspensions, the audit log, ending rooms. */
export class AdminApi {
  constructor(private readonly http: HttpClient) {}

  /** Open reports oldest first, or decided ones newest first. */
  reports = async (status: 'open' | 'resolved' = 'open'): Promise<Report[]> =>
    (await this.http.send('GET', `/api/admin/reports?status=${status}`, ReportListReply)).reports;

  /** Dismiss a report, or suspend the account it concerns. */
  resolve = async (reportId: string, decision: ReportDecision, note = ''): Promise<Report> => {
    const body: ResolveReportBody = { decision, note };
    return (await this.http.send('POST', `/api/admin/reports/${path(reportId)}/resolve`, ReportReply, body)).report;
  };

  suspensions = async (): Promise<Suspension[]> => (await this.http.send('GET', '/api/admin/suspensions', SuspensionListReply)).suspensions;

  /** Suspend an account: its sessions, tokens and sockets stop at once. */
  suspend = async (username: string, reason: string): Promise<Suspension> => {
    const body: SuspendBody = { reason };
    return (await this.http.send('PUT', `/api/admin/users/${path(username)}/suspension`, SuspensionReply, body)).suspension;
  };

  unsuspend = (username: string): Promise<void> => this.http.sendEmpty('DELETE', `/api/admin/users/${path(username)}/suspension`);

  /** One page of the whole audit log, newest first. */
  audit = (page: PageQuery = {}): Promise<AuditLogReply> => this.http.send('GET', `/api/admin/audit${pageSuffix(page)}`, AuditLogReply);

  /** End any live room. */
  endRoom = (roomId: string, note = ''): Promise<void> => {
    const body: AdminEndRoomBody = { note };
    return this.http.sendEmpty('POST', `/api/admin/rooms/${path(roomId)}/end`, body);
  };
}
