import type { RoomEvent } from './events';
import { AUDIENCE_PAGE_SIZE, isNotable, type Participant, type RoomSnapshot } from './model';

/**
 * Fold one event into a snapshot, returning a new snapshot (the input is not changed). Server and
 * clients share this function. The result lists what a snapshot lists (see `RoomSnapshot`): everyone
 * on stage, every raised hand and invitation, the receiver, and arriving listeners while everyone is
 * listed and fewer than {@link AUDIENCE_PAGE_SIZE} others are; `room.participantCount` counts
 * everyone, listed or not. Once someone is not listed, `audienceThrough` says up to whose arrival
 * everyone is, so that `room.audience` can bring the rest without skipping anyone.
 */
export function applyRoomEvent(snapshot: RoomSnapshot, seq: number, event: RoomEvent): RoomSnapshot {
  let participants = snapshot.participants;
  let room = snapshot.room;
  let count = room.participantCount;
  let through = snapshot.audienceThrough;
  const listed = (id: string) => participants.some((p) => p.id === id);
  /** Patch a listed participant; one not listed is added when the event carries them and they now must be. */
  const update = (id: string, patch: Partial<Participant>, carried?: Participant): Participant[] => {
    if (listed(id)) return participants.map((p) => (p.id === id ? { ...p, ...patch } : p));
    return carried && isNotable(carried) ? [...participants, carried] : participants;
  };
  switch (event.kind) {
    case 'participantJoined': {
      const joiner = event.participant;
      if (listed(joiner.id)) {
        participants = [...participants.filter((p) => p.id !== joiner.id), joiner];
        break;
      }
      const complete = audienceComplete(participants, count);
      count += 1;
      if (isNotable(joiner) || joiner.id === snapshot.you) {
        participants = [...participants, joiner];
      } else if (complete) {
        if (plainListeners(participants, snapshot.you) < AUDIENCE_PAGE_SIZE) participants = [...participants, joiner];
        // The page is full: everyone who came before is listed, from this one on nobody is.
        else through = lastArrival(participants);
      }
      break;
    }
    case 'participantLeft':
    case 'participantRemoved':
      // The server says so only of someone in the room, listed here or not.
      count = Math.max(0, count - 1);
      participants = participants.filter((p) => p.id !== event.participantId);
      break;
    case 'roleChanged':
      participants = update(
        event.participantId,
        {
          role: event.role,
          invitedToSpeak: false,
          handRaisedAt: null,
          muted: event.role === 'listener' ? false : (participants.find((p) => p.id === event.participantId)?.muted ?? false),
        },
        event.participant,
      );
      break;
    case 'handRaised':
      participants = update(event.participantId, { handRaisedAt: event.at }, event.participant);
      break;
    case 'handLowered':
      participants = update(event.participantId, { handRaisedAt: null });
      break;
    case 'invitedToSpeak':
      participants = update(event.participantId, { invitedToSpeak: true }, event.participant);
      break;
    case 'inviteDeclined':
      participants = update(event.participantId, { invitedToSpeak: false });
      break;
    case 'mutedChanged':
      participants = update(event.participantId, { muted: event.muted });
      break;
    case 'roomEnded':
      room = { ...room, status: 'ended', endedAt: event.at };
      participants = [];
      count = 0;
      break;
  }
  // Everyone on stage is always listed, so the names are complete.
  const speakerNames = participants.filter((p) => p.role !== 'listener').map((p) => p.displayName);
  room = { ...room, participantCount: count, speakerNames };
  const next: RoomSnapshot = { ...snapshot, room, participants, seq };
  if (through !== undefined && !audienceComplete(participants, count)) next.audienceThrough = through;
  else delete next.audienceThrough;
  return next;
}

/**
 * Whether every participant is listed. Everyone on stage, with a raised hand or an invitation is
 * always listed, so comparing the count with the list is enough.
 */
export function audienceComplete(participants: readonly Participant[], participantCount: number): boolean {
  return participants.length >= participantCount;
}

/** The latest arrival (`joinedAt`) among the listed plain listeners; the receiver counts too. */
function lastArrival(participants: readonly Participant[]): string | undefined {
  let last: string | undefined;
  for (const p of participants) if (!isNotable(p) && (last === undefined || p.joinedAt > last)) last = p.joinedAt;
  return last;
}

/** Listed listeners other than `you` with no raised hand and no invitation: the audience page's fill. */
export function plainListeners(participants: readonly Participant[], you: string): number {
  let n = 0;
  for (const p of participants) if (p.id !== you && !isNotable(p)) n += 1;
  return n;
}

/** Listeners with a raised hand, oldest first: the order a host should bring them up in. */
export function handQueue(snapshot: RoomSnapshot): Participant[] {
  return snapshot.participants
    .filter((p) => p.handRaisedAt !== null)
    .sort((a, b) => (a.handRaisedAt! < b.handRaisedAt! ? -1 : a.handRaisedAt! > b.handRaisedAt! ? 1 : 0));
}
