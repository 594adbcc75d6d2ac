import { z } from 'zod';
import { Email, PersonRef } from './accounts';
import { DisplayName, Id, RoomStatus, RoomTitle, User } from './model';
import { Instant, ScheduledEventStatus, UsernameField } from './scheduling';

/**
 * Invitations from a person to a person (to speak at an event, or to come on stage in a live room
 * now), their threads, delegation (someone acting for someone else), the record of who did what for
 * whom, and one-time guest speaker links: the bodies and replies of their HTTP endpoints
 * (docs/protocol.md, section "Invitations").
 */

/** Who did something, and for whom. They differ when a delegate acted: show "by <actor> for <principal>". */
export const ActedBy = z.object({ actor: PersonRef, principal: PersonRef });
export type ActedBy = z.infer<typeof ActedBy>;

/** What a delegate may do for their principal. */
export const DelegationScope = z.enum(['invitations', 'events']);
export type DelegationScope = z.infer<typeof DelegationScope>;

/** A grant: `delegate` may act for `principal` within `scopes` until it is revoked. */
export const Delegation = z.object({
  id: Id,
  principal: PersonRef,
  delegate: PersonRef,
  scopes: z.array(DelegationScope),
  createdAt: z.iso.datetime(),
});
export type Delegation = z.infer<typeof Delegation>;

/** `POST /api/delegations`: let the member with this username act for you. Granting again replaces the scopes. */
export const GrantDelegationBody = z.object({
  username: UsernameField,
  scopes: z
    .array(DelegationScope)
    .min(1, 'grant at least one scope')
    .transform((scopes) => [...new Set(scopes)]),
});
export type GrantDelegationBody = z.input<typeof GrantDelegationBody>;

/** `POST /api/delegations` reply. */
export const DelegationReply = z.object({ delegation: Delegation });
export type DelegationReply = z.infer<typeof DelegationReply>;

/** `GET /api/delegations`: the grants you gave (you are the principal) and those you hold (you are the delegate). */
export const DelegationListReply = z.object({ granted: z.array(Delegation), received: z.array(Delegation) });
export type DelegationListReply = z.infer<typeof DelegationListReply>;

/** Everything that is recorded with who acted and for whom. */
export const ActAction = z.enum([
  'invitation.created',
  'invitation.message',
  'invitation.accepted',
  'invitation.declined',
  'invitation.withdrawn',
  'invitation.expired',
  'event.created',
  'event.updated',
  'event.cancelled',
  'event.live',
  'delegation.granted',
  'delegation.revoked',
  'speakerLink.created',
  'speakerLink.revoked',
]);
export type ActAction = z.infer<typeof ActAction>;

/** One recorded act. `actor` null: the server did it (an invitation expired). */
export const Act = z.object({
  id: Id,
  action: ActAction,
  /** The invitation, event, delegation or speaker link acted on. */
  subjectId: Id,
  at: z.iso.datetime(),
  actor: PersonRef.nullable(),
  principal: PersonRef.nullable(),
});
export type Act = z.infer<typeof Act>;

/** `GET /api/delegations/activity`: acts done for you (by you or your delegates) and by you for others, newest first. */
export const ActivityReply = z.object({ acts: z.array(Act) });
export type ActivityReply = z.infer<typeof ActivityReply>;

/** To speak at a scheduled event, or to come on stage in a live room now ("ping"). */
export const InvitationKind = z.enum(['event', 'room']);
export type InvitationKind = z.infer<typeof InvitationKind>;

/** pending → accepted | declined | withdrawn (by the inviter) | expired (nobody answered in time). */
export const InvitationStatus = z.enum(['pending', 'accepted', 'declined', 'withdrawn', 'expired']);
export type InvitationStatus = z.infer<typeof InvitationStatus>;

/** Text of a thread message. */
export const ThreadText = z.string().trim().min(1, 'write something').max(2000, 'a message is at most 2000 characters');

/** What is proposed. */
export const InvitationTerms = z.object({
  topic: z.string(),
  /** When the talk is (UTC): the event's start, or the moment of a ping. */
  startsAt: z.iso.datetime(),
  /** Who and how many will listen, in the inviter's words. */
  expectedAudience: z.string(),
  /** Whether the talk is recorded. */
  recorded: z.boolean(),
});
export type InvitationTerms = z.infer<typeof InvitationTerms>;

/** Which side of an invitation someone is on. */
export const InvitationSide = z.enum(['inviter', 'invitee']);
export type InvitationSide = z.infer<typeof InvitationSide>;

