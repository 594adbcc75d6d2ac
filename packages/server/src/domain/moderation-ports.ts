import type { AuditAction, ReportReason, ReportStatus, RoomStatus } from '@parley/protocol';
import type { PersonRecord } from './accounts-ports';

/**
 * The storage ports of the safety tools: blocks, closed rooms' access lists, room bans, reports,
 * suspensions and the audit log. They are parts of the one {@link Store} (domain/ports.ts, as
 * `store.moderation`); src/storage/moderation-store.ts implements them and the storage contract suite
 * runs them on PGlite and Postgres.
 */

/** A room as reports and the audit log name it. */
export interface RoomRefRecord {
  id: string;
  title: string;
  status: RoomStatus;
}

/** Someone named in the audit log: a member, or a guest (no username). */
export interface AuditPersonRecord {
  id: string;
  displayName: string;
  username: string | null;
}

/** People in a block with one person, either way. */
export interface BlockRelations {
  /** Whom the person blocks. */
  blocks: ReadonlySet<string>;
  /** Who blocks the person. */
  blockedBy: ReadonlySet<string>;
}

/** Blocks: one person (the blocker) refuses another. Private to the blocker. */
export interface BlockStore {
  /**
   * Record a block and remove the follow edges between the two (either way), in one transaction, so
   * neither shows in the other's follow lists. False when it existed already.
   */
  add(blockerId: string, blockedId: string, at: Date): Promise<boolean>;
  /** Lift a block; false when there was none. */
  remove(blockerId: string, blockedId: string): Promise<boolean>;
  /** Whether `blockerId` blocks `blockedId`. */
  has(blockerId: string, blockedId: string): Promise<boolean>;
  /** Whether either blocks the other. */
  between(a: string, b: string): Promise<boolean>;
  /** The people this person blocks, most recent first. */
  listBlocked(blockerId: string): Promise<PersonRecord[]>;
  /** Everyone in a block with this person, either way. */
  relations(userId: string): Promise<BlockRelations>;
  /** Which of `blockerIds` block `userId`. */
  blockersAmong(userId: string, blockerIds: readonly string[]): Promise<string[]>;
  /** Which of `candidateIds` `blockerId` blocks. */
  blockedAmong(blockerId: string, candidateIds: readonly string[]): Promise<string[]>;
}

/** A closed room's access list: the people let in. */
export interface RoomAccessStore {
  /** Add to the list; false when already on it. */
  grant(roomId: string, userId: string, by: string, at: Date): Promise<boolean>;
  /** Take off the list; false when not on it. */
  revoke(roomId: string, userId: string): Promise<boolean>;
  has(roomId: string, userId: string): Promise<boolean>;
  /** The list, most recently added first. */
  list(roomId: string): Promise<{ person: PersonRecord; addedAt: Date }[]>;
}

/** People removed from a room by a moderator: they stay out, across restarts. */
export interface RoomBanStore {
  /** Record a removal; adding it twice is the same as once. */
  add(roomId: string, userId: string, by: string, at: Date): Promise<void>;
  /** Everyone removed from the room. */
  list(roomId: string): Promise<string[]>;
  /** Which of `roomIds` the person was removed from. */
  roomsAmong(userId: string, roomIds: readonly string[]): Promise<string[]>;
}

/** A report as stored. `subjectId` is the person reported, or the host of the room reported. */
export interface ReportRecord {
  id: string;
  reporterId: string;
  subjectId: string;
  roomId: string | null;
  reason: ReportReason;
  details: string;
  createdAt: Date;
  status: ReportStatus;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  resolutionNote: string;
}

/** A report with the people and room it names, read in one go for the queue. */
export interface ReportView {
  report: ReportRecord;
  reporter: PersonRecord;
  subject: PersonRecord;
  subjectSuspended: boolean;
  room: RoomRefRecord | null;
  resolver: PersonRecord | null;
}

/** Reports and the admins' queue. */
export interface ReportStore {
  create(report: ReportRecord): Promise<void>;
  get(id: string): Promise<ReportView | null>;
  /** Open reports oldest first (the queue), or resolved ones newest first. */
  list(status: 'open' | 'resolved', limit: number): Promise<ReportView[]>;
  /** Close an open report; false when it was not open (someone decided first). */
  resolve(id: string, resolution: { status: Exclude<ReportStatus, 'open'>; by: string; at: Date; note: string }): Promise<boolean>;
  /** How many reports this reporter filed since `since` (to slow a flood down). */
  countByReporterSince(reporterId: string, since: Date): Promise<number>;
}

/** A suspended account. */
export interface SuspensionRecord {
  userId: string;
  reason: string;
  suspendedBy: string;
  suspendedAt: Date;
}

/** A suspension with the people it names. */
export interface SuspensionView {
  person: PersonRecord;
  reason: string;
  by: PersonRecord | null;
  at: Date;
}

/** Suspended accounts. */
export interface SuspensionStore {
  /** Suspend; false when already suspended. */
  add(suspension: SuspensionRecord): Promise<boolean>;
  /** Lift; false when not suspended. */
  remove(userId: string): Promise<boolean>;
  isSuspended(userId: string): Promise<boolean>;
  /** Every suspended account, most recent first. */
  list(): Promise<SuspensionView[]>;
}

/** One moderation act as stored. */
export interface AuditRecord {
  id: string;
  at: Date;
  actorId: string;
  action: AuditAction;
  targetId: string | null;
  roomId: string | null;
  reportId: string | null;
  note: string;
}

/** An act with the people and room it names. */
export interface AuditView {
  entry: AuditRecord;
  actor: AuditPersonRecord;
  target: AuditPersonRecord | null;
  room: RoomRefRecord | null;
}

/** Where a page of the audit log starts: after this entry (newest first). */
export interface AuditCursor {
  at: Date;
  id: string;
}

/** The audit log: appended to, never changed. */
export interface AuditStore {
  append(entry: AuditRecord): Promise<void>;
  /** One page, newest first: the whole log, or one room's. */
  list(query: { roomId: string | null; after: AuditCursor | null; limit: number }): Promise<AuditView[]>;
}

/** Everything the safety tools store. */
export interface ModerationStore {
  blocks: BlockStore;
  access: RoomAccessStore;
  bans: RoomBanStore;
  reports: ReportStore;
  suspensions: SuspensionStore;
  audit: AuditStore;
}
