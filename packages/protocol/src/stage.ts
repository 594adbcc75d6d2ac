import { ParleyError } from './errors';
import type { Participant, Role } from './model';

/**
 * The stage rules, in one place, shared by the server (which enforces them: every stage command asks
 * {@link authorize} before it changes anything) and the clients (which show each person only the
 * controls they may use). docs/roles.md is generated from this table, a test keeps the two equal, and
 * the server's authorization matrix test walks it against the real server.
 */
export type StageAction =
  | 'raiseHand'
  | 'lowerHand'
  | 'inviteToSpeak'
  | 'acceptInvite'
  | 'declineInvite'
  | 'moveToAudience'
  | 'stepDown'
  | 'setMuted'
  | 'muteOther'
  | 'remove'
  | 'promoteModerator'
  | 'demoteModerator'
  | 'publish'
  | 'endRoom';

/** Who may take an action: actor roles, and for actions on someone else, which roles each may target. */
export interface StageRule {
  /** One line for docs/roles.md. */
  summary: string;
  /** Roles allowed to act (on themselves when `targets` is absent). */
  actors: readonly Role[];
  /** For actions on another participant: the roles each actor role may target. */
  targets?: Partial<Record<Role, readonly Role[]>>;
}

/** The policy. Ranks: host > moderator > speaker > listener; nobody acts on the host. */
export const stageRules: Record<StageAction, StageRule> = {
  raiseHand: { summary: 'Raise a hand to ask to speak', actors: ['listener'] },
  lowerHand: { summary: "Lower one's own hand", actors: ['listener'] },
  inviteToSpeak: { summary: 'Invite a listener onto the stage', actors: ['host', 'moderator'], targets: { host: ['listener'], moderator: ['listener'] } },
  acceptInvite: { summary: 'Accept an invitation to speak (becomes speaker)', actors: ['listener'] },
  declineInvite: { summary: 'Decline an invitation to speak', actors: ['listener'] },
  moveToAudience: {
    summary: 'Move someone from the stage to the audience',
    actors: ['host', 'moderator'],
    targets: { host: ['moderator', 'speaker'], moderator: ['speaker'] },
  },
  stepDown: { summary: 'Leave the stage oneself (become a listener)', actors: ['moderator', 'speaker'] },
  setMuted: { summary: 'Mute or unmute oneself', actors: ['host', 'moderator', 'speaker'] },
  muteOther: {
    summary: 'Mute someone on stage (they may unmute themselves)',
    actors: ['host', 'moderator'],
    targets: { host: ['moderator', 'speaker'], moderator: ['moderator', 'speaker'] },
  },
  remove: {
    summary: 'Remove someone from the room; they cannot rejoin it',
    actors: ['host', 'moderator'],
    targets: { host: ['moderator', 'speaker', 'listener'], moderator: ['speaker', 'listener'] },
  },
  promoteModerator: { summary: 'Make someone a moderator', actors: ['host'], targets: { host: ['speaker', 'listener'] } },
  demoteModerator: { summary: 'Take moderation back (they stay a speaker)', actors: ['host'], targets: { host: ['moderator'] } },
  publish: { summary: 'Send audio (the SFU forwards it only while on stage and not muted)', actors: ['host', 'moderator', 'speaker'] },
  endRoom: { summary: 'End the room for everyone', actors: ['host', 'moderator'] },
};

/**
 * Actions that need an account: guests (a display name only) listen, and may not ask to speak, be
 * invited, be made moderators, or send audio. (Lowering a hand and declining an invitation are theirs
 * only to refuse: a guest never has either.)
 */
export const memberOnlyActions: readonly StageAction[] = ['raiseHand', 'lowerHand', 'acceptInvite', 'declineInvite', 'publish'];

/** Actions that may not target a guest (for the same reason). */
export const memberOnlyTargets: readonly StageAction[] = ['inviteToSpeak', 'promoteModerator'];

/**
 * A guest who came in by a one-time speaker link (`Participant.speakerLink`) may speak in that room:
 * the member-only rules do not hold them back there, except these (they cannot be made moderators).
 */
export const speakerLinkExceptions: readonly StageAction[] = ['promoteModerator'];

/** Whether the member-only rules apply to this participant for this action. */
function heldBackAsGuest(participant: Participant, action: StageAction): boolean {
  return participant.guest === true && (participant.speakerLink !== true || speakerLinkExceptions.includes(action));
}

/** Roles in rank order. */
export const roles: readonly Role[] = ['host', 'moderator', 'speaker', 'listener'];

