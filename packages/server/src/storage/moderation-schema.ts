import { index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { rooms, users } from './schema';

/**
 * Drizzle definitions of the safety tables (migration 20 in `migrations.ts` creates them): blocks,
 * closed rooms' access lists, room bans, suspensions, reports and the audit log.
 */

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One person refusing another. */
export const blocks = pgTable(
  'blocks',
  {
    blockerId: text('blocker_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    blockedId: text('blocked_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: at('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.blockerId, t.blockedId] }), index('blocks_blocked_idx').on(t.blockedId)],
);

/** Who may enter a closed room. */
export const roomAccess = pgTable(
  'room_access',
  {
    roomId: text('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    addedBy: text('added_by').references(() => users.id, { onDelete: 'set null' }),
    addedAt: at('added_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] })],
);

/** People removed from a room: they may not come back. */
export const roomBans = pgTable(
  'room_bans',
  {
    roomId: text('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    bannedBy: text('banned_by').references(() => users.id, { onDelete: 'set null' }),
    bannedAt: at('banned_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] }), index('room_bans_user_idx').on(t.userId)],
);

/** Suspended accounts. */
export const suspensions = pgTable('suspensions', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  reason: text('reason').notNull(),
  suspendedBy: text('suspended_by').references(() => users.id, { onDelete: 'set null' }),
  suspendedAt: at('suspended_at').notNull(),
});

/** Reports of people and rooms, and the admins' decisions. */
export const reports = pgTable(
  'reports',
  {
    id: text('id').primaryKey(),
    reporterId: text('reporter_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    subjectId: text('subject_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    roomId: text('room_id').references(() => rooms.id, { onDelete: 'cascade' }),
    reason: text('reason', { enum: ['spam', 'harassment', 'hate', 'sexual', 'violence', 'impersonation', 'other'] }).notNull(),
    details: text('details').notNull(),
    createdAt: at('created_at').notNull(),
    status: text('status', { enum: ['open', 'dismissed', 'actioned'] }).notNull(),
    resolvedBy: text('resolved_by').references(() => users.id, { onDelete: 'set null' }),
    resolvedAt: at('resolved_at'),
    resolutionNote: text('resolution_note').notNull().default(''),
  },
  (t) => [index('reports_status_idx').on(t.status, t.createdAt), index('reports_reporter_idx').on(t.reporterId, t.createdAt)],
);

/** Every moderation act. No foreign keys: the log outlives what it names. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    at: at('at').notNull(),
    actorId: text('actor_id').notNull(),
    action: text('action', {
      enum: ['muteOther', 'moveToAudience', 'remove', 'promoteModerator', 'demoteModerator', 'endRoom', 'grantAccess', 'revokeAccess', 'suspend', 'unsuspend', 'dismissReport'],
    }).notNull(),
    targetId: text('target_id'),
    roomId: text('room_id'),
    reportId: text('report_id'),
    note: text('note').notNull().default(''),
  },
  (t) => [index('audit_log_at_idx').on(t.at, t.id), index('audit_log_room_idx').on(t.roomId, t.at, t.id)],
);
