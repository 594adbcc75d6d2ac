import { ParleyError, type Participant, type Role } from '@parley/protocol';

/**
 * The stage rules, in one place. Every stage command asks {@link authorize} before it changes
 * anything; the table below is the whole policy, docs/roles.md is generated from it (and a test keeps
 * the two equal), and the authorization matrix test walks it against the real server.
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

/** Roles in rank order. */
export const roles: readonly Role[] = ['host', 'moderator', 'speaker', 'listener'];

/** Throw `forbidden` unless the actor's role allows the action (and, for a target, the target's role fits). */
export function authorize(action: StageAction, actor: Participant, target?: Participant): void {
  const rule = stageRules[action];
  if (!rule.actors.includes(actor.role)) {
    throw new ParleyError('forbidden', `A ${actor.role} cannot ${describe(action)}.`);
  }
  if (rule.targets && target) {
    if (target.id === actor.id) throw new ParleyError('forbidden', `You cannot ${describe(action)} yourself.`);
    if (!rule.targets[actor.role]?.includes(target.role)) {
      throw new ParleyError('forbidden', `A ${actor.role} cannot ${describe(action)} a ${target.role}.`);
    }
  }
}

/** Whether a role may take the action (ignoring targets). */
export function allows(action: StageAction, role: Role): boolean {
  return stageRules[action].actors.includes(role);
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
  return [header, rule, ...rows].join('\n');
}

function describe(action: StageAction): string {
  return action.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
}
