import type {
  ActAction,
  DelegationScope,
  InvitationKind,
  InvitationSide,
  InvitationStatus,
  NotificationChannels,
  NotificationKind,
  RoomStatus,
  RoomType,
} from '@parley/protocol';
import type { PersonRecord } from './accounts-ports';
import type { StageGrant } from './live-room';
import type { UserRecord } from './ports';

/**
 * The storage ports of scheduled events, invitations, delegation, speaker links, notifications and
 * jobs. They are parts of the one Store (domain/ports.ts: `store.scheduling`, `store.notifications`,
 * `store.jobs`); src/storage/scheduling-store.ts and its siblings implement them, and the storage
 * contract suite runs them on PGlite and Postgres.
 */

/** One recorded act: who (`actorId`; null for the server) did what, for whom (`principalId`). */
export interface ActRecord {
  id: string;
  action: ActAction;
  subjectId: string;
  at: Date;
  actorId: string | null;
  principalId: string | null;
}

/** An act with the people it names. */
export interface ActView {
  act: ActRecord;
  actor: PersonRecord | null;
  principal: PersonRecord | null;
}

/** A scheduled event as stored. `createdBy` is the first host (the principal, when a delegate made it). */
export interface ScheduledEventRecord {
  id: string;
  title: string;
  description: string;
  startsAt: Date;
  durationMinutes: number;
  timeZone: string;
  roomType: RoomType;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  /** The live room, reserved when it went live. */
  roomId: string | null;
  liveAt: Date | null;
}

/** An event with its people, read in one go. */
export interface EventView {
  event: ScheduledEventRecord;
  /** First host first. */
  hosts: PersonRecord[];
  speakers: PersonRecord[];
  rsvpCount: number;
  /** The live room's status, once there is one. */
  roomStatus: RoomStatus | null;
  /** Whether the viewer asked for the reminder (false without a viewer). */
  viewerRsvp: boolean;
}

/** How a person relates to an upcoming event (for the hallway and their own list). */
export interface EventRelation {
  hosting: boolean;
  speaking: boolean;
  rsvp: boolean;
  /** A host is someone the person follows. */
  following: boolean;
}

/** Changes to a scheduled event. */
export interface EventChanges {
  title?: string;
  description?: string;
  startsAt?: Date;
  timeZone?: string;
  durationMinutes?: number;
  roomType?: RoomType;
  /** The complete host list, first host first (replaces it). */
  hostIds?: string[];
}

/** Scheduled events, their hosts, speakers and RSVPs. */
export interface EventStore {
  /** Store an event with its hosts (first host first) and the act. */
  create(event: ScheduledEventRecord, hostIds: string[], act: ActRecord): Promise<void>;
  get(id: string, viewerId: string | null): Promise<EventView | null>;
  /** The event whose live room this is. */
  findByRoom(roomId: string): Promise<ScheduledEventRecord | null>;
  /** Change an event that has not gone live and is not cancelled; false otherwise. */
  update(id: string, changes: EventChanges, at: Date, act: ActRecord): Promise<boolean>;
  /** Cancel an event that has not gone live; withdraws its pending invitations. False when it went live or was cancelled. */
  cancel(id: string, at: Date, act: ActRecord): Promise<boolean>;
  /**
   * Reserve the live room: sets `roomId` when none is set yet (exactly one of concurrent callers wins).
   * Returns the room id now set (the caller's, or the winner's), or null for a cancelled or unknown event.
   */
  claimRoom(id: string, roomId: string, at: Date, act: ActRecord): Promise<{ won: boolean; roomId: string } | null>;
  /** Undo a claim whose room could not be opened. */
  releaseRoom(id: string, roomId: string): Promise<void>;
  /** Ask for (true) or drop (false) the reminder; returns whether anything changed. */
  setRsvp(eventId: string, userId: string, rsvp: boolean, at: Date): Promise<boolean>;
  /** Whether the person is on the event's host list. */
  isHost(eventId: string, userId: string): Promise<boolean>;
  /** Everyone to remind: hosts, speakers and RSVPs (each once). */
  audience(eventId: string): Promise<string[]>;
  /**
   * Events related to any of `userIds` (hosting, speaking, RSVP'd; or, with `following`, hosted by
   * people `userIds[0]` follows) that start after `from` and are not cancelled, soonest first, with
   * how the first of `userIds` relates to each.
   */
  related(query: { userIds: string[]; from: Date; following: boolean; limit: number }): Promise<{ view: EventView; relation: EventRelation }[]>;
}

