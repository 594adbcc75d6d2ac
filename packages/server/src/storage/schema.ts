import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Drizzle table definitions. They describe the tables the SQL migrations in `migrations.ts` create;
 * the storage contract suite checks the two agree by exercising every repository on a migrated database.
 */

/** A person. Guests have only a display name; accounts add credentials in their own table. */
export const users = pgTable('users', {
  id: text('id').primaryKey(),
  displayName: text('display_name').notNull(),
  kind: text('kind', { enum: ['guest', 'member'] }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
});

/** A sign-in: the cookie holds a random token, the table only its SHA-256 hash. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** A room's record. Its live state (participants, stage) is in memory on the node that hosts it. */
export const rooms = pgTable(
  'rooms',
  {
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    type: text('type', { enum: ['open', 'social', 'closed'] }).notNull(),
    status: text('status', { enum: ['scheduled', 'live', 'ended'] }).notNull(),
    hostId: text('host_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('rooms_status_idx').on(t.status)],
);
