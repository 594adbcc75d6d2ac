import {
  ParleyError,
  type CreateInvitationBody,
  type Invitation,
  type InvitationDetail,
  type InvitationSide,
  type InvitationStatus,
  type User,
} from '@parley/protocol';
import type { z } from 'zod';
import type { PersonRecord } from './accounts-ports';
import { requireMember, type DelegationService } from './delegations';
import { newId } from './ids';
import { newInviteCode, toPersonRef, type LinkBuilder } from './invites';
import type { JobRunner } from './jobs';
import type { NotificationRecipient, NotificationService } from './notifications';
import type { Mailer, Store } from './ports';
import type { RoomService } from './rooms';
import { formatInstant, invitationSignUpMail } from './scheduling-mail';
import type { InvitationRecord, InvitationView, ThreadMessageRecord } from './scheduling-ports';
import { actedBy, eventStatus, toAct } from './scheduling-views';

/** Job kind that expires an unanswered invitation. */
export const invitationExpiryJob = 'invitation.expire';

/** A ping into a live room lapses after this long unless the inviter says otherwise. */
const pingLifetimeMs = 15 * 60_000;
/** An invitation to a live event lapses after this long unless the inviter says otherwise. */
const liveEventLifetimeMs = 60 * 60_000;
/** Statuses in which the thread takes messages. */
const threadOpen: readonly InvitationStatus[] = ['pending', 'accepted'];
/** The most invitations a list returns. */
const listLimit = 200;

/** Collaborators of the {@link InvitationService}. */
export interface InvitationServiceDeps {
  store: Store;
  rooms: RoomService;
  delegations: DelegationService;
  notifications: NotificationService;
  jobs: JobRunner;
  mailer: Mailer;
  links: LinkBuilder;
  background: (task: Promise<unknown>, what: string) => void;
  /** Invites a member may have (admins: no limit); inviting someone without an account uses one. */
  inviteQuota: number;
  clock?: () => Date;
}

type CreateInvitation = z.output<typeof CreateInvitationBody>;

/** Whose side of an invitation someone is on, and for whom. */
interface Capacity {
  side: InvitationSide;
  principalId: string;
}

/** A decision on a pending invitation. */
export type InvitationDecision = 'accept' | 'decline' | 'withdraw';

const decisions: Record<InvitationDecision, { to: 'accepted' | 'declined' | 'withdrawn'; side: InvitationSide; action: 'invitation.accepted' | 'invitation.declined' | 'invitation.withdrawn' }> = {
  accept: { to: 'accepted', side: 'invitee', action: 'invitation.accepted' },
  decline: { to: 'declined', side: 'invitee', action: 'invitation.declined' },
  withdraw: { to: 'withdrawn', side: 'inviter', action: 'invitation.withdrawn' },
};

/**
 * Invitations from person to person: to speak at a scheduled event, or to come on stage in a live
 * room now (a ping). Each carries its terms (topic, time, expected audience, whether it is recorded)
 * and a thread where the invitee's side asks and the inviter's side answers before deciding.
 *
 * States: pending → accepted | declined (the invitee's side) | withdrawn (the inviter's side) |
 * expired (a job, at the expiry time). Every change is one conditional transaction: of two people
 * accepting at once exactly one succeeds, and the other is told what happened. Accepting puts the
 * person on the event's speaker list (or grants a speaker's place in the room), so they are on stage
 * when they join — at once if they are already listening. Delegates act for their principals on
 * either side; every act records both.
 */
export class InvitationService {
  private readonly clock: () => Date;

  constructor(private readonly deps: InvitationServiceDeps) {
    this.clock = deps.clock ?? (() => new Date());
    deps.jobs.register(invitationExpiryJob, (payload) => this.expire(payload.invitationId ?? ''));
  }