/** An invitation as stored. `inviterId`/`inviteeId` are the principals; `createdBy`/`decidedBy` the actors. */
export interface InvitationRecord {
  id: string;
  kind: InvitationKind;
  status: InvitationStatus;
  eventId: string | null;
  roomId: string | null;
  inviterId: string;
  inviteeId: string | null;
  inviteeEmail: string | null;
  /** The sign-up invite emailed with it (someone without an account). */
  inviteCode: string | null;
  topic: string;
  startsAt: Date;
  expectedAudience: string;
  recorded: boolean;
  createdAt: Date;
  createdBy: string;
  expiresAt: Date;
  decidedAt: Date | null;
  decidedBy: string | null;
  decidedFor: string | null;
}

/** An invitation with the people, event and room it names. */
export interface InvitationView {
  invitation: InvitationRecord;
  inviter: PersonRecord;
  invitee: PersonRecord | null;
  createdBy: PersonRecord | null;
  decidedBy: PersonRecord | null;
  decidedFor: PersonRecord | null;
  event: { id: string; title: string; startsAt: Date; timeZone: string; cancelledAt: Date | null; roomId: string | null; roomStatus: RoomStatus | null } | null;
  room: { id: string; title: string; status: RoomStatus } | null;
  messageCount: number;
}

/** A thread message as stored. */
export interface ThreadMessageRecord {
  id: string;
  invitationId: string;
  side: InvitationSide;
  body: string;
  authorId: string;
  principalId: string;
  createdAt: Date;
}

/** A thread message with its people. */
export interface ThreadMessageView {
  message: ThreadMessageRecord;
  author: PersonRecord;
  principal: PersonRecord;
}

/** The outcome of a state change: done (this caller won), or the status that stood in the way. */
export type TransitionResult = { kind: 'done'; invitation: InvitationRecord } | { kind: 'conflict'; status: InvitationStatus | 'expired' } | { kind: 'not_found' };

/** Invitations to speak and their threads. */
export interface InvitationStore {
  /** Store a new invitation with its first message and act; `duplicate` when the invitee already has a pending one for the same event or room. */
  create(invitation: InvitationRecord, firstMessage: ThreadMessageRecord | null, act: ActRecord): Promise<'created' | 'duplicate'>;
  get(id: string): Promise<InvitationView | null>;
  /** Invitations sent by (`sent`) or to (`received`) any of the principals, newest first. */
  list(query: { principalIds: string[]; box: 'received' | 'sent' | 'all'; status?: InvitationStatus | undefined; limit: number }): Promise<InvitationView[]>;
  /** Add a message while the invitation is in one of `open`; false otherwise. */
  addMessage(message: ThreadMessageRecord, open: readonly InvitationStatus[], act: ActRecord): Promise<boolean>;
  thread(invitationId: string): Promise<ThreadMessageView[]>;
  /**
   * Move a pending invitation to `to`, atomically: of concurrent callers exactly one gets `done`.
   * A pending invitation past its expiry is `conflict: expired` (and is marked expired). Accepting
   * puts the invitee on the event's speaker list or grants them a speaker's place in the room, in
   * the same transaction.
   */
  transition(id: string, change: { to: 'accepted' | 'declined' | 'withdrawn'; actorId: string; principalId: string; at: Date; note: ThreadMessageRecord | null }, act: ActRecord): Promise<TransitionResult>;
  /** Mark a pending invitation past its expiry as expired; false when it was not pending or not due. */
  expire(id: string, now: Date, act: ActRecord): Promise<boolean>;
  /** Address emailed invitations to the person who signed up with their invite code; returns how many. */
  claimByRedeemer(userId: string): Promise<number>;
}

/** A delegation as stored. */
export interface DelegationRecord {
  id: string;
  principalId: string;
  delegateId: string;
  scopes: DelegationScope[];
  createdAt: Date;
  revokedAt: Date | null;
}

