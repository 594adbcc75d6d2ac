import { customType, index, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

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

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Binary column (avatars). Both drivers read bytea as a Uint8Array (node-postgres: a Buffer). */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/** Credentials and role of a person with an account. */
export const accounts = pgTable(
  'accounts',
  {
    userId: text('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    passwordHash: text('password_hash'),
    emailVerifiedAt: at('email_verified_at'),
    role: text('role', { enum: ['member', 'admin'] }).notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [uniqueIndex('accounts_email_idx').on(t.email)],
);

/** The public side of an account. `usernameKey` is the lower-cased username the uniqueness is on. */
export const profiles = pgTable(
  'profiles',
  {
    userId: text('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    username: text('username').notNull(),
    usernameKey: text('username_key').notNull(),
    bio: text('bio').notNull().default(''),
    avatarVersion: text('avatar_version'),
    invitedBy: text('invited_by').references(() => users.id, { onDelete: 'set null' }),
    joinedAt: at('joined_at').notNull(),
  },
  (t) => [uniqueIndex('profiles_username_key_idx').on(t.usernameKey), index('profiles_invited_by_idx').on(t.invitedBy)],
);

/** Re-encoded avatar images, kept in the database so every node of a cluster serves them. */
export const avatars = pgTable('avatars', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  version: text('version').notNull(),
  contentType: text('content_type').notNull(),
  bytes: bytea('bytes').notNull(),
  updatedAt: at('updated_at').notNull(),
});

/** The follow graph: one row per edge follower → followee. */
export const follows = pgTable(
  'follows',
  {
    followerId: text('follower_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    followeeId: text('followee_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: at('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.followerId, t.followeeId] }),
    index('follows_followee_idx').on(t.followeeId, t.createdAt),
    index('follows_follower_idx').on(t.followerId, t.createdAt),
  ],
);

/** Invitations to join the server; `redeemedAt` set means used. */
export const invites = pgTable(
  'invites',
  {
    code: text('code').primaryKey(),
    inviterId: text('inviter_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: text('email'),
    createdAt: at('created_at').notNull(),
    redeemedBy: text('redeemed_by')
      .unique()
      .references(() => users.id, { onDelete: 'set null' }),
    redeemedAt: at('redeemed_at'),
  },
  (t) => [index('invites_inviter_idx').on(t.inviterId, t.createdAt)],
);

/** One-time tokens of emailed links (verification, password reset), hashed. */
export const emailTokens = pgTable(
  'email_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['verify', 'reset'] }).notNull(),
    email: text('email').notNull(),
    createdAt: at('created_at').notNull(),
    expiresAt: at('expires_at').notNull(),
    usedAt: at('used_at'),
  },
  (t) => [index('email_tokens_user_idx').on(t.userId)],
);

/** Personal API tokens, hashed. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: at('created_at').notNull(),
    lastUsedAt: at('last_used_at'),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);

/** Server-wide settings changed at run time. */
export const serverSettings = pgTable('server_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
