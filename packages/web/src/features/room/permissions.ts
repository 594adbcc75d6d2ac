import { mayDoTo, type Participant } from '@parley/protocol';

// The stage rules themselves come from @parley/protocol, shared with the server that enforces them.
export { mayDo, mayDoTo, stageRules, type StageAction } from '@parley/protocol';

/** Whether the person runs the stage (host or moderator): they see the hand queue and moderation tools. */
export function runsStage(participant: Participant): boolean {
  return participant.role === 'host' || participant.role === 'moderator';
}

/**
 * A tool the viewer may use on one participant, in the order the menu lists them: the moderation
 * tools, then the personal safety tools anyone with an account has (report, block).
 */
export type ModerationTool = 'mute' | 'moveToAudience' | 'promoteModerator' | 'demoteModerator' | 'remove' | 'report' | 'block';

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

/**
 * Report and block: for a viewer with an account, on anyone else with an account (a guest has no
 * profile to report or block; a guest viewer cannot do either).
 */
export function safetyTools(viewer: Participant, target: Participant): ModerationTool[] {
  if (viewer.guest || viewer.id === target.id || !target.username) return [];
  return ['report', 'block'];
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
    case 'report':
      return `Report ${name}`;
    case 'block':
      return `Block ${name}`;
  }
}
