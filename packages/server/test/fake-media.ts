import type { MediaEngine, MediaRoom, MediaRoomEvents } from '../src/media/engine';

/**
 * An in-memory MediaEngine for signalling tests: it negotiates nothing, but records every call so
 * tests can check that the stage rules reach the media plane (who may be heard, who was closed).
 */
export class RecordingMediaEngine implements MediaEngine {
  readonly rooms = new Map<string, RecordingMediaRoom>();
  createRoom(roomId: string): MediaRoom {
    const room = new RecordingMediaRoom(roomId);
    this.rooms.set(roomId, room);
    return room;
  }
  async close(): Promise<void> {
    for (const room of this.rooms.values()) room.close();
  }
}

/** A media room that records calls. */
export class RecordingMediaRoom implements MediaRoom {
  readonly allowed = new Map<string, boolean>();
  readonly calls: string[] = [];
  closed = false;
  private readonly listeners: { [E in keyof MediaRoomEvents]: Set<MediaRoomEvents[E]> } = { speaking: new Set(), peerClosed: new Set() };
  constructor(readonly roomId: string) {}
  async publish(participantId: string, offerSdp: string): Promise<string> {
    this.calls.push(`publish ${participantId}`);
    return `v=0 answer-to ${offerSdp.slice(0, 20)}`;
  }
  async subscribe(participantId: string): Promise<string> {
    this.calls.push(`subscribe ${participantId}`);
    return 'v=0 offer from the recording engine';
  }
  async acceptAnswer(participantId: string): Promise<void> {
    this.calls.push(`answer ${participantId}`);
  }
  setPublishAllowed(participantId: string, allowed: boolean): void {
    this.allowed.set(participantId, allowed);
  }
  closePublisher(participantId: string): void {
    this.calls.push(`closePublisher ${participantId}`);
  }
  removeParticipant(participantId: string): void {
    this.calls.push(`remove ${participantId}`);
  }
  on<E extends keyof MediaRoomEvents>(event: E, listener: MediaRoomEvents[E]): void {
    this.listeners[event].add(listener);
  }
  off<E extends keyof MediaRoomEvents>(event: E, listener: MediaRoomEvents[E]): void {
    this.listeners[event].delete(listener);
  }
  /** Fire a speaking update as the SFU would. */
  emitSpeaking(...args: Parameters<MediaRoomEvents['speaking']>): void {
    for (const listener of this.listeners.speaking) listener(...args);
  }
  close(): void {
    this.closed = true;
  }
}
