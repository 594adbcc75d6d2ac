import type { AccountRole } from '@parley/protocol';
import type { UserRecord } from './ports';

/**
 * The storage ports of accounts, profiles, the follow graph, invites and tokens. They are parts of the
 * one {@link Store} (domain/ports.ts); src/storage implements them, and the storage contract suite runs
 * them on PGlite and Postgres.
 */

/** Credentials and the server-wide role of a person with an account (`users.kind = 'member'`). */
export interface AccountRecord {
  userId: string;
  /** Lower-cased; unique. */
  email: string;
  /** argon2id PHC string; null for accounts made by `parley admin create-user` without a password. */
  passwordHash: string | null;
  emailVerifiedAt: Date | null;
  role: AccountRole;
  createdAt: Date;
}

/** The public side of an account. The display name lives on the user. */
export interface ProfileRecord {
  userId: string;
  /** As its owner typed it; unique without regard to case. */
  username: string;
  bio: string;
  /** Version (content hash) of the current avatar, part of its URL; null without one. */
  avatarVersion: string | null;
  /** The referral: who invited this person. */
  invitedBy: string | null;
  joinedAt: Date;
}

/** A person as shown in lists: enough to render a link and an avatar. */
export interface PersonRecord {
  id: string;
  username: string;
  displayName: string;
  avatarVersion: string | null;
}

/** Whether the viewer follows a person and the person follows the viewer. */
export interface RelationshipRecord {
  youFollow: boolean;
  followsYou: boolean;
}

/** Everything a profile page shows, read in one go. */
export interface ProfileView {
  person: PersonRecord;
  bio: string;
  joinedAt: Date;
  invitedBy: PersonRecord | null;
  followerCount: number;
  followingCount: number;
  /** Null without a viewer, or when the viewer is the person. */
  relationship: RelationshipRecord | null;
}

/** A re-encoded avatar image. */
export interface AvatarRecord {
  userId: string;
  version: string;
  contentType: string;
  bytes: Uint8Array;
  updatedAt: Date;
}

/** An invitation to join the server. */
export interface InviteRecord {
  code: string;
  inviterId: string;
  email: string | null;
  createdAt: Date;
  redeemedBy: string | null;
  redeemedAt: Date | null;
}

/** What an emailed one-time link is for. */
export type EmailTokenPurpose = 'verify' | 'reset';

