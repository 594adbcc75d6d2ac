import { z } from 'zod';
import { PersonRef } from './accounts';
import { DisplayName, Id, RoomStatus, RoomTitle } from './model';

/**
 * Safety tools: blocks, reports and the admin moderation queue, account suspension, closed rooms'
 * access lists and the audit log of moderation acts — the bodies and replies of their HTTP endpoints
 * (docs/protocol.md, section "Safety"; the rules in docs/roles.md).
 */

/** A username as it appears in a body (the rules for new names are checked at sign-up). */
const UsernameRef = z.string().trim().min(1, 'username is required').max(64).regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'not a username');

/** `GET|PUT|DELETE /api/users/:username/block`: whether you block this person (after the change). */
export const BlockReply = z.object({ blocked: z.boolean() });
export type BlockReply = z.infer<typeof BlockReply>;

/** `GET /api/account/blocks`: the people you block, most recent first. */
export const BlockListReply = z.object({ people: z.array(PersonRef) });
export type BlockListReply = z.infer<typeof BlockListReply>;

/** Why something is reported. */
export const ReportReason = z.enum(['spam', 'harassment', 'hate', 'sexual', 'violence', 'impersonation', 'other']);
export type ReportReason = z.infer<typeof ReportReason>;

/** How each reason reads in a form or the queue. */
export const reportReasonLabels: Record<ReportReason, string> = {
  spam: 'Spam or scam',
  harassment: 'Harassment or bullying',
  hate: 'Hateful conduct',
  sexual: 'Sexual content',
  violence: 'Violence or threats',
  impersonation: 'Impersonation',
  other: 'Something else',
};

/** What a report is about: a person (by username) or a room. */
export const ReportTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), username: UsernameRef }),
  z.object({ kind: z.literal('room'), roomId: Id }),
]);
export type ReportTarget = z.infer<typeof ReportTarget>;

/** `POST /api/reports`: report a person or a room to the server's admins. */
export const CreateReportBody = z.object({
  target: ReportTarget,
  reason: ReportReason,
  /** What happened, in the reporter's words. */
  details: z.string().trim().max(1000, 'details are at most 1000 characters').default(''),
});
export type CreateReportBody = z.input<typeof CreateReportBody>;

/** Where a report is in the queue. `actioned`: the account concerned was suspended. */
export const ReportStatus = z.enum(['open', 'dismissed', 'actioned']);
export type ReportStatus = z.infer<typeof ReportStatus>;

/** A room as a report or the audit log names it. */
export const RoomRef = z.object({ id: Id, title: RoomTitle, status: RoomStatus });
export type RoomRef = z.infer<typeof RoomRef>;

/** What an admin decides about a report: nothing to do, or suspend the account concerned. */
export const ReportDecision = z.enum(['dismiss', 'suspend']);
export type ReportDecision = z.infer<typeof ReportDecision>;

/** A report, as the admins' queue shows it. */
export const Report = z.object({
  id: Id,
  reporter: PersonRef,
  /** The account a suspension would hit: the person reported, or the host of the room reported. */
  subject: PersonRef,
  /** Whether `subject` is suspended now. */
  subjectSuspended: z.boolean(),
  /** The room reported, or null for a report about a person. */
  room: RoomRef.nullable(),
  reason: ReportReason,
  details: z.string(),
  createdAt: z.iso.datetime(),
  status: ReportStatus,
  /** Who decided, when, and why; null while open. */
  resolution: z.object({ by: PersonRef, at: z.iso.datetime(), note: z.string() }).nullable(),
});
export type Report = z.infer<typeof Report>;

/** `POST /api/reports` and `POST /api/admin/reports/:id/resolve` reply. */
export const ReportReply = z.object({ report: Report });
export type ReportReply = z.infer<typeof ReportReply>;

/** `GET /api/admin/reports?status=open|resolved`: open ones oldest first (a queue), resolved newest first. */
export const ReportQuery = z.object({ status: z.enum(['open', 'resolved']).default('open') });
export type ReportQuery = z.input<typeof ReportQuery>;