  /** Invite a member (by username) or anyone (by email) to speak at an event or in a live room. */
  async create(user: User, input: CreateInvitation): Promise<InvitationDetail> {
    requireMember(user, 'invite people to speak');
    const { store, delegations } = this.deps;
    const principal = await delegations.principalFor(user, input.onBehalfOf, 'invitations');
    const now = this.clock();
    const target = input.eventId ? await this.eventTarget(principal, input.eventId, now) : await this.roomTarget(principal, input.roomId ?? '', now);
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : target.expiresAt;
    if (expiresAt.getTime() <= now.getTime()) throw new ParleyError('invalid_message', 'expiresAt: must be in the future');

    const invitee = await this.invitee(principal, input, target.speakerIds);
    const id = newId();
    let inviteCode: string | null = null;
    if (!invitee.person) inviteCode = await this.reserveSignUp(principal, invitee.email, now);
    const record: InvitationRecord = {
      id,
      kind: input.eventId ? 'event' : 'room',
      status: 'pending',
      eventId: input.eventId ?? null,
      roomId: input.eventId ? null : (input.roomId ?? null),
      inviterId: principal,
      inviteeId: invitee.person?.id ?? null,
      inviteeEmail: invitee.person ? null : invitee.email,
      inviteCode,
      topic: input.topic,
      startsAt: input.startsAt ? new Date(input.startsAt) : target.startsAt,
      expectedAudience: input.expectedAudience,
      recorded: input.recorded,
      createdAt: now,
      createdBy: user.id,
      expiresAt,
      decidedAt: null,
      decidedBy: null,
      decidedFor: null,
    };
    const message = input.message ? this.message(id, 'inviter', input.message, user.id, principal) : null;
    const created = await store.scheduling.invitations.create(record, message, delegations.act('invitation.created', id, user.id, principal));
    if (created === 'duplicate') {
      if (inviteCode) await store.invites.withdraw(inviteCode, principal);
      throw new ParleyError('conflict', `${invitee.person?.displayName ?? 'This person'} already has a pending invitation to this.`);
    }
    await this.deps.jobs.schedule(invitationExpiryJob, expiryKey(id), { invitationId: id }, expiresAt);

    const view = await this.load(id);
    if (invitee.person) {
      await this.deps.notifications.notify({
        kind: 'invitation.received',
        recipients: await delegations.sideOf(invitee.person.id, 'invitations'),
        actorId: user.id,
        text: (principalName) => `${byFor(view, user, principal)} invited ${principalName ?? 'you'} ${what(view)}.`,
        link: `/invitations/${id}`,
        invitationId: id,
        dedupeKey: `invitation.received:${id}`,
      });
    } else if (inviteCode) {
      this.mailSignUp(view, inviteCode, input.message ?? null);
    }
    return this.detail(view, { side: 'inviter', principalId: principal });
  }

  /** Invitations to or from the user and the principals they are a delegate for (on invitations), newest first. */
  async list(user: User, query: { box: 'received' | 'sent' | 'all'; status?: InvitationStatus | undefined }): Promise<Invitation[]> {
    requireMember(user, 'see invitations');
    await this.deps.store.scheduling.invitations.claimByRedeemer(user.id);
    const principals = await this.deps.delegations.principalsOf(user, 'invitations');
    const views = await this.deps.store.scheduling.invitations.list({ principalIds: principals, box: query.box, status: query.status, limit: listLimit });
    return views.map((view) => this.summary(view, capacityAmong(view, principals, user.id)!));
  }

  /** One invitation with its thread and history (its two sides and their delegates only). */
  async get(user: User, id: string): Promise<InvitationDetail> {
    requireMember(user, 'see invitations');
    await this.deps.store.scheduling.invitations.claimByRedeemer(user.id);
    const { view, capacity } = await this.visible(user, id);
    return this.detail(view, capacity);
  }

  /** Ask (the invitee's side) or answer (the inviter's side) in the thread. */
  async reply(user: User, id: string, body: string): Promise<InvitationDetail> {
    requireMember(user, 'reply to invitations');
    const { view, capacity } = await this.visible(user, id);
    const message = this.message(id, capacity.side, body, user.id, capacity.principalId);
    const added = await this.deps.store.scheduling.invitations.addMessage(message, threadOpen, this.deps.delegations.act('invitation.message', id, user.id, capacity.principalId));
    if (!added) throw new ParleyError('conflict', `This invitation is ${view.invitation.status}: its thread is closed.`);
    const asking = capacity.side === 'invitee';
    const otherSide = asking ? view.invitation.inviterId : view.invitation.inviteeId;
    if (otherSide) {
      await this.deps.notifications.notify({
        kind: asking ? 'invitation.question' : 'invitation.answer',
        recipients: await this.deps.delegations.sideOf(otherSide, 'invitations'),
        actorId: user.id,
        text: (principalName) =>
          asking
            ? `${byFor(view, user, capacity.principalId)} asked about ${principalName ? `${principalName}'s` : 'your'} invitation ${what(view)}: “${excerpt(body)}”`
            : `${byFor(view, user, capacity.principalId)} answered about the invitation ${what(view)}: “${excerpt(body)}”`,
        link: `/invitations/${id}`,
        invitationId: id,
        dedupeKey: `${asking ? 'invitation.question' : 'invitation.answer'}:${message.id}`,
      });
    }
    return this.detail(await this.load(id), capacity);
  }

