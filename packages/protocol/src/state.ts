import type { RoomEvent } from './events';
import type { Participant, RoomSnapshot } from './model';

/**
 * Fold one event into a snapshot, returning a new snapshot (the input is not changed). Server and
 * clients share this function, so a client that applies every delta in order holds exactly the state
 * the server would send on resync.
 */
export function applyRoomEvent(snapshot: RoomSnapshot, seq: number, event: RoomEvent): RoomSnapshot {
  const update = (id: string, patch: Partial<Participant>): Participant[] =>
    snapshot.participants.map((p) => (p.id === id ? { ...p, ...patch } : p));
  let participants = snapshot.participants;
  let room = snapshot.room;
  switch (event.kind) {
    case 'participantJoined':
      participants = [...participants.filter((p) => p.id !== event.participant.id), event.participant];
      break;
    case 'participantLeft':
    case 'participantRemoved':
      participants = participants.filter((p) => p.id !== event.participantId);
      break;
    case 'roleChanged':
      participants = update(event.participantId, {
        role: event.role,
        invitedToSpeak: false,
        handRaisedAt: null,
        muted: event.role === 'listener' ? false : (participants.find((p) => p.id === event.participantId)?.muted ?? false),
      });
      break;
    case 'handRaised':
      participants = update(event.participantId, { handRaisedAt: event.at });
      break;
    case 'handLowered':
      participants = update(event.participantId, { handRaisedAt: null });
      break;
    case 'invitedToSpeak':
      participants = update(event.participantId, { invitedToSpeak: true });
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
      break;
  }
  const speakerNames = participants.filter((p) => p.role !== 'listener').map((p) => p.displayName);
  room = { ...room, participantCount: participants.length, speakerNames };
  return { ...snapshot, room, participants, seq };
}

/** Listeners with a raised hand, oldest first: the order a host should bring them up in. */
export function handQueue(snapshot: RoomSnapshot): Participant[] {
  return snapshot.participants
    .filter((p) => p.handRaisedAt !== null)
    .sort((a, b) => (a.handRaisedAt! < b.handRaisedAt! ? -1 : a.handRaisedAt! > b.handRaisedAt! ? 1 : 0));
}
