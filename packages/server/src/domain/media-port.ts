/**
 * The media port. The signalling layer (src/ws) talks to the SFU only through these interfaces, which the domain
 * declares and src/media implements, so the
 * engine can be swapped (node-datachannel today, werift as a fallback) and faked in unit tests.
 *
 * Authorization is the caller's job *and* the engine's: the caller decides who may publish (stage
 * rules), and tells the engine with {@link MediaRoom.setPublishAllowed}; the engine drops every packet
 * from a participant who is not allowed at that moment, whatever their client sends.
 */
export interface MediaEngine {
  /** Create the media side of a live room. Closing it closes every peer in it. */
  createRoom(roomId: string): MediaRoom;
  /** Close every room and release the engine's native resources (node-datachannel `cleanup()`). */
  close(): Promise<void>;
}

/** Who is speaking now: participants whose audio level is above the speaking threshold, loudest first. */
export interface SpeakingLevel {
  participantId: string;
  /** dBov, −127..0 (RFC 6464). */
  level: number;
}

/** Events a media room emits. */
export interface MediaRoomEvents {
  /** The set of speaking participants changed (throttled; at most ~4 per second). */
  speaking: (levels: SpeakingLevel[]) => void;
  /** A participant's peer connection failed or closed on its own (the client went away). */
  peerClosed: (participantId: string, leg: 'publish' | 'subscribe') => void;
}

/** The media side of one live room: publishers (speakers), subscribers (everyone) and audio slots. */
export interface MediaRoom {
  readonly roomId: string;
  /**
   * Publish leg: answer a participant's offer (one sendonly Opus audio track). Replaces an earlier
   * publish leg of the same participant. Packets flow only while {@link setPublishAllowed} is true.
   */
  publish(participantId: string, offerSdp: string): Promise<string>;
  /** Subscribe leg: create (or replace) the participant's receiving peer and return the server's offer. */
  subscribe(participantId: string): Promise<string>;
  /** Subscribe leg: apply the participant's answer to the offer from {@link subscribe}. */
  acceptAnswer(participantId: string, answerSdp: string): Promise<void>;
  /** Allow or stop a participant's audio at once (on stage and not muted = allowed). Default: false. */
  setPublishAllowed(participantId: string, allowed: boolean): void;
  /** Close the participant's publish leg only (moved to the audience). */
  closePublisher(participantId: string): void;
  /** Close both legs of a participant (left, removed). */
  removeParticipant(participantId: string): void;
  on<E extends keyof MediaRoomEvents>(event: E, listener: MediaRoomEvents[E]): void;
  off<E extends keyof MediaRoomEvents>(event: E, listener: MediaRoomEvents[E]): void;
  /** Close every peer in the room. */
  close(): void;
}