/** A delegation with its people. */
export interface DelegationView {
  delegation: DelegationRecord;
  principal: PersonRecord;
  delegate: PersonRecord;
}

/** Delegations. */
export interface DelegationStore {
  /** Grant, or replace the scopes of the active grant between the two. Returns the active grant. */
  grant(delegation: DelegationRecord, act: ActRecord): Promise<DelegationRecord>;
  /** Revoke an active grant; false when it is not active. */
  revoke(id: string, by: string, at: Date, act: ActRecord): Promise<boolean>;
  get(id: string): Promise<DelegationView | null>;
  /** Active grants where the person is the principal (`granted`) or the delegate (`received`). */
  listActive(userId: string): Promise<{ granted: DelegationView[]; received: DelegationView[] }>;
  /** Principals the delegate may act for within the scope. */
  principalsOf(delegateId: string, scope: DelegationScope): Promise<string[]>;
  /** Delegates who may act for any of the principals within the scope, with whom each acts for. */
  delegatesOf(principalIds: readonly string[], scope: DelegationScope): Promise<{ delegateId: string; principalId: string }[]>;
  /** Whether `delegateId` may act for `principalId` within the scope now. */
  allows(principalId: string, delegateId: string, scope: DelegationScope): Promise<boolean>;
}

/** The record of acts. */
export interface ActStore {
  record(act: ActRecord): Promise<void>;
  /** Acts on one subject, oldest first. */
  forSubject(subjectId: string): Promise<ActView[]>;
  /** Acts done for the person (by anyone) or by the person (for anyone), newest first. */
  forPerson(userId: string, limit: number): Promise<ActView[]>;
}

/** A speaker link as stored (the token only as its hash). */
export interface SpeakerLinkRecord {
  id: string;
  tokenHash: string;
  guestName: string;
  eventId: string | null;
  roomId: string | null;
  createdBy: string;
  createdFor: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  usedBy: string | null;
  revokedAt: Date | null;
}

/** A speaker link with what its pages show. */
export interface SpeakerLinkView {
  link: SpeakerLinkRecord;
  createdBy: PersonRecord | null;
  createdFor: PersonRecord;
  /** The event's or room's title. */
  title: string;
  /** The event's first host, or the room's host. */
  hostName: string;
  /** The live room: the link's room, or the event's once it went live. */
  liveRoomId: string | null;
  startsAt: Date | null;
}

/** Why a speaker link could not be used. */
export type RedeemResult = { kind: 'redeemed'; link: SpeakerLinkRecord } | { kind: 'unknown' } | { kind: 'used' } | { kind: 'expired' } | { kind: 'revoked' };

/** One-time guest speaker links. */
export interface SpeakerLinkStore {
  create(link: SpeakerLinkRecord, act: ActRecord): Promise<void>;
  get(id: string): Promise<SpeakerLinkView | null>;
  findByToken(tokenHash: string): Promise<SpeakerLinkView | null>;
  listFor(target: { eventId: string } | { roomId: string }): Promise<SpeakerLinkView[]>;
  /**
   * Use a link once: of concurrent callers exactly one succeeds. `guest` is created in the same
   * transaction when given (a visitor without an account); `userId` is who the link now admits.
   */
  redeem(tokenHash: string, now: Date, userId: string, guest: UserRecord | null): Promise<RedeemResult>;
  /** Revoke a link (used or not: a used link's guest loses the place); false when already revoked. */
  revoke(id: string, at: Date, act: ActRecord): Promise<boolean>;
}

/** Places on stage arranged outside a room. */
export interface StageGrantStore {
  /** The strongest place this person holds in the room: event host (moderator), event speaker, accepted ping or speaker link (speaker). */
  grantIn(roomId: string, userId: string): Promise<StageGrant | null>;
}

/** Secret calendar feed URLs (only the hash is kept). */
export interface CalendarFeedStore {
  /** Set (replace) the person's feed token. */
  set(userId: string, tokenHash: string, at: Date): Promise<void>;
  get(userId: string): Promise<{ createdAt: Date } | null>;
  remove(userId: string): Promise<boolean>;
  findUser(tokenHash: string): Promise<string | null>;
}

