import {
  ParleyError,
  type CreatedSpeakerLinkReply,
  type CreateSpeakerLinkBody,
  type RedeemSpeakerLinkReply,
  type SpeakerLink,
  type SpeakerLinkPreviewReply,
  type User,
} from '@parley/protocol';
import type { z } from 'zod';
import { requireMember, type DelegationService } from './delegations';
import { toUser, type IdentityService, type StartedSession } from './identity';
import { hashToken, newId, newToken } from './ids';
import type { LinkBuilder } from './invites';
import type { Store, UserRecord } from './ports';
import type { RoomService } from './rooms';
import type { RedeemResult, SpeakerLinkView } from './scheduling-ports';
import { eventStatus, toSpeakerLink } from './scheduling-views';

/** Collaborators of the {@link SpeakerLinkService}. */
export interface SpeakerLinkServiceDeps {
  store: Store;
  identity: IdentityService;
  delegations: DelegationService;
  rooms: RoomService;
  links: LinkBuilder;
  clock?: () => Date;
}

type CreateSpeakerLink = z.output<typeof CreateSpeakerLinkBody>;

/** A link lives a day unless its creator says otherwise, and at most 30 days. */
const defaultLifetimeMinutes = 24 * 60;
const maxLifetimeMs = 30 * 86_400_000;

/** What a link is for: an event (it works before the event goes live) or a live room. */
export type SpeakerLinkTarget = { eventId: string } | { roomId: string };

/** Why a link cannot be used, as the guest reads it. */
const refusals: Record<Exclude<RedeemResult['kind'], 'redeemed'>, ParleyError> = {
  unknown: new ParleyError('not_found', 'This speaker link is not valid.'),
  used: new ParleyError('conflict', 'This speaker link was already used: each link works once. Ask the host for a new one.'),
  expired: new ParleyError('conflict', 'This speaker link has expired. Ask the host for a new one.'),
  revoked: new ParleyError('conflict', 'This speaker link was withdrawn by the host.'),
};

/**
 * Guest speaker links: a host makes a one-time, expiring, revocable link for a named guest, who opens
 * it without an account and comes into that one room on stage. Opening it (redeeming) makes a guest
 * session for the name (a signed-in member keeps their own), and the guest's place on stage is a
 * grant the room consults when they join: a guest who came by a link may speak there and nowhere else.
 * A used link is dead: every later use is refused.
 */
export class SpeakerLinkService {
  private readonly clock: () => Date;

