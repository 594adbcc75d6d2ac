import { mayDoTo, type Participant } from '@parley/protocol';

// The stage rules themselves come from @parley/protocol, shared with the server that enforces them.
export { mayDo, mayDoTo, stageRules, type StageAction } from '@parley/protocol';

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
