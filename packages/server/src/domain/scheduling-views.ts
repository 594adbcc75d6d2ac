import type { Act, ActedBy, Delegation, Notification, ScheduledEventStatus, SpeakerLink } from '@parley/protocol';
import type { PersonRecord } from './accounts-ports';
import { toPersonRef } from './invites';
import type { ActView, DelegationView, NotificationView, ScheduledEventRecord, SpeakerLinkView } from './scheduling-ports';

/**
 * The protocol's views of what the scheduling stores read: records in, the shapes of
 * `@parley/protocol` out. No decisions here beyond deriving a status.
 */

/** "By <actor> for <principal>"; the same person twice when someone acted for themselves. */
export function actedBy(actor: PersonRecord, principal: PersonRecord): ActedBy {
  return { actor: toPersonRef(actor), principal: toPersonRef(principal) };
}

/** One recorded act. */
export function toAct(view: ActView): Act {
  return {
    id: view.act.id,
    action: view.act.action,
    subjectId: view.act.subjectId,
    at: view.act.at.toISOString(),
    actor: view.actor ? toPersonRef(view.actor) : null,
    principal: view.principal ? toPersonRef(view.principal) : null,
  };
}

/** A delegation grant. */
export function toDelegation(view: DelegationView): Delegation {
  return {
    id: view.delegation.id,
    principal: toPersonRef(view.principal),
    delegate: toPersonRef(view.delegate),
    scopes: view.delegation.scopes,
    createdAt: view.delegation.createdAt.toISOString(),
  };
}

/** Where an event is: cancelled, not yet live, or its room's state. */
export function eventStatus(event: Pick<ScheduledEventRecord, 'cancelledAt' | 'roomId'>, roomStatus: string | null): ScheduledEventStatus {
  if (event.cancelledAt) return 'cancelled';
  if (!event.roomId) return 'scheduled';
  return roomStatus === 'ended' ? 'ended' : 'live';
}

/** A notification. */
export function toNotification(view: NotificationView): Notification {
  const n = view.notification;
  return {
    id: n.id,
    kind: n.kind,
    text: n.text,
    link: n.link,
    actor: view.actor ? toPersonRef(view.actor) : null,
    onBehalfOf: view.onBehalfOf ? toPersonRef(view.onBehalfOf) : null,
    invitationId: n.invitationId,
    eventId: n.eventId,
    roomId: n.roomId,
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt?.toISOString() ?? null,
  };
}

/** A speaker link as its creators see it, its status as of `now`. */
export function toSpeakerLink(view: SpeakerLinkView, now: Date): SpeakerLink {
  const { link } = view;
  const status = link.revokedAt ? 'revoked' : link.usedAt ? 'used' : link.expiresAt.getTime() <= now.getTime() ? 'expired' : 'open';
  return {
    id: link.id,
    guestName: link.guestName,
    eventId: link.eventId,
    roomId: link.roomId,
    title: view.title,
    createdAt: link.createdAt.toISOString(),
    expiresAt: link.expiresAt.toISOString(),
    status,
    usedAt: link.usedAt?.toISOString() ?? null,
    createdBy: actedBy(view.createdBy ?? view.createdFor, view.createdFor),
  };
}