  constructor(private readonly deps: SpeakerLinkServiceDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /** Make a link; its secret URL is in the reply only. */
  async create(user: User, input: CreateSpeakerLink): Promise<CreatedSpeakerLinkReply> {
    requireMember(user, 'create speaker links');
    const target: SpeakerLinkTarget = input.eventId ? { eventId: input.eventId } : { roomId: input.roomId ?? '' };
    const principal = await this.manager(user, target, input.onBehalfOf);
    const token = newToken();
    const now = this.clock();
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : new Date(now.getTime() + (input.expiresInMinutes ?? defaultLifetimeMinutes) * 60_000);
    if (expiresAt.getTime() <= now.getTime() || expiresAt.getTime() > now.getTime() + maxLifetimeMs) {
      throw new ParleyError('invalid_message', 'expiresAt: must be in the future and at most 30 days ahead');
    }
    const id = newId();
    await this.deps.store.scheduling.speakerLinks.create(
      {
        id,
        tokenHash: hashToken(token),
        guestName: input.guestName,
        eventId: input.eventId ?? null,
        roomId: input.eventId ? null : (input.roomId ?? null),
        createdBy: user.id,
        createdFor: principal,
        createdAt: now,
        expiresAt,
        usedAt: null,
        usedBy: null,
        revokedAt: null,
      },
      this.deps.delegations.act('speakerLink.created', id, user.id, principal),
    );
    return { link: toSpeakerLink(await this.load(id), now), url: this.deps.links(`/speak/${token}`) };
  }

  /** The links of an event or room (its hosts and their delegates). */
  async list(user: User, target: SpeakerLinkTarget): Promise<SpeakerLink[]> {
    requireMember(user, 'see speaker links');
    await this.manager(user, target, undefined, { ended: true });
    const now = this.clock();
    return (await this.deps.store.scheduling.speakerLinks.listFor(target)).map((view) => toSpeakerLink(view, now));
  }

  /** Withdraw a link; a guest who already used it loses their place on stage at once. */
  async revoke(user: User, id: string): Promise<void> {
    requireMember(user, 'revoke speaker links');
    const view = await this.load(id);
    const target: SpeakerLinkTarget = view.link.eventId ? { eventId: view.link.eventId } : { roomId: view.link.roomId ?? '' };
    const principal = await this.manager(user, target, undefined, { ended: true });
    if (!(await this.deps.store.scheduling.speakerLinks.revoke(id, this.clock(), this.deps.delegations.act('speakerLink.revoked', id, user.id, principal)))) {
      throw new ParleyError('conflict', 'This speaker link was already withdrawn.');
    }
    // A guest on stage by this link leaves it now.
    if (view.link.usedBy && view.liveRoomId) await this.deps.rooms.withdrawGrant(view.liveRoomId, view.link.usedBy);
  }

  /** What the guest is about to open (public: the secret is the capability). */
  async preview(token: string): Promise<SpeakerLinkPreviewReply> {
    const view = await this.deps.store.scheduling.speakerLinks.findByToken(hashToken(token));
    if (!view) throw refusals.unknown;
    const status = toSpeakerLink(view, this.clock()).status;
    if (status !== 'open') throw refusals[status === 'used' ? 'used' : status];
    return {
      guestName: view.link.guestName,
      title: view.title,
      hostName: view.hostName,
      eventId: view.link.eventId,
      roomId: view.liveRoomId,
      startsAt: view.startsAt?.toISOString() ?? null,
      expiresAt: view.link.expiresAt.toISOString(),
    };
  }

  /**
   * Use the link, once. A visitor gets a guest session with the link's name (returned for the
   * cookie); a signed-in member is admitted as themselves. Then they join the room and are on stage.
   */
  async redeem(token: string, current: User | null): Promise<{ reply: RedeemSpeakerLinkReply; session: StartedSession | null }> {
    const hash = hashToken(token);
    const view = await this.deps.store.scheduling.speakerLinks.findByToken(hash);
    if (!view) throw refusals.unknown;
    const now = this.clock();
    const member = current?.kind === 'member' ? current : null;
    const guest: UserRecord | null = member ? null : { id: newId(), displayName: view.link.guestName, kind: 'guest', createdAt: now };
    const userId = member?.id ?? guest!.id;
    const result = await this.deps.store.scheduling.speakerLinks.redeem(hash, now, userId, guest);
    if (result.kind !== 'redeemed') throw refusals[result.kind];
    const session = guest ? await this.deps.identity.startSession(guest) : null;
    // A member already listening in the room goes on stage now.
    if (member && view.liveRoomId) this.deps.rooms.admitToStage(view.liveRoomId, member.id, 'speaker');
    return { reply: { user: member ?? toUser(guest!), eventId: view.link.eventId, roomId: view.liveRoomId }, session };
  }

  private async load(id: string): Promise<SpeakerLinkView> {
    const view = await this.deps.store.scheduling.speakerLinks.get(id);
    if (!view) throw new ParleyError('not_found', 'No such speaker link.');
    return view;
  }

  /**
   * For whom the user manages the target's speaker links: a host of the event or room (themselves,
   * `onBehalfOf`, or the first host they are a delegate of on events). Refuses targets that are over,
   * unless `ended` allows looking back.
   */
  private async manager(user: User, target: SpeakerLinkTarget, onBehalfOf: string | undefined, allow: { ended?: boolean } = {}): Promise<string> {
    const { store, delegations } = this.deps;
    let hostIds: string[];
    if ('eventId' in target) {
      const view = await store.scheduling.events.get(target.eventId, null);
      if (!view) throw new ParleyError('not_found', 'No such event.');
      const status = eventStatus(view.event, view.roomStatus);
      if (!allow.ended && (status === 'cancelled' || status === 'ended')) throw new ParleyError('conflict', `This event is ${status}.`);
      hostIds = view.hosts.map((h) => h.id);
    } else {
      const room = await store.rooms.get(target.roomId);
      if (!room) throw new ParleyError('not_found', 'No such room.');
      if (!allow.ended && room.status !== 'live') throw new ParleyError('room_ended', 'This room has ended.');
      const event = await store.scheduling.events.findByRoom(room.id);
      const eventHosts = event ? ((await store.scheduling.events.get(event.id, null))?.hosts.map((h) => h.id) ?? []) : [];
      hostIds = [room.hostId, ...eventHosts];
    }
    const candidates = onBehalfOf ? [await delegations.principalFor(user, onBehalfOf, 'events')] : await delegations.principalsOf(user, 'events');
    const principal = candidates.find((id) => hostIds.includes(id));
    if (!principal) throw new ParleyError('forbidden', 'Only the hosts (or their delegates) can manage speaker links.');
    return principal;
  }
}