/** What the signed-in person may do with an invitation, as themselves or as a delegate of `principal`. */
export const InvitationViewer = z.object({
  side: InvitationSide,
  /** Whose side you are on: yourself, or the principal you are a delegate for. */
  principal: PersonRef,
  canReply: z.boolean(),
  canAccept: z.boolean(),
  canDecline: z.boolean(),
  canWithdraw: z.boolean(),
});
export type InvitationViewer = z.infer<typeof InvitationViewer>;

/** An invitation as lists show it. */
export const Invitation = z.object({
  id: Id,
  kind: InvitationKind,
  status: InvitationStatus,
  /** The event, for `kind: "event"`. */
  event: z.object({ id: Id, title: RoomTitle, startsAt: z.iso.datetime(), timeZone: z.string(), status: ScheduledEventStatus }).nullable(),
  /** The live room, for `kind: "room"`. */
  room: z.object({ id: Id, title: RoomTitle, status: RoomStatus }).nullable(),
  inviter: PersonRef,
  /** The person invited; null while an emailed invitation waits for its recipient to sign up. */
  invitee: PersonRef.nullable(),
  /** The address an invitation was emailed to (shown to the inviter's side only). */
  inviteeEmail: z.string().nullable(),
  terms: InvitationTerms,
  createdAt: z.iso.datetime(),
  /** A pending invitation expires at this time. */
  expiresAt: z.iso.datetime(),
  createdBy: ActedBy,
  /** Who accepted, declined or withdrew it, and when; null while pending or after expiry. */
  decidedBy: ActedBy.nullable(),
  decidedAt: z.iso.datetime().nullable(),
  messageCount: z.number().int().nonnegative(),
  viewer: InvitationViewer,
});
export type Invitation = z.infer<typeof Invitation>;

/** One message in an invitation's thread: questions from the invitee's side, answers from the inviter's. */
export const ThreadMessage = z.object({
  id: Id,
  side: InvitationSide,
  body: z.string(),
  at: z.iso.datetime(),
  by: ActedBy,
});
export type ThreadMessage = z.infer<typeof ThreadMessage>;

/** An invitation with its thread and its history of acts (oldest first). */
export const InvitationDetail = Invitation.extend({ thread: z.array(ThreadMessage), history: z.array(Act) });
export type InvitationDetail = z.infer<typeof InvitationDetail>;

/**
 * `POST /api/invitations`: invite a member (`username`) or anyone (`email`: someone without an account
 * gets an email with a sign-up link, which uses one of your invites and counts as your referral) to
 * speak at an event (`eventId`) or to come on stage in a live room now (`roomId`).
 */
export const CreateInvitationBody = z
  .object({
    username: UsernameField.optional(),
    email: Email.optional(),
    eventId: Id.optional(),
    roomId: Id.optional(),
    topic: z.string().trim().min(1, 'say what the talk is about').max(200, 'topic is at most 200 characters'),
    /** Defaults to the event's start time, or now for a room. */
    startsAt: Instant.optional(),
    expectedAudience: z.string().trim().max(200, 'expected audience is at most 200 characters').default(''),
    recorded: z.boolean(),
    /** A first message in the thread, from the inviter. */
    message: ThreadText.optional(),
    /** When an unanswered invitation expires. Default: the event's start (an event), 15 minutes (a room). */
    expiresAt: Instant.optional(),
    /** The principal a delegate invites for. */
    onBehalfOf: Id.optional(),
  })
  .refine((body) => (body.username === undefined) !== (body.email === undefined), { message: 'give either username or email', path: ['username'] })
  .refine((body) => (body.eventId === undefined) !== (body.roomId === undefined), { message: 'give either eventId or roomId', path: ['eventId'] });
export type CreateInvitationBody = z.input<typeof CreateInvitationBody>;

/** `POST /api/invitations/:id/messages`: ask or answer in the thread. */
export const ThreadMessageBody = z.object({ body: ThreadText });
export type ThreadMessageBody = z.input<typeof ThreadMessageBody>;

/** `POST /api/invitations/:id/accept|decline|withdraw`: optionally with a note that goes into the thread. */
export const DecideInvitationBody = z.object({ note: ThreadText.optional() });
export type DecideInvitationBody = z.input<typeof DecideInvitationBody>;

