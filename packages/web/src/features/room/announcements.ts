import type { Participant } from '@parley/protocol';

/** The parts of a room's state that announcements compare. */
export interface RoomMoment {
  participants: readonly Participant[];
  /** Ids of the participants speaking at this moment. */
  speakingIds: ReadonlySet<string>;
  /** The viewer is muted by a moderator (rather than by their own choice). */
  mutedByModerator?: boolean;
}

/** One sentence for the live region; `startedSpeaking` marks the kind that is rate-limited per person. */
export interface Announcement {
  text: string;
  startedSpeaking?: string;
}

/** What happened to someone else's role, in words, or null when nobody needs to hear of it. */
function roleChangeOf(name: string, from: Participant['role'], to: Participant['role']): string | null {
  if (to === 'moderator') return `${name} was made a moderator.`;
  if (from === 'moderator' && to === 'speaker') return `${name} is no longer a moderator.`;
  if (from === 'listener') return `${name} joined the stage.`;
  if (to === 'listener') return `${name} moved to the audience.`;
  return null;
}

/** What happened to the viewer's own role, in words. */
function myRoleChange(from: Participant['role'], to: Participant['role']): string {
  if (to === 'moderator') return 'You are now a moderator. You can run the stage.';
  if (from === 'moderator' && to === 'speaker') return 'You are no longer a moderator.';
  return to === 'listener' ? 'You are now in the audience.' : `You are now a ${to}.`;
}

/**
 * What changed between two moments of a room, as sentences for a screen reader: who started speaking,
 * whose hand went up, who joined or left the stage, who became a moderator, and every change to the
 * viewer's own place (role, hand, mute, invitation). Pure, so the wording and the rules are tested
 * without a browser. Removals are announced by the page of the moderator who removed someone: the
 * folded state cannot tell a removal from leaving.
 */
export function announcementsBetween(before: RoomMoment, after: RoomMoment, meId: string | undefined): Announcement[] {
  const out: Announcement[] = [];
  const previous = new Map(before.participants.map((p) => [p.id, p]));
  // Someone new on stage joined it (arriving, or from beyond the audience page the viewer is shown);
  // not at the first state, which holds everyone already there.
  const settled = previous.has(meId ?? '');
  for (const p of after.participants) {
    if (p.id === meId) continue;
    const old = previous.get(p.id);
    if (p.handRaisedAt && !old?.handRaisedAt) out.push({ text: `${p.displayName} raised their hand.` });
    if ((old && old.role !== p.role) || (!old && settled && p.role !== 'listener')) {
      const text = roleChangeOf(p.displayName, old?.role ?? 'listener', p.role);
      if (text) out.push({ text });
    }
    if (after.speakingIds.has(p.id) && !before.speakingIds.has(p.id)) {
      out.push({ text: `${p.displayName} started speaking.`, startedSpeaking: p.id });
    }
  }

  const me = after.participants.find((p) => p.id === meId);
  const oldMe = previous.get(meId ?? '');
  if (me && oldMe) {
    if (me.role !== oldMe.role) out.push({ text: myRoleChange(oldMe.role, me.role) });
    if (me.invitedToSpeak && !oldMe.invitedToSpeak) out.push({ text: 'You are invited to speak. Accept or decline.' });
    if (me.handRaisedAt && !oldMe.handRaisedAt) out.push({ text: 'Your hand is raised.' });
    // Going on stage lowers the hand too; "you are now a speaker" already says what happened.
    if (!me.handRaisedAt && oldMe.handRaisedAt && me.role === oldMe.role) out.push({ text: 'Your hand is lowered.' });
    // Leaving the stage clears the mute flag; a listener has no microphone to be unmuted.
    if (me.muted !== oldMe.muted && me.role !== 'listener') {
      const text = !me.muted ? 'You are unmuted.' : after.mutedByModerator ? 'A moderator muted you.' : 'You are muted.';
      out.push({ text });
    }
  }
  return out;
}
