import { ParleyError, type Participant, type Role } from '@parley/protocol';

/**
 * The stage rules, in one place. Every stage command asks {@link authorize} before it changes
 * anything, so the rules read as a table and the authorization tests can walk it.
 */
export type StageAction =
  | 'raiseHand'
  | 'lowerHand'
  | 'inviteToSpeak'
  | 'acceptInvite'
  | 'declineInvite'
  | 'moveToAudience'
  | 'moveSelfToAudience'
  | 'setMuted'
  | 'publish'
  | 'endRoom';

/** Which roles may take each action (on themselves, or on a target where the action has one). */
export const stagePermissions: Record<StageAction, readonly Role[]> = {
  raiseHand: ['listener'],
  lowerHand: ['listener'],
  inviteToSpeak: ['host', 'moderator'],
  acceptInvite: ['listener'],
  declineInvite: ['listener'],
  moveToAudience: ['host', 'moderator'],
  moveSelfToAudience: ['moderator', 'speaker'],
  setMuted: ['host', 'moderator', 'speaker'],
  publish: ['host', 'moderator', 'speaker'],
  endRoom: ['host'],
};

/** Roles an action may target (for actions with a target). */
export const targetRoles: Partial<Record<StageAction, readonly Role[]>> = {
  inviteToSpeak: ['listener'],
  moveToAudience: ['moderator', 'speaker'],
};

/** Throw `forbidden` unless the actor's role allows the action (and the target's role fits). */
export function authorize(action: StageAction, actor: Participant, target?: Participant): void {
  if (!stagePermissions[action].includes(actor.role)) {
    throw new ParleyError('forbidden', `A ${actor.role} cannot ${describe(action)}.`);
  }
  const allowedTargets = targetRoles[action];
  if (allowedTargets && target && !allowedTargets.includes(target.role)) {
    throw new ParleyError('forbidden', `Cannot ${describe(action)} a ${target.role}.`);
  }
}

/** Whether a participant's audio may reach others now: on stage and not muted. */
export function mayBeHeard(participant: Participant): boolean {
  return participant.role !== 'listener' && !participant.muted;
}

function describe(action: StageAction): string {
  return action.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
}
