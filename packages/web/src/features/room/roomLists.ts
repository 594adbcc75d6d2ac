import { handQueue, isOnStage, type Participant, type Role, type RoomSnapshot } from '@parley/protocol';

const stageOrder: Record<Role, number> = { host: 0, moderator: 1, speaker: 2, listener: 3 };

/** The room page's lists: who is on stage, the hand queue, the audience shown, and how many are not. */
export interface RoomLists {
  /** Host first, then moderators, then speakers; each in arrival order. */
  stage: Participant[];
  /** Listeners with a raised hand, oldest hand first. */
  queue: Participant[];
  /**
   * The audience as shown: for those who run the stage, listeners without a raised hand (the queue has
   * its own section); for everyone else, raised hands first, then the rest in arrival order.
   */
  audience: Participant[];
  /** Everyone in the audience, listed or not. */
  listenerCount: number;
  /** Listeners beyond the page the server lists (see `AUDIENCE_PAGE_SIZE`): a count only. */
  unlisted: number;
}

/** Split a room's state into the page's lists; `runsTheStage` when the viewer hosts or moderates. */
export function roomLists(state: RoomSnapshot, runsTheStage: boolean): RoomLists {
  const stage = state.participants
    .filter((p) => isOnStage(p.role))
    .sort((a, b) => stageOrder[a.role] - stageOrder[b.role] || a.joinedAt.localeCompare(b.joinedAt));
  const queue = handQueue(state).filter((p) => p.role === 'listener');
  const listeners = state.participants
    .filter((p) => p.role === 'listener' && !p.handRaisedAt)
    .sort((a, b) => a.joinedAt.localeCompare(b.joinedAt));
  // Everyone on stage is always listed, so the rest of the count is the audience.
  const listenerCount = Math.max(0, state.room.participantCount - stage.length);
  return {
    stage,
    queue,
    audience: runsTheStage ? listeners : [...queue, ...listeners],
    listenerCount,
    unlisted: Math.max(0, listenerCount - queue.length - listeners.length),
  };
}
