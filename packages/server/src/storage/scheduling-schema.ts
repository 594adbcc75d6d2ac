import { boolean, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { invites, rooms, users } from './schema';

/**
 * Drizzle definitions of the tables of migration 30: scheduled events, invitations and their threads,
 * delegations, the record of acts, speaker links, stage grants, calendar feeds, notifications and jobs.
 * The SQL in `migrations.ts` creates them (indexes and checks live there); the storage contract suite
 * checks the two agree.
 */

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const userRef = (name: string) => text(name).references(() => users.id);

/** A talk announced ahead; `roomId` is reserved when it goes live. */
export const scheduledEvents = pgTable('scheduled_events', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  description: text('description').notNull(),
  startsAt: at('starts_at').notNull(),
  durationMinutes: integer('duration_minutes').notNull(),
  timeZone: text('time_zone').notNull(),
  roomType: text('room_type', { enum: ['open', 'social', 'closed'] }).notNull(),
  createdBy: userRef('created_by').notNull(),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
  cancelledAt: at('cancelled_at'),
  roomId: text('room_id'),
  liveAt: at('live_at'),
});

/** An event's hosts; `position` 0 is the first host (who hosts the live room). */
export const eventHosts = pgTable(
  'event_hosts',
  {
    eventId: text('event_id')
      .notNull()
      .references(() => scheduledEvents.id),
    userId: userRef('user_id').notNull(),
    position: integer('position').notNull(),
    addedAt: at('added_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.userId] })],
);

/** "Notify me": people who want the reminder. */
export const eventRsvps = pgTable(
  'event_rsvps',
  {
    eventId: text('event_id')
      .notNull()
      .references(() => scheduledEvents.id),
    userId: userRef('user_id').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.userId] })],
);

/** An event's speaker list: people who accepted an invitation to speak. */
export const eventSpeakers = pgTable(
  'event_speakers',
  {
    eventId: text('event_id')
      .notNull()
      .references(() => scheduledEvents.id),
    userId: userRef('user_id').notNull(),
    invitationId: text('invitation_id'),
    addedAt: at('added_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.userId] })],
);

/** Invitations to speak, from person to person (or to an email address, until its owner signs up). */
export const invitations = pgTable('invitations', {
  id: text('id').primaryKey(),
  kind: text('kind', { enum: ['event', 'room'] }).notNull(),
  status: text('status', { enum: ['pending', 'accepted', 'declined', 'withdrawn', 'expired'] }).notNull(),
  eventId: text('event_id').references(() => scheduledEvents.id),
  roomId: text('room_id').references(() => rooms.id),
  inviterId: userRef('inviter_id').notNull(),
  inviteeId: userRef('invitee_id'),
  inviteeEmail: text('invitee_email'),
  inviteCode: text('invite_code').references(() => invites.code),
  topic: text('topic').notNull(),
  startsAt: at('starts_at').notNull(),
  expectedAudience: text('expected_audience').notNull(),
  recorded: boolean('recorded').notNull(),
  createdAt: at('created_at').notNull(),
  createdBy: userRef('created_by'),
  expiresAt: at('expires_at').notNull(),
  decidedAt: at('decided_at'),
  decidedBy: userRef('decided_by'),
  decidedFor: userRef('decided_for'),
});

/** Questions and answers in an invitation's thread. */
export const invitationMessages = pgTable('invitation_messages', {
  id: text('id').primaryKey(),
  invitationId: text('invitation_id')
    .notNull()
    .references(() => invitations.id),
  side: text('side', { enum: ['inviter', 'invitee'] }).notNull(),
  body: text('body').notNull(),
  authorId: userRef('author_id').notNull(),
  principalId: userRef('principal_id').notNull(),
  createdAt: at('created_at').notNull(),
});

/** Grants to act for someone; a revoked grant stays for the record. */
export const delegations = pgTable('delegations', {
  id: text('id').primaryKey(),
  principalId: userRef('principal_id').notNull(),
  delegateId: userRef('delegate_id').notNull(),
  scopes: text('scopes').array().notNull(),
  createdAt: at('created_at').notNull(),
  revokedAt: at('revoked_at'),
  revokedBy: userRef('revoked_by'),
});

/** Who did what for whom. */
export const acts = pgTable('acts', {
  id: text('id').primaryKey(),
  action: text('action').notNull(),
  subjectId: text('subject_id').notNull(),
  at: at('at').notNull(),
  actorId: userRef('actor_id'),
  principalId: userRef('principal_id'),
});

/** One-time links that put a named guest on stage in one room; only the token's hash is kept. */
export const speakerLinks = pgTable('speaker_links', {
  id: text('id').primaryKey(),
  tokenHash: text('token_hash').notNull().unique(),
  guestName: text('guest_name').notNull(),
  eventId: text('event_id').references(() => scheduledEvents.id),
  roomId: text('room_id').references(() => rooms.id),
  createdBy: userRef('created_by'),
  createdFor: userRef('created_for').notNull(),
  createdAt: at('created_at').notNull(),
  expiresAt: at('expires_at').notNull(),
  usedAt: at('used_at'),
  usedBy: userRef('used_by'),
  revokedAt: at('revoked_at'),
});

/** Places on stage in a live room arranged outside it (an accepted ping). */
export const roomGrants = pgTable(
  'room_grants',
  {
    roomId: text('room_id')
      .notNull()
      .references(() => rooms.id),
    userId: userRef('user_id').notNull(),
    role: text('role', { enum: ['moderator', 'speaker'] }).notNull(),
    grantedAt: at('granted_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] })],
);

/** The secret of each person's calendar feed URL, hashed. */
export const calendarFeeds = pgTable('calendar_feeds', {
  userId: userRef('user_id').primaryKey(),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: at('created_at').notNull(),
});

/** Notifications, per person; `dedupeKey` makes a retried job notify once. */
export const notifications = pgTable('notifications', {
  id: text('id').primaryKey(),
  userId: userRef('user_id').notNull(),
  kind: text('kind').notNull(),
  text: text('text').notNull(),
  link: text('link').notNull(),
  actorId: userRef('actor_id'),
  onBehalfOf: userRef('on_behalf_of'),
  invitationId: text('invitation_id'),
  eventId: text('event_id'),
  roomId: text('room_id'),
  dedupeKey: text('dedupe_key').notNull(),
  createdAt: at('created_at').notNull(),
  readAt: at('read_at'),
});

/** Switches per person and kind; a missing row means the default. */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    userId: userRef('user_id').notNull(),
    kind: text('kind').notNull(),
    inApp: boolean('in_app').notNull(),
    email: boolean('email').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

/** Background work: claimed by one process at a time (a lease), deleted when done. */
export const jobs = pgTable('jobs', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  key: text('key').notNull().unique(),
  payload: jsonb('payload').$type<Record<string, string>>().notNull(),
  runAt: at('run_at').notNull(),
  attempts: integer('attempts').notNull().default(0),
  lockedBy: text('locked_by'),
  lockedUntil: at('locked_until'),
  lastError: text('last_error'),
  createdAt: at('created_at').notNull(),
});
