import type { RoomStatus, RoomType } from '@parley/protocol';
import type { AccountStore, ApiTokenStore, EmailTokenStore, FollowStore, InviteStore, ProfileStore, SettingsStore } from './accounts-ports';
import type { ModerationStore } from './moderation-ports';
import type { JobStore, NotificationStore, SchedulingStore } from './scheduling-ports';

/** A person as stored. */
export interface UserRecord {
  id: string;
  displayName: string;
  kind: 'guest' | 'member';
  createdAt: Date;
}

/** A sign-in as stored: only the hash of the cookie's token is kept. */
export interface SessionRecord {
  tokenHash: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
}

/** A room's durable record. */
export interface RoomRecord {
  id: string;
  title: string;
  type: RoomType;
  status: RoomStatus;
  hostId: string;
  createdAt: Date;
  endedAt: Date | null;
}

/** A room record with its host's display name, for listings. */
export interface RoomWithHost extends RoomRecord {
  hostName: string;
}

/**
 * The storage port: the state of record. Implemented once with Drizzle over PGlite or Postgres
 * (src/storage); the contract suite runs the same tests against both.
 */
export interface Store {
  users: {
    create(user: UserRecord): Promise<void>;
    get(id: string): Promise<UserRecord | null>;
  };
  sessions: {
    create(session: SessionRecord): Promise<void>;
    /** A new user and their first session, both or neither, in one round trip (a guest arriving). */
    createWithUser(user: UserRecord, session: SessionRecord): Promise<void>;
    /** The user of an unexpired session, or null. */
    findUser(tokenHash: string, now: Date): Promise<UserRecord | null>;
    delete(tokenHash: string): Promise<void>;
    /** End every session of a user ("sign out everywhere", password reset); returns how many went. */
    deleteForUser(userId: string): Promise<number>;
    /** Remove expired sessions; returns how many went. */
    deleteExpired(now: Date): Promise<number>;
  };
  rooms: {
    create(room: RoomRecord): Promise<void>;
    get(id: string): Promise<RoomWithHost | null>;
    /** Rooms with the given status, newest first. */
    listByStatus(status: RoomStatus, limit: number): Promise<RoomWithHost[]>;
    /** Mark a live room ended; false when it was not live. */
    end(id: string, at: Date): Promise<boolean>;
  };
  accounts: AccountStore;
  profiles: ProfileStore;
  follows: FollowStore;
  invites: InviteStore;
  emailTokens: EmailTokenStore;
  apiTokens: ApiTokenStore;
  settings: SettingsStore;
  /** Blocks, room access lists and bans, reports, suspensions, the audit log. */
  moderation: ModerationStore;
  /** Scheduled events, invitations, delegations, speaker links, stage grants, calendar feeds. */
  scheduling: SchedulingStore;
  /** Notifications and their preferences. */
  notifications: NotificationStore;
  /** Durable background jobs (reminders, expiries). */
  jobs: JobStore;
  /** Close the connection (PGlite must be closed or the process can hang on exit). */
  close(): Promise<void>;
}

/** An email to one person: plain text (links work in every client), with a subject. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * The mail port: src/mail writes `.eml` files to an outbox directory by default, or sends through
 * SMTP when `SMTP_URL` is set.
 */
export interface Mailer {
  /** Hand the message over for delivery; rejects when the transport refuses it. */
  send(message: MailMessage): Promise<void>;
  /** Release connections (SMTP pool). */
  close(): Promise<void>;
}

/** Password hashing (argon2id in src/security); slow on purpose, so it is a port the domain awaits. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Whether `password` matches `hash`; false for a malformed hash. */
  verify(hash: string, password: string): Promise<boolean>;
}

/** Turns an uploaded image into the one safe format avatars are served in. */
export interface AvatarEncoder {
  /** Decode, crop to a square, resize and re-encode; rejects with a ParleyError for images it will not take. */
  encode(bytes: Uint8Array): Promise<{ bytes: Uint8Array; contentType: string }>;
}