/** People lookups the scheduling services need. */
export interface PeopleStore {
  /** Members by id (unknown ids and guests are left out). */
  byIds(ids: readonly string[]): Promise<PersonRecord[]>;
  /** A member by username (any case). */
  byUsername(username: string): Promise<PersonRecord | null>;
  /** Ids of the people `userId` follows. */
  followingIds(userId: string): Promise<string[]>;
  /** Ids of everyone who follows any of `userIds` (each once). */
  followerIds(userIds: readonly string[]): Promise<string[]>;
  /** A member's email and whether it is confirmed; null for guests and unknown ids. */
  emailOf(userId: string): Promise<{ email: string; verified: boolean } | null>;
}

/** The stores of scheduling: `store.scheduling`. */
export interface SchedulingStore {
  events: EventStore;
  invitations: InvitationStore;
  delegations: DelegationStore;
  acts: ActStore;
  speakerLinks: SpeakerLinkStore;
  stageGrants: StageGrantStore;
  calendarFeeds: CalendarFeedStore;
  people: PeopleStore;
}

/** A notification as stored. */
export interface NotificationRecord {
  id: string;
  userId: string;
  kind: NotificationKind;
  text: string;
  link: string;
  actorId: string | null;
  onBehalfOf: string | null;
  invitationId: string | null;
  eventId: string | null;
  roomId: string | null;
  /** The same key for the same person is stored once (a retried job does not notify twice). */
  dedupeKey: string;
  createdAt: Date;
  readAt: Date | null;
}

/** A notification with its people. */
export interface NotificationView {
  notification: NotificationRecord;
  actor: PersonRecord | null;
  onBehalfOf: PersonRecord | null;
}

/** Notifications and preferences: `store.notifications`. */
export interface NotificationStore {
  /** Store it unless one with the same person and dedupe key exists; true when stored. */
  insert(notification: NotificationRecord): Promise<boolean>;
  /** Newest first; `before` a notification id (the next page). */
  list(userId: string, query: { before?: string | undefined; limit: number; unread?: boolean | undefined }): Promise<NotificationView[]>;
  get(id: string): Promise<NotificationView | null>;
  unreadCount(userId: string): Promise<number>;
  /** Mark the person's notifications read (these ids, or all); returns how many changed. */
  markRead(userId: string, ids: readonly string[] | 'all', at: Date): Promise<number>;
  /** The person's switches that differ from the defaults. */
  preferences(userId: string): Promise<Partial<Record<NotificationKind, NotificationChannels>>>;
  setPreferences(userId: string, preferences: Partial<Record<NotificationKind, NotificationChannels>>): Promise<void>;
}

/** A job as stored. */
export interface JobRecord {
  id: string;
  kind: string;
  /** Unique: scheduling the same key again moves the job instead of adding one. */
  key: string;
  payload: Record<string, string>;
  runAt: Date;
  attempts: number;
  lastError: string | null;
}

/** Durable background work: `store.jobs`. */
export interface JobStore {
  /** Add a job, or move the pending job with the same key (new time and payload; attempts reset). */
  schedule(job: { id: string; kind: string; key: string; payload: Record<string, string>; runAt: Date; createdAt: Date }): Promise<void>;
  /** Drop the job with this key, if it has not run; true when one went. */
  cancel(key: string): Promise<boolean>;
  /**
   * Claim up to `limit` due jobs for `workerId` for `leaseMs` (FOR UPDATE SKIP LOCKED): a job is
   * claimed by one worker at a time; one whose lease ran out (a crashed worker) can be claimed again.
   */
  claim(workerId: string, now: Date, leaseMs: number, limit: number): Promise<JobRecord[]>;
  /** A claimed job is done: delete it (only while the claim is still this worker's). */
  complete(id: string, workerId: string): Promise<boolean>;
  /** A claimed job failed: release it to run again at `retryAt`. */
  fail(id: string, workerId: string, error: string, retryAt: Date): Promise<void>;
  /** The earliest time any job is due, or null. */
  nextRunAt(): Promise<Date | null>;
}
