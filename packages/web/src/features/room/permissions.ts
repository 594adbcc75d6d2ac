import type { Participant, Role } from '@parley/protocol';

/**
 * The stage rules as the web app needs them, to show each person only the controls their role allows.
 * The server is the authority (packages/server/src/domain/stage.ts) and refuses anything else; this is
 * a copy of its table for the UI, and `permissions.test.ts` keeps it equal to docs/roles.md, which is
 * generated from the server's policy.
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

/** Who may take an action: roles acting on themselves, or for each acting role the roles it may target. */
export type StageRule = { self: readonly Role[] } | { targets: Partial<Record<Role, readonly Role[]>> };

/** The policy of docs/roles.md. Nobody acts on the host, and nobody targets themselves. */
export const stageRules: Record<StageAction, StageRule> = {
  raiseHand: { self: ['listener'] },
  lowerHand: { self: ['listener'] },
  inviteToSpeak: { targets: { host: ['listener'], moderator: ['listener'] } },
  acceptInvite: { self: ['listener'] },
  declineInvite: { self: ['listener'] },
  moveToAudience: { targets: { host: ['moderator', 'speaker'], moderator: ['speaker'] } },
  stepDown: { self: ['moderator', 'speaker'] },
  setMuted: { self: ['host', 'moderator', 'speaker'] },
  muteOther: { targets: { host: ['moderator', 'speaker'], moderator: ['moderator', 'speaker'] } },
  remove: { targets: { host: ['moderator', 'speaker', 'listener'], moderator: ['speaker', 'listener'] } },
  promoteModerator: { targets: { host: ['speaker', 'listener'] } },
  demoteModerator: { targets: { host: ['moderator'] } },
  publish: { self: ['host', 'moderator', 'speaker'] },
  endRoom: { self: ['host', 'moderator'] },
};

/** Whether `actor` may take a self-directed action. */
export function mayDo(actor: Participant, action: StageAction): boolean {
  const rule = stageRules[action];
  return 'self' in rule && rule.self.includes(actor.role);
}

/** Whether `actor` may take an action on `target` (never on themselves). */
export function mayDoTo(actor: Participant, action: StageAction, target: Participant): boolean {
  const rule = stageRules[action];
  if (!('targets' in rule) || actor.id === target.id) return false;
  return rule.targets[actor.role]?.includes(target.role) ?? false;
}

/** Whether the person runs the stage (host or moderator): they see the hand queue and moderation tools. */
export function runsStage(participant: Participant): boolean {
  return participant.role === 'host' || participant.role === 'moderator';
}

/** A moderation tool the viewer may use on one participant, in the order the menu lists them. */
export type ModerationTool = 'mute' | 'moveToAudience' | 'promoteModerator' | 'demoteModerator' | 'remove';

/**
 * The moderation tools the viewer may use on `target` right now: what their role allows, and what makes
 * sense in the target's state (someone already muted cannot be muted again; they unmute themselves).
 * Inviting to speak is not here: it is the audience's main action and has its own button.
 */
export function moderationTools(viewer: Participant, target: Participant): ModerationTool[] {
  const tools: ModerationTool[] = [];
  if (mayDoTo(viewer, 'muteOther', target) && !target.muted) tools.push('mute');
  if (mayDoTo(viewer, 'moveToAudience', target)) tools.push('moveToAudience');
  if (mayDoTo(viewer, 'promoteModerator', target)) tools.push('promoteModerator');
  if (mayDoTo(viewer, 'demoteModerator', target)) tools.push('demoteModerator');
  if (mayDoTo(viewer, 'remove', target)) tools.push('remove');
  return tools;
}

/** Whether the viewer may invite `target` onto the stage now (a listener not already invited). */
export function mayInvite(viewer: Participant, target: Participant): boolean {
  return mayDoTo(viewer, 'inviteToSpeak', target) && !target.invitedToSpeak;
}

/** The menu item's text for a tool, with the person's name so it is unambiguous out of context. */
export function toolLabel(tool: ModerationTool, name: string): string {
  switch (tool) {
    case 'mute':
      return `Mute ${name}`;
    case 'moveToAudience':
      return `Move ${name} to audience`;
    case 'promoteModerator':
      return `Make ${name} a moderator`;
    case 'demoteModerator':
      return `Remove ${name} as moderator`;
    case 'remove':
      return `Remove ${name}`;
  }
}