  /** Accept or decline (the invitee's side), or withdraw (the inviter's side), with an optional note in the thread. */
  async decide(user: User, id: string, decision: InvitationDecision, note: string | undefined): Promise<InvitationDetail> {
    requireMember(user, 'answer invitations');
    const rule = decisions[decision];
    const { view, capacity } = await this.visible(user, id);
    if (capacity.side !== rule.side) {
      throw new ParleyError('forbidden', rule.side === 'invitee' ? 'Only the person invited (or their delegate) can answer this invitation.' : 'Only the inviter (or their delegate) can withdraw this invitation.');
    }
    if (decision === 'accept') this.assertStillOn(view);
    const now = this.clock();
    const noteMessage = note ? this.message(id, capacity.side, note, user.id, capacity.principalId) : null;
    const result = await this.deps.store.scheduling.invitations.transition(
      id,
      { to: rule.to, actorId: user.id, principalId: capacity.principalId, at: now, note: noteMessage },
      this.deps.delegations.act(rule.action, id, user.id, capacity.principalId),
    );
    if (result.kind === 'not_found') throw new ParleyError('not_found', 'No such invitation.');
    if (result.kind === 'conflict') throw new ParleyError('conflict', result.status === 'expired' ? 'This invitation has expired.' : `This invitation was already ${result.status}.`);
    await this.deps.jobs.cancel(expiryKey(id));
    const after = await this.load(id);
    if (decision === 'accept') this.admitIfLive(after);
    if (decision !== 'withdraw') await this.notifyDecision(after, user, capacity.principalId, decision);
    return this.detail(after, capacity);
  }

  /** The expiry job: a pending invitation past its time becomes expired. */
  private async expire(id: string): Promise<void> {
    await this.deps.store.scheduling.invitations.expire(id, this.clock(), this.deps.delegations.act('invitation.expired', id, null, null));
  }

  /** An event one may invite speakers to: the inviter must host it, and it must be upcoming or live. */
  private async eventTarget(principal: string, eventId: string, now: Date) {
    const view = await this.deps.store.scheduling.events.get(eventId, null);
    if (!view) throw new ParleyError('not_found', 'No such event.');
    if (!view.hosts.some((h) => h.id === principal)) throw new ParleyError('forbidden', "Only the event's hosts (or their delegates) can invite speakers to it.");
    const status = eventStatus(view.event, view.roomStatus);
    if (status === 'cancelled' || status === 'ended') throw new ParleyError('conflict', `This event is ${status}.`);
    // Until the start for an upcoming event; a while longer for one that is live (or running late).
    const upcoming = status === 'scheduled' && view.event.startsAt.getTime() > now.getTime();
    return {
      startsAt: view.event.startsAt,
      expiresAt: upcoming ? view.event.startsAt : new Date(now.getTime() + liveEventLifetimeMs),
      speakerIds: view.speakers.map((s) => s.id),
    };
  }

  /** A live room one may ping people into: the inviter must be its host or a host of its event. */
  private async roomTarget(principal: string, roomId: string, now: Date) {
    const room = await this.deps.store.rooms.get(roomId);
    if (!room) throw new ParleyError('not_found', 'No such room.');
    if (room.status !== 'live') throw new ParleyError('room_ended', 'This room has ended.');
    const event = await this.deps.store.scheduling.events.findByRoom(roomId);
    const hosting = room.hostId === principal || (event !== null && (await this.deps.store.scheduling.events.isHost(event.id, principal)));
    if (!hosting) throw new ParleyError('forbidden', "Only the room's hosts (or their delegates) can invite people onto its stage.");
    return { startsAt: now, expiresAt: new Date(now.getTime() + pingLifetimeMs), speakerIds: this.deps.rooms.speakersOf(roomId) };
  }

  /** The person invited: a member by username, the member with this email, or just the email. */
  private async invitee(principal: string, input: CreateInvitation, speakerIds: readonly string[]): Promise<{ person: PersonRecord | null; email: string }> {
    let person: PersonRecord | null = null;
    if (input.username) {
      person = await this.deps.store.scheduling.people.byUsername(input.username);
      if (!person) throw new ParleyError('not_found', 'Nobody has this username.');
    } else if (input.email) {
      const found = await this.deps.store.accounts.findByEmail(input.email);
      if (found) person = (await this.deps.store.scheduling.people.byIds([found.user.id]))[0] ?? null;
    }
    if (person?.id === principal) throw new ParleyError('conflict', 'You cannot invite yourself.');
    if (person && speakerIds.includes(person.id)) throw new ParleyError('conflict', `${person.displayName} is already a speaker.`);
    return { person: person ?? null, email: input.email ?? '' };
  }

