import { z } from 'zod';
import { Id, Participant, Role } from './model';

/**
 * A change to a live room's state. The server numbers them per room (`seq`); a client applies them in
 * order with {@link applyRoomEvent} and asks for a resync when a number is skipped.
 */
export const RoomEvent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('participantJoined'), participant: Participant }),
  z.object({ kind: z.literal('participantLeft'), participantId: Id }),
  /** A moderator removed this participant; they cannot rejoin the room. */
  z.object({ kind: z.literal('participantRemoved'), participantId: Id, by: Id }),
  /**
   * The three events that make someone notable (always listed, see `isNotable`) carry `participant`, as
   * they are after the change: a client that did not list that listener (beyond its audience page)
   * adds them. The server always sends it; it is optional only for clients of older servers.
   */
  z.object({ kind: z.literal('roleChanged'), participantId: Id, role: Role, participant: Participant.optional() }),
  z.object({ kind: z.literal('handRaised'), participantId: Id, at: z.iso.datetime(), participant: Participant.optional() }),
  z.object({ kind: z.literal('handLowered'), participantId: Id }),
  z.object({ kind: z.literal('invitedToSpeak'), participantId: Id, participant: Participant.optional() }),
  z.object({ kind: z.literal('inviteDeclined'), participantId: Id }),
  /** `by` is who switched it: the participant themselves or a moderator. */
  z.object({ kind: z.literal('mutedChanged'), participantId: Id, muted: z.boolean(), by: Id }),
  z.object({ kind: z.literal('roomEnded'), at: z.iso.datetime() }),
]);
export type RoomEvent = z.infer<typeof RoomEvent>;
