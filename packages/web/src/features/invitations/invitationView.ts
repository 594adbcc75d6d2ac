import type { Act, ActedBy, DelegationScope, Invitation, InvitationStatus, PersonRef } from '@parley/protocol';

/** What an invitation is for: its event's title, or its live room's. */
export function invitationTitle(invitation: Pick<Invitation, 'event' | 'room'>): string {
  return invitation.event?.title ?? invitation.room?.title ?? 'A live room';
}

/** Whether the viewer sees this invitation as somebody's delegate rather than for themselves. */
export function seenAsDelegate(invitation: Pick<Invitation, 'viewer'>, myId: string): boolean {
  return invitation.viewer.principal.id !== myId;
}

/** Name of an invitation's link in the lists: the title, and "for <principal>" when I act as a delegate. */
export function invitationLinkName(invitation: Pick<Invitation, 'event' | 'room' | 'viewer'>, myId: string): string {
  const title = invitationTitle(invitation);
  return seenAsDelegate(invitation, myId) ? `${title} for ${invitation.viewer.principal.displayName}` : title;
}

/** The other side, as a list line says it: "From Ada" (received) or "To Ben" / "To ben@example.com" (sent). */
export function counterpartLine(invitation: Pick<Invitation, 'viewer' | 'inviter' | 'invitee' | 'inviteeEmail'>): string {
  if (invitation.viewer.side === 'invitee') return `From ${invitation.inviter.displayName}`;
  return `To ${invitation.invitee?.displayName ?? invitation.inviteeEmail ?? 'someone without an account yet'}`;
}

/** The status line of the invitation page: "Status: pending", "Status: accepted"… */
export function statusText(status: InvitationStatus): string {
  return `Status: ${status}`;
}

/** Who did something: "Ada", or "Cy for Ben" when Cy acted as Ben's delegate. */
export function actedByLabel(by: ActedBy): string {
  return by.actor.id === by.principal.id ? by.actor.displayName : `${by.actor.displayName} for ${by.principal.displayName}`;
}

function actorLabel(actor: PersonRef | null, principal: PersonRef | null): string | null {
  if (!actor) return null;
  if (!principal || principal.id === actor.id) return actor.displayName;
  return `${actor.displayName} for ${principal.displayName}`;
}

const historyVerbs: Partial<Record<Act['action'], string>> = {
  'invitation.created': 'Invited',
  'invitation.accepted': 'Accepted',
  'invitation.declined': 'Declined',
  'invitation.withdrawn': 'Withdrawn',
};

/**
 * One line of an invitation's history of decisions: "Invited by Ada", "Accepted by Cy for Ben",
 * "Expired". Thread messages are shown in the thread, not here (null).
 */
export function historyLine(act: Pick<Act, 'action' | 'actor' | 'principal'>): string | null {
  if (act.action === 'invitation.expired') return 'Expired: nobody answered in time';
  const verb = historyVerbs[act.action];
  if (!verb) return null;
  const who = actorLabel(act.actor, act.principal);
  return who ? `${verb} by ${who}` : verb;
}

/** The live room where an accepted speaker goes on stage, if it is live now. */
export function liveRoomOf(invitation: Pick<Invitation, 'kind' | 'room' | 'event'>, eventRoom: { roomId: string | null } | null): string | null {
  if (invitation.kind === 'room') return invitation.room?.status === 'live' ? invitation.room.id : null;
  if (invitation.event?.status !== 'live') return null;
  return eventRoom?.roomId ?? null;
}

/** Whether "Join on stage" is for this viewer: the invitee themselves, once they accepted. */
export function mayJoinOnStage(invitation: Pick<Invitation, 'status' | 'viewer'>, myId: string): boolean {
  return invitation.status === 'accepted' && invitation.viewer.side === 'invitee' && invitation.viewer.principal.id === myId;
}

/** Human names of the delegation scopes, with what each lets a delegate do. */
export const scopeLabels: Record<DelegationScope, { label: string; hint: string }> = {
  invitations: { label: 'Invitations', hint: 'Read, answer, accept and decline invitations to speak for you, and invite speakers in your name.' },
  events: { label: 'Events', hint: 'Schedule, edit and cancel your events, go live, and create guest speaker links for them.' },
};

/** "Invitations and Events": the scopes of a grant, for a list line. */
export function scopesText(scopes: readonly DelegationScope[]): string {
  const names = scopes.map((scope) => scopeLabels[scope].label);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** Splits the received and sent lists the page shows, each newest first, without duplicates inside a list. */
export function uniqueById<T extends { id: string }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => (seen.has(item.id) ? false : (seen.add(item.id), true)));
}

const actionWords: Record<Act['action'], string> = {
  'invitation.created': 'sent an invitation to speak',
  'invitation.message': 'wrote in an invitation’s thread',
  'invitation.accepted': 'accepted an invitation',
  'invitation.declined': 'declined an invitation',
  'invitation.withdrawn': 'withdrew an invitation',
  'invitation.expired': 'an invitation expired',
  'event.created': 'scheduled an event',
  'event.updated': 'changed an event',
  'event.cancelled': 'cancelled an event',
  'event.live': 'took an event live',
  'delegation.granted': 'appointed a delegate',
  'delegation.revoked': 'revoked a delegate',
  'speakerLink.created': 'created a guest speaker link',
  'speakerLink.revoked': 'revoked a guest speaker link',
};

/** One line of the delegation activity: "Cy (for Ben) accepted an invitation". */
export function activityLine(act: Pick<Act, 'action' | 'actor' | 'principal'>): string {
  if (!act.actor) return capitalise(actionWords[act.action]);
  const who = act.principal && act.principal.id !== act.actor.id ? `${act.actor.displayName} (for ${act.principal.displayName})` : act.actor.displayName;
  return `${who} ${actionWords[act.action]}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