/**
 * What a server admin (`Participant.admin`) may do in any room, whatever their role in it: the rights
 * of a moderator, and besides removing anyone (the host too) so that a room breaking the server's
 * rules can always be dealt with. `true` for an action without a target. Beyond these, an admin's own
 * role in the room applies as for anyone.
 */
export const adminPowers: Partial<Record<StageAction, readonly Role[] | true>> = {
  inviteToSpeak: ['listener'],
  moveToAudience: ['moderator', 'speaker'],
  muteOther: ['moderator', 'speaker'],
  remove: ['host', 'moderator', 'speaker', 'listener'],
  endRoom: true,
};

/** Whether an admin's powers cover this action (on this target). */
function adminMay(action: StageAction, actor: Participant, target?: Participant): boolean {
  const power = adminPowers[action];
  if (!actor.admin || power === undefined) return false;
  if (power === true) return target === undefined;
  return target !== undefined && target.id !== actor.id && power.includes(target.role) && !(heldBackAsGuest(target, action) && memberOnlyTargets.includes(action));
}

/** Why an action is refused, or null when it is allowed. */
export function refusal(action: StageAction, actor: Participant, target?: Participant): string | null {
  const rule = stageRules[action];
  if (adminMay(action, actor, target)) return null;
  if (!rule.actors.includes(actor.role)) return `A ${actor.role} cannot ${describe(action)}.`;
  if (heldBackAsGuest(actor, action) && memberOnlyActions.includes(action)) return 'Sign in with an account to speak. Guests can listen.';
  if (rule.targets && target) {
    if (target.id === actor.id) return `You cannot ${describe(action)} yourself.`;
    if (!rule.targets[actor.role]?.includes(target.role)) return `A ${actor.role} cannot ${describe(action)} a ${target.role}.`;
    if (heldBackAsGuest(target, action) && memberOnlyTargets.includes(action)) return `${target.displayName} is a guest: only people with an account can speak.`;
  }
  return null;
}

/** Throw `forbidden` unless the actor may take the action (on the target, where it has one). */
export function authorize(action: StageAction, actor: Participant, target?: Participant): void {
  const reason = refusal(action, actor, target);
  if (reason) throw new ParleyError('forbidden', reason);
}

/** Whether the actor may take a self-directed action (no target). */
export function mayDo(actor: Participant, action: StageAction): boolean {
  return stageRules[action].targets === undefined && refusal(action, actor) === null;
}

/** Whether the actor may take an action on someone else. */
export function mayDoTo(actor: Participant, action: StageAction, target: Participant): boolean {
  return stageRules[action].targets !== undefined && actor.id !== target.id && refusal(action, actor, target) === null;
}

/** Whether a participant's audio may reach others now: on stage and not muted. */
export function mayBeHeard(participant: Participant): boolean {
  return participant.role !== 'listener' && !participant.muted;
}

/** Whether a role runs the stage. */
export function isModerator(role: Role): boolean {
  return role === 'host' || role === 'moderator';
}

/** The rules as a Markdown table: docs/roles.md embeds exactly this. */
export function renderStageRulesTable(): string {
  const header = `| Action | ${roles.join(' | ')} |`;
  const rule = `| --- | ${roles.map(() => ':---:').join(' | ')} |`;
  const rows = (Object.keys(stageRules) as StageAction[]).map((action) => {
    const { summary, actors, targets } = stageRules[action];
    const cells = roles.map((role) => {
      if (!actors.includes(role)) return '—';
      const allowed = targets?.[role];
      return allowed ? allowed.join(', ') : 'yes';
    });
    return `| \`${action}\`: ${summary} | ${cells.join(' | ')} |`;
  });
  const guests = `Guests (no account) may not ${memberOnlyActions.map((a) => `\`${a}\``).join(', ')}, nor be the target of ${memberOnlyTargets
    .map((a) => `\`${a}\``)
    .join(', ')}. A guest who came in by a one-time speaker link is exempt from these in that room, except for ${speakerLinkExceptions
    .map((a) => `\`${a}\``)
    .join(', ')}.`;
  const admins = `Server admins, in any room and whatever their role there, may also: ${(Object.keys(adminPowers) as StageAction[])
    .map((action) => {
      const power = adminPowers[action]!;
      return power === true ? `\`${action}\`` : `\`${action}\` (${power.join(', ')})`;
    })
    .join('; ')}.`;
  return [header, rule, ...rows, '', guests, '', admins].join('\n');
}

function describe(action: StageAction): string {
  return action.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
}