  /**
   * Someone without an account gets a sign-up invite with the invitation: it uses one of the inviter's
   * invites (the same quota and rule as `POST /api/invites`) and their sign-up is the inviter's referral.
   */
  private async reserveSignUp(principal: string, email: string, now: Date): Promise<string> {
    const account = await this.deps.store.accounts.get(principal);
    if (!account) throw new ParleyError('forbidden', 'Only people with an account can invite by email.');
    if (!account.emailVerifiedAt) throw new ParleyError('forbidden', 'Confirm your own email address before inviting people by email.');
    const limit = account.role === 'admin' ? null : this.deps.inviteQuota;
    const code = newInviteCode();
    const created = await this.deps.store.invites.createWithinQuota({ code, inviterId: principal, email, createdAt: now, redeemedBy: null, redeemedAt: null }, limit);
    if (!created) throw new ParleyError('forbidden', `You have used all ${limit} of your invites. Withdraw an unused one to invite someone without an account.`);
    return code;
  }

  private mailSignUp(view: InvitationView, code: string, message: string | null): void {
    const { invitation } = view;
    const link = this.deps.links(`/sign-up?invite=${encodeURIComponent(code)}&next=${encodeURIComponent(`/invitations/${invitation.id}`)}`);
    const timeZone = view.event?.timeZone ?? 'UTC';
    const mail = invitationSignUpMail(
      invitation.inviteeEmail ?? '',
      {
        inviterName: view.inviter.displayName,
        inviterUsername: view.inviter.username,
        what: what(view),
        topic: invitation.topic,
        when: formatInstant(invitation.startsAt, timeZone),
        expectedAudience: invitation.expectedAudience,
        recorded: invitation.recorded,
        message,
      },
      link,
      code,
    );
    this.deps.background(this.deps.mailer.send(mail), 'invitation sign-up mail');
  }

  /** Accepting is only for something still happening. */
  private assertStillOn(view: InvitationView): void {
    if (view.event) {
      const status = eventStatus({ cancelledAt: view.event.cancelledAt, roomId: view.event.roomId }, view.event.roomStatus);
      if (status === 'cancelled' || status === 'ended') throw new ParleyError('conflict', `This event is ${status}.`);
    }
    if (view.room && view.room.status !== 'live') throw new ParleyError('room_ended', 'This room has ended.');
  }

  /** Someone accepted while the room is live and they may be in it listening: on stage now. */
  private admitIfLive(view: InvitationView): void {
    const inviteeId = view.invitation.inviteeId;
    const roomId = view.room?.id ?? (view.event?.roomStatus === 'live' ? view.event.roomId : null);
    if (inviteeId && roomId) this.deps.rooms.admitToStage(roomId, inviteeId, 'speaker');
  }