/** `GET /api/admin/reports` reply. */
export const ReportListReply = z.object({ reports: z.array(Report) });
export type ReportListReply = z.infer<typeof ReportListReply>;

/** A short note to the audit log, from the admin or moderator acting. */
const Note = z.string().trim().max(500, 'the note is at most 500 characters');

/** `POST /api/admin/reports/:id/resolve`. */
export const ResolveReportBody = z.object({ decision: ReportDecision, note: Note.default('') });
export type ResolveReportBody = z.input<typeof ResolveReportBody>;

/** `PUT /api/admin/users/:username/suspension`: suspend an account, saying why. */
export const SuspendBody = z.object({ reason: Note.min(1, 'say why') });
export type SuspendBody = z.input<typeof SuspendBody>;

/** A suspended account. */
export const Suspension = z.object({ person: PersonRef, reason: z.string(), by: PersonRef.nullable(), at: z.iso.datetime() });
export type Suspension = z.infer<typeof Suspension>;

/** `PUT /api/admin/users/:username/suspension` reply. */
export const SuspensionReply = z.object({ suspension: Suspension });
export type SuspensionReply = z.infer<typeof SuspensionReply>;

/** `GET /api/admin/suspensions`: suspended accounts, most recent first. */
export const SuspensionListReply = z.object({ suspensions: z.array(Suspension) });
export type SuspensionListReply = z.infer<typeof SuspensionListReply>;

/** `POST /api/admin/rooms/:id/end`: an admin ends a live room, saying why (for the audit log). */
export const AdminEndRoomBody = z.object({ note: Note.default('') });
export type AdminEndRoomBody = z.input<typeof AdminEndRoomBody>;

/** `POST /api/rooms/:id/access`: let someone into a closed room. */
export const GrantRoomAccessBody = z.object({ username: UsernameRef });
export type GrantRoomAccessBody = z.input<typeof GrantRoomAccessBody>;

/** One person on a closed room's access list. */
export const RoomAccessEntry = z.object({ person: PersonRef, addedAt: z.iso.datetime() });
export type RoomAccessEntry = z.infer<typeof RoomAccessEntry>;

/** `GET|POST /api/rooms/:id/access` reply: the whole list, most recently added first. */
export const RoomAccessListReply = z.object({ people: z.array(RoomAccessEntry) });
export type RoomAccessListReply = z.infer<typeof RoomAccessListReply>;

/**
 * Moderation acts the audit log records: stage acts in a room (muting someone else, moving them to the
 * audience, removing them, making or unmaking moderators, ending the room, changing a closed room's
 * access list) and admin acts (suspending, unsuspending, dismissing a report).
 */
export const AuditAction = z.enum([
  'muteOther',
  'moveToAudience',
  'remove',
  'promoteModerator',
  'demoteModerator',
  'endRoom',
  'grantAccess',
  'revokeAccess',
  'suspend',
  'unsuspend',
  'dismissReport',
]);
export type AuditAction = z.infer<typeof AuditAction>;

/** Someone named in the audit log; `username` is null for a guest. */
export const AuditPerson = z.object({ id: Id, displayName: DisplayName, username: z.string().nullable() });
export type AuditPerson = z.infer<typeof AuditPerson>;

/** One moderation act: who did what, to whom, when, and in which room. */
export const AuditEntry = z.object({
  id: Id,
  at: z.iso.datetime(),
  actor: AuditPerson,
  action: AuditAction,
  target: AuditPerson.nullable(),
  room: RoomRef.nullable(),
  /** The report an admin act answered, if any. */
  reportId: Id.nullable(),
  /** A reason or note, when the act had one. */
  note: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** `GET /api/admin/audit` and `GET /api/rooms/:id/audit` (query `cursor`, `limit`): newest first. */
export const AuditLogReply = z.object({ entries: z.array(AuditEntry), nextCursor: z.string().nullable() });
export type AuditLogReply = z.infer<typeof AuditLogReply>;