/** Query of `GET /api/invitations`. */
export const InvitationListQuery = z.object({
  /** `received`: to you or a principal of yours; `sent`: from you or a principal of yours. */
  box: z.enum(['received', 'sent', 'all']).default('all'),
  status: InvitationStatus.optional(),
});
export type InvitationListQuery = z.input<typeof InvitationListQuery>;

/** `GET /api/invitations` reply, newest first. */
export const InvitationListReply = z.object({ invitations: z.array(Invitation) });
export type InvitationListReply = z.infer<typeof InvitationListReply>;

/** Replies carrying one invitation with its thread. */
export const InvitationReply = z.object({ invitation: InvitationDetail });
export type InvitationReply = z.infer<typeof InvitationReply>;

/** The secret part of a speaker link (`/speak/<token>`). */
export const SpeakerLinkToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'this link is damaged');

/** A speaker link's life: unused, used once (dead), past its expiry, or revoked by a host. */
export const SpeakerLinkStatus = z.enum(['open', 'used', 'expired', 'revoked']);
export type SpeakerLinkStatus = z.infer<typeof SpeakerLinkStatus>;

/** `POST /api/speaker-links`: a one-time link that puts a named guest without an account on stage in one room. */
export const CreateSpeakerLinkBody = z
  .object({
    guestName: DisplayName,
    eventId: Id.optional(),
    roomId: Id.optional(),
    /** Lifetime, 5 minutes to 30 days; default a day. */
    expiresInMinutes: z.number().int().min(5).max(30 * 24 * 60).optional(),
    /** Or the moment it expires (in the future, at most 30 days ahead). */
    expiresAt: Instant.optional(),
    onBehalfOf: Id.optional(),
  })
  .refine((body) => (body.eventId === undefined) !== (body.roomId === undefined), { message: 'give either eventId or roomId', path: ['eventId'] })
  .refine((body) => body.expiresInMinutes === undefined || body.expiresAt === undefined, { message: 'give expiresInMinutes or expiresAt, not both', path: ['expiresAt'] });
export type CreateSpeakerLinkBody = z.input<typeof CreateSpeakerLinkBody>;

/** A speaker link as its creators see it (the secret URL is shown once, at creation). */
export const SpeakerLink = z.object({
  id: Id,
  guestName: DisplayName,
  eventId: Id.nullable(),
  roomId: Id.nullable(),
  /** The event's or room's title. */
  title: RoomTitle,
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  status: SpeakerLinkStatus,
  usedAt: z.iso.datetime().nullable(),
  createdBy: ActedBy,
});
export type SpeakerLink = z.infer<typeof SpeakerLink>;

/** `POST /api/speaker-links` reply: `url` carries the secret and is shown only here. */
export const CreatedSpeakerLinkReply = z.object({ link: SpeakerLink, url: z.string() });
export type CreatedSpeakerLinkReply = z.infer<typeof CreatedSpeakerLinkReply>;

/** Query of `GET /api/speaker-links`: one of `eventId` or `roomId`. */
export const SpeakerLinkListQuery = z
  .object({ eventId: Id.optional(), roomId: Id.optional() })
  .refine((query) => (query.eventId === undefined) !== (query.roomId === undefined), { message: 'give either eventId or roomId', path: ['eventId'] });
export type SpeakerLinkListQuery = z.input<typeof SpeakerLinkListQuery>;

/** `GET /api/speaker-links?eventId=|roomId=`: the links of an event or room (its managers only). */
export const SpeakerLinkListReply = z.object({ links: z.array(SpeakerLink) });
export type SpeakerLinkListReply = z.infer<typeof SpeakerLinkListReply>;

/** `GET /api/speaker-links/token/:token`: what the guest is about to open (public; 404 for dead links). */
export const SpeakerLinkPreviewReply = z.object({
  guestName: DisplayName,
  title: RoomTitle,
  hostName: DisplayName,
  eventId: Id.nullable(),
  /** The live room, once there is one (an event's link works before it goes live: the guest waits). */
  roomId: Id.nullable(),
  startsAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime(),
});
export type SpeakerLinkPreviewReply = z.infer<typeof SpeakerLinkPreviewReply>;

/** `POST /api/speaker-links/token/:token/redeem` reply: the guest's session (cookie) and where to go. */
export const RedeemSpeakerLinkReply = z.object({ user: User, eventId: Id.nullable(), roomId: Id.nullable() });
export type RedeemSpeakerLinkReply = z.infer<typeof RedeemSpeakerLinkReply>;