  private async notifyDecision(view: InvitationView, actor: User, principalId: string, decision: 'accept' | 'decline'): Promise<void> {
    const actorId = actor.id;
    const kind = decision === 'accept' ? 'invitation.accepted' : 'invitation.declined';
    const verb = decision === 'accept' ? 'accepted' : 'declined';
    const who = byFor(view, actor, principalId);
    const inviterSide = await this.deps.delegations.sideOf(view.invitation.inviterId, 'invitations');
    // The invitee's side hears of it too when a delegate decided: the principal must see what was done in their name.
    const inviteeSide: NotificationRecipient[] = actorId !== principalId ? await this.deps.delegations.sideOf(principalId, 'invitations') : [];
    const base = { kind, actorId, link: `/invitations/${view.invitation.id}`, invitationId: view.invitation.id, dedupeKey: `${kind}:${view.invitation.id}` } as const;
    await this.deps.notifications.notify({ ...base, recipients: inviterSide, text: (principalName) => `${who} ${verb} ${principalName ? `${principalName}'s` : 'your'} invitation ${what(view)}.` });
    if (inviteeSide.length > 0) {
      await this.deps.notifications.notify({
        ...base,
        recipients: inviteeSide,
        text: (principalName) => `${actor.displayName} ${verb} ${view.inviter.displayName}'s invitation ${what(view)} for ${principalName ?? 'you'}.`,
      });
    }
  }

  private message(invitationId: string, side: InvitationSide, body: string, authorId: string, principalId: string): ThreadMessageRecord {
    return { id: newId(), invitationId, side, body, authorId, principalId, createdAt: this.clock() };
  }

  private async load(id: string): Promise<InvitationView> {
    const view = await this.deps.store.scheduling.invitations.get(id);
    if (!view) throw new ParleyError('not_found', 'No such invitation.');
    return view;
  }

  /** The invitation if the user is on one of its sides (themselves or as a delegate); `not_found` otherwise. */
  private async visible(user: User, id: string): Promise<{ view: InvitationView; capacity: Capacity }> {
    const view = await this.deps.store.scheduling.invitations.get(id);
    const principals = await this.deps.delegations.principalsOf(user, 'invitations');
    const capacity = view ? capacityAmong(view, principals, user.id) : null;
    if (!view || !capacity) throw new ParleyError('not_found', 'No such invitation.');
    return { view, capacity };
  }

  private summary(view: InvitationView, capacity: Capacity): Invitation {
    const { invitation } = view;
    const pending = invitation.status === 'pending' && invitation.expiresAt.getTime() > this.clock().getTime();
    const principal = capacity.principalId === invitation.inviterId ? view.inviter : view.invitee;
    return {
      id: invitation.id,
      kind: invitation.kind,
      status: invitation.status === 'pending' && !pending ? 'expired' : invitation.status,
      event: view.event
        ? {
            id: view.event.id,
            title: view.event.title,
            startsAt: view.event.startsAt.toISOString(),
            timeZone: view.event.timeZone,
            status: eventStatus({ cancelledAt: view.event.cancelledAt, roomId: view.event.roomId }, view.event.roomStatus),
          }
        : null,
      room: view.room,
      inviter: toPersonRef(view.inviter),
      invitee: view.invitee ? toPersonRef(view.invitee) : null,
      inviteeEmail: capacity.side === 'inviter' ? invitation.inviteeEmail : null,
      terms: { topic: invitation.topic, startsAt: invitation.startsAt.toISOString(), expectedAudience: invitation.expectedAudience, recorded: invitation.recorded },
      createdAt: invitation.createdAt.toISOString(),
      expiresAt: invitation.expiresAt.toISOString(),
      createdBy: actedBy(view.createdBy ?? view.inviter, view.inviter),
      decidedBy: view.decidedBy && view.decidedFor ? actedBy(view.decidedBy, view.decidedFor) : null,
      decidedAt: invitation.decidedAt?.toISOString() ?? null,
      messageCount: view.messageCount,
      viewer: {
        side: capacity.side,
        principal: toPersonRef(principal ?? view.inviter),
        canReply: threadOpen.includes(invitation.status) && (invitation.status !== 'pending' || pending),
        canAccept: capacity.side === 'invitee' && pending,
        canDecline: capacity.side === 'invitee' && pending,
        canWithdraw: capacity.side === 'inviter' && pending,
      },
    };
  }

  private async detail(view: InvitationView, capacity: Capacity): Promise<InvitationDetail> {
    const [thread, history] = await Promise.all([this.deps.store.scheduling.invitations.thread(view.invitation.id), this.deps.store.scheduling.acts.forSubject(view.invitation.id)]);
    return {
      ...this.summary(view, capacity),
      thread: thread.map((m) => ({ id: m.message.id, side: m.message.side, body: m.message.body, at: m.message.createdAt.toISOString(), by: actedBy(m.author, m.principal) })),
      history: history.map(toAct),
    };
  }
}

/** Which side the user is on, for whom: the invitee's side first (a delegate of both answers as the invitee's). */
function capacityAmong(view: InvitationView, principals: readonly string[], userId: string): Capacity | null {
  const { inviterId, inviteeId } = view.invitation;
  if (inviteeId === userId) return { side: 'invitee', principalId: userId };
  if (inviterId === userId) return { side: 'inviter', principalId: userId };
  if (inviteeId && principals.includes(inviteeId)) return { side: 'invitee', principalId: inviteeId };
  if (principals.includes(inviterId)) return { side: 'inviter', principalId: inviterId };
  return null;
}

/** "Ada" or "Cy (for Ben)": who acted, as notifications name them. */
function byFor(view: InvitationView, actor: Pick<User, 'id' | 'displayName'>, principalId: string): string {
  if (actor.id === principalId) return actor.displayName;
  const principal = [view.inviter, view.invitee].find((person) => person?.id === principalId);
  return `${actor.displayName} (for ${principal?.displayName ?? 'someone'})`;
}

/** "to speak at “Title”" or "onto the stage of “Title”". */
function what(view: InvitationView): string {
  if (view.event) return `to speak at “${view.event.title}”`;
  return `onto the stage of “${view.room?.title ?? 'a live room'}”, live now`;
}

function excerpt(text: string): string {
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}

function expiryKey(id: string): string {
  return `invitation.expire:${id}`;
}
