import { useEffect, useRef } from 'react';
import { useAnnounce } from '../../app/Announcer';
import { announcementsBetween, type RoomMoment } from './announcements';
import { isSpeaking, type RoomView } from './useRoom';

/** Do not re-announce that the same person started speaking within this many milliseconds. */
const speakingQuietMs = 15_000;

/**
 * Tells screen-reader users, through the app's polite live region, what changes in the room while
 * they are not looking (see {@link announcementsBetween}). "Started speaking" is limited to once per
 * person per {@link speakingQuietMs}, so a lively conversation does not drown everything else.
 */
export function useRoomAnnouncements(view: RoomView): void {
  const announce = useAnnounce();
  const previous = useRef<RoomMoment | null>(null);
  const lastSpeakingAnnounced = useRef(new Map<string, number>());

  useEffect(() => {
    const { state, me, speaking, mutedByModerator } = view;
    const moment: RoomMoment = {
      participants: state.participants,
      speakingIds: new Set(state.participants.filter((p) => isSpeaking(speaking, p.id)).map((p) => p.id)),
      mutedByModerator,
    };
    const before = previous.current;
    previous.current = moment;
    if (!before) return;
    const now = Date.now();
    for (const announcement of announcementsBetween(before, moment, me?.id)) {
      const speakerId = announcement.startedSpeaking;
      if (speakerId) {
        if (now - (lastSpeakingAnnounced.current.get(speakerId) ?? 0) < speakingQuietMs) continue;
        lastSpeakingAnnounced.current.set(speakerId, now);
      }
      announce(announcement.text);
    }
  }, [view, announce]);
}
