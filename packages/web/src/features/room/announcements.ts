import type { Participant } from '@parley/protocol';

/** The parts of a room's state that announcements compare. */
export interface RoomMoment {
  participants: readonly Participant[];
  /** Ids of the participants speaking at this moment. */
  speakingIds: ReadonlySet<string>;
}

/** One sentence for the live region; `startedSpeaking` marks the kind that is rate-limited per person. */
export interface Announcement {
  text: string;
  startedSpeaking?: string;
}

/**
 * What changed between two moments of a room, as sentences for a screen reader: who started speaking,
 * whose hand went up, who joined the stage, and every change to the viewer's own place (role, hand,
 * mute, invitation). Pure, so the wording and the rules are tested without a browser.
 */
export function announcementsBetween(before: RoomMoment, after: RoomMoment, meId: string | undefined): Announcement[] {
  const out: Announcement[] = [];
  const previous = new Map(before.participants.map((p) => [p.id, p]));
  for (const p of after.participants) {
    if (p.id === meId) continue;
    const old = previous.get(p.id);
    if (p.handRaisedAt && !old?.handRaisedAt) out.push({ text: `${p.displayName} raised their hand.` });
    if (old && old.role === 'listener' && p.role !== 'listener') out.push({ text: `${p.displayName} joined the stage.` });
    if (after.speakingIds.has(p.id) && !before.speakingIds.has(p.id)) {
      out.push({ text: `${p.displayName} started speaking.`, startedSpeaking: p.id });
    }
  }

  const me = after.participants.find((p) => p.id === meId);
  const oldMe = previous.get(meId ?? '');
  if (me && oldMe) {
    if (me.role !== oldMe.role) {
      out.push({ text: me.role === 'listener' ? 'You are now in the audience.' : `You are now a ${me.role}.` });
    }
    if (me.invitedToSpeak && !oldMe.invitedToSpeak) out.push({ text: 'The host invited you to speak. Accept or decline.' });
    if (me.handRaisedAt && !oldMe.handRaisedAt) out.push({ text: 'Your hand is raised.' });
    // Going on stage lowers the hand too; "you are now a speaker" already says what happened.
    if (!me.handRaisedAt && oldMe.handRaisedAt && me.role === oldMe.role) out.push({ text: 'Your hand is lowered.' });
    // Leaving the stage clears the mute flag; a listener has no microphone to be unmuted.
    if (me.muted !== oldMe.muted && me.role !== 'listener') out.push({ text: me.muted ? 'You are muted.' : 'You are unmuted.' });
  }
  return out;
}
