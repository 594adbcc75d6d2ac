import { useMemo, useSyncExternalStore } from 'react';
import type { RoomMediaState, RoomSession } from '@parley/client';
import type { Participant, RoomSnapshot } from '@parley/protocol';
import { muteOriginOf } from './muteOrigin';

/** What a room page renders from: the folded room state, who "I" am, and who is speaking. */
export interface RoomView {
  state: RoomSnapshot;
  me: Participant | undefined;
  /** participantId → audio level in dBov, as last reported by the server. */
  speaking: ReadonlyMap<string, number>;
  /** Whether this tab is publishing (microphone on the wire) and listening. */
  media: RoomMediaState;
  /** The viewer is muted, and a moderator did it (they may unmute themselves). */
  mutedByModerator: boolean;
}

/**
 * Subscribes a component to a {@link RoomSession}. The session fires one callback for any change;
 * the view object is rebuilt only when the session's state or speaking map changed, so React gets
 * the same snapshot between changes (a requirement of useSyncExternalStore).
 */
export function useRoom(session: RoomSession): RoomView {
  const store = useMemo(() => createRoomViewStore(session), [session]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

function createRoomViewStore(session: RoomSession) {
  // Created here, before React subscribes, so it sees each change before the view is rebuilt.
  const muteOrigin = muteOriginOf(session);
  let view: RoomView | null = null;
  let dirty = true;
  return {
    subscribe(onChange: () => void): () => void {
      return session.subscribe(() => {
        // The speaking map may be updated in place; the flag catches that as well as new identities.
        dirty = true;
        onChange();
      });
    },
    getSnapshot(): RoomView {
      const state = session.state;
      const speaking = session.speaking;
      if (dirty || !view || view.state !== state || view.speaking !== speaking) {
        view = { state, me: session.me, speaking, media: session.mediaState, mutedByModerator: muteOrigin.mutedByModerator };
        dirty = false;
      }
      return view;
    },
  };
}

/** A level above this (dBov) reads as "speaking". Silence is about −105; a voice is −50 to −10. */
export const speakingThresholdDbov = -50;

/** Whether the participant is speaking now according to the server's last level report. */
export function isSpeaking(speaking: ReadonlyMap<string, number>, participantId: string): boolean {
  const level = speaking.get(participantId);
  return level !== undefined && level > speakingThresholdDbov;
}