/** A one-time link token: only its hash is stored. */
export interface EmailTokenRecord {
  tokenHash: string;
  userId: string;
  purpose: EmailTokenPurpose;
  /** The address the link was sent to (verification confirms this address, not a later one). */
  email: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

/** A personal API token: only its hash is stored. */
export interface ApiTokenRecord {
  id: string;
  userId: string;
  name: string;
  tokenHash: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** A new account: user, credentials and profile, created together with the invite redeemed. */
export interface Registration {
  user: UserRecord;
  account: Omit<AccountRecord, 'role'>;
  profile: Omit<ProfileRecord, 'invitedBy'>;
  /** The code being redeemed, if any. */
  inviteCode: string | null;
  /** Refuse unless a valid code is given (except when bootstrapping, below). */
  inviteRequired: boolean;
  /** Make this account an admin. */
  admin: boolean;
  /**
   * A sign-up that bootstraps a server without an admin: while no admin exists it needs no code and
   * becomes the admin. Operator-made accounts (`parley admin create-user`) do not bootstrap, so a bot
   * account made first does not take the admin's place.
   */
  bootstrap: boolean;
}

/** How a registration ended. */
export type RegistrationResult =
  | { kind: 'created'; role: AccountRole; invitedBy: string | null }
  | { kind: 'invite_required' }
  | { kind: 'invite_invalid' }
  | { kind: 'email_taken' }
  | { kind: 'username_taken' };

/** Where a page of a follow list starts: after this edge (newest first). */
export interface FollowCursor {
  at: Date;
  userId: string;
}

/** One entry of a followers or following list. */
export interface FollowListEntry {
  person: PersonRecord;
  followedAt: Date;
  /** How the viewer relates to this person; null without a viewer or for the viewer themselves. */
  relationship: RelationshipRecord | null;
}

/** An invite with the person who joined through it. */
export interface InviteWithRedeemer extends InviteRecord {
  redeemer: PersonRecord | null;
}

/** Accounts: credentials, roles, registration. */
export interface AccountStore {
  /** Create user, account and profile in one transaction, redeeming the invite; serialised, so exactly one bootstrapping sign-up becomes admin. */
  register(registration: Registration): Promise<RegistrationResult>;
  /** How many accounts exist, or with `role`, how many have that role. */
  count(role?: AccountRole): Promise<number>;
  get(userId: string): Promise<AccountRecord | null>;
  findByEmail(email: string): Promise<{ account: AccountRecord; user: UserRecord } | null>;
  setPassword(userId: string, passwordHash: string): Promise<void>;
  /** Mark the address verified if it is still the account's address; false otherwise. */
  markEmailVerified(userId: string, email: string, at: Date): Promise<boolean>;
}

/** Profiles and avatars. */
export interface ProfileStore {
  /** A profile by username (case-insensitive), as `viewerId` sees it. */
  viewByUsername(username: string, viewerId: string | null): Promise<ProfileView | null>;
  viewByUserId(userId: string, viewerId: string | null): Promise<ProfileView | null>;
  get(userId: string): Promise<ProfileRecord | null>;
  /** Change profile fields (and the display name on the user); `username_taken` when the name is someone else's. */
  update(userId: string, changes: { username?: string; bio?: string; displayName?: string }): Promise<'updated' | 'username_taken'>;
  /** Set (or with null remove) the avatar, and its version on the profile. */
  setAvatar(userId: string, avatar: AvatarRecord | null): Promise<void>;
  getAvatar(userId: string): Promise<AvatarRecord | null>;
}

/**
 * The follow graph: directed edges follower → followee. Every read of the graph goes through
 * {@link list}, {@link followedAmong} and {@link ProfileStore.viewByUsername}'s counts. Blocks keep
 * blocked people apart: a block removes the edges between the two, and {@link list} hides from a
 * viewer everyone in a block with them.
 */
export interface FollowStore {
  /** Which of `candidateIds` `followerId` follows (who may enter a social room). */
  followedAmong(followerId: string, candidateIds: readonly string[]): Promise<string[]>;
  /** Add an edge; false when it existed. */
  add(followerId: string, followeeId: string, at: Date): Promise<boolean>;
  /** Remove an edge; false when there was none. */
  remove(followerId: string, followeeId: string): Promise<boolean>;
  /** One page of a person's followers (who follow them) or following (whom they follow), newest first. */
  list(query: {
    userId: string;
    direction: 'followers' | 'following';
    viewerId: string | null;
    after: FollowCursor | null;
    limit: number;
  }): Promise<FollowListEntry[]>;
}

/** Invitations to join. */
export interface InviteStore {
  /** Store the invite if the inviter has used fewer than `limit` (null = no limit); false when over quota. */
  createWithinQuota(invite: InviteRecord, limit: number | null): Promise<boolean>;
  /** The inviter's invites, newest first, with who joined through each. */
  listByInviter(inviterId: string): Promise<InviteWithRedeemer[]>;
  countByInviter(inviterId: string): Promise<number>;
  /** An unused invite and its inviter, or null. */
  findOpen(code: string): Promise<{ invite: InviteRecord; inviter: PersonRecord } | null>;
  /** Delete an unused invite of this inviter (frees the quota); false when used or not theirs. */
  withdraw(code: string, inviterId: string): Promise<boolean>;
}

/** One-time tokens of emailed links. */
export interface EmailTokenStore {
  create(token: EmailTokenRecord): Promise<void>;
  /** Use a token: returns it when it exists, has this purpose, is unexpired and unused, and marks it used. */
  consume(tokenHash: string, purpose: EmailTokenPurpose, now: Date): Promise<EmailTokenRecord | null>;
}

/** Personal API tokens. */
export interface ApiTokenStore {
  create(token: ApiTokenRecord): Promise<void>;
  listForUser(userId: string): Promise<ApiTokenRecord[]>;
  /** Delete one of the user's tokens; false when it is not theirs or does not exist. */
  delete(id: string, userId: string): Promise<boolean>;
  /** The user behind a token; records the use (at most once a minute per token). */
  findUser(tokenHash: string, now: Date): Promise<UserRecord | null>;
}

/** Server-wide settings an admin changes at run time (e.g. invite-only). */
export interface SettingsStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}
