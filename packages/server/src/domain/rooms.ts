import { ParleyError, type RoomSnapshot, type RoomSummary, type ServerMessage, type User } from '@parley/protocol';
import type { MediaEngine, MediaRoom, SpeakingLevel } from './media-port';
import { newId } from './ids';
import { LiveRoom, type SequencedEvent } from './live-room';
import type { RoomWithHost, Store } from './ports';

/** Where a participant's messages go: one per WebSocket per room. */
export interface RoomConnection {
  /** Send one already-serialised {@link ServerMessage}. */
  send(json: string): void;
}

/** The logging the room service needs (pino fits). */
export interface RoomLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Options for {@link RoomService}. */
export interface RoomServiceOptions {
  /** How long an empty live room stays open before it ends by itself. */
  emptyRoomGraceMs: number;
  /** How long a room with people but nobody to run the stage (no host, moderator or speaker) stays open. */
  orphanRoomGraceMs: number;
}

/** A loaded live room: its state, its media and who to tell about changes. */
interface ActiveRoom {
  state: LiveRoom;
  media: MediaRoom;
  connections: Map<string, RoomConnection>;
  /** The last speaking set the SFU reported, for newcomers. */
  speaking: SpeakingLevel[];
  emptyTimer: NodeJS.Timeout | null;
  orphanTimer: NodeJS.Timeout | null;
}

/**
 * Rooms as the outside world uses them: create and list through HTTP, join and run the stage through
 * WebSocket messages. It keeps the live state of each room in memory ({@link LiveRoom}), its record in
 * the {@link Store}, and its media in the {@link MediaEngine}, and keeps the three in step: after every
 * change, who may be heard is pushed to the SFU before anyone else hears of the change.
 */
export class RoomService {
  private readonly active = new Map<string, ActiveRoom>();
  private readonly loading = new Map<string, Promise<ActiveRoom>>();

  constructor(
    private readonly store: Store,
    private readonly engine: MediaEngine,
    private readonly log: RoomLog,
    private readonly options: RoomServiceOptions,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Open a live room with the user as its host. */
  async create(host: User, title: string): Promise<RoomSummary> {
    const record: RoomWithHost = {
      id: newId(),
      title,
      type: 'open',
      status: 'live',
      hostId: host.id,
      hostName: host.displayName,
      createdAt: this.clock(),
      endedAt: null,
    };
    await this.store.rooms.create(record);
    const room = this.activate(record);
    this.log.info({ roomId: record.id, hostId: host.id }, 'room created');
    return room.state.summary();
  }

  /** Live rooms, fullest first. */
  async listLive(): Promise<RoomSummary[]> {
    const records = await this.store.rooms.listByStatus('live', 200);
    const summaries = records.map((record) => this.active.get(record.id)?.state.summary() ?? summaryOf(record));
    return summaries.sort((a, b) => b.participantCount - a.participantCount);
  }

  /** One room, live or ended. */
  async get(roomId: string): Promise<RoomSummary> {
    const active = this.active.get(roomId);
    if (active) return active.state.summary();
    const record = await this.store.rooms.get(roomId);
    if (!record) throw new ParleyError('not_found', 'No such room.');
    return summaryOf(record);
  }

  /**
   * Put the user in the room, attached to this connection, and return their snapshot. A second
   * connection of the same user replaces the first (the first is told `replaced`).
   */
  async join(roomId: string, user: User, connection: RoomConnection): Promise<RoomSnapshot> {
    const room = await this.load(roomId);
    const previous = room.connections.get(user.id);
    if (previous && previous !== connection) {
      previous.send(serialize({ type: 'room.closed', roomId, reason: 'replaced' }));
      room.media.removeParticipant(user.id);
    }
    const events = room.state.join({ id: user.id, displayName: user.displayName, guest: user.kind === 'guest' });
    // Tell the others first: the joiner's snapshot already contains their own arrival.
    room.connections.delete(user.id);
    this.publishEvents(room, events);
    room.connections.set(user.id, connection);
    this.cancelEmptyTimer(room);
    return room.state.snapshotFor(user.id);
  }

  /** The current snapshot for a participant (resync after a missed delta). */
  resync(roomId: string, userId: string, connection: RoomConnection): RoomSnapshot {
    const room = this.attached(roomId, userId, connection);
    return room.state.snapshotFor(userId);
  }

  /**
   * Take the user out of the room if this connection is still theirs (a replaced connection leaving
   * must not remove the new one).
   */
  leave(roomId: string, userId: string, connection: RoomConnection): void {
    const room = this.active.get(roomId);
    if (!room || room.connections.get(userId) !== connection) return;
    room.connections.delete(userId);
    room.media.removeParticipant(userId);
    this.publishEvents(room, room.state.leave(userId));
    if (room.connections.size === 0) this.startEmptyTimer(room);
  }

  /** Run a stage command as the user and broadcast what it changed. */
  command(roomId: string, userId: string, connection: RoomConnection, run: (state: LiveRoom) => SequencedEvent[]): void {
    const room = this.attached(roomId, userId, connection);
    this.publishEvents(room, run(room.state));
  }

  /** The host or a moderator ends the room for everyone. */
  async end(roomId: string, userId: string, connection: RoomConnection): Promise<void> {
    const room = this.attached(roomId, userId, connection);
    const events = room.state.end(userId);
    await this.finish(room, events);
  }

  /** Publish leg: answer a speaker's offer. Listeners are refused before the SFU sees the offer. */
  async publish(roomId: string, userId: string, connection: RoomConnection, offerSdp: string): Promise<string> {
    const room = this.attached(roomId, userId, connection);
    room.state.authorizePublish(userId);
    const answer = await mediaCall(() => room.media.publish(userId, offerSdp));
    // The stage may have changed while the engine negotiated: decide from the state as it is now.
    room.media.setPublishAllowed(userId, room.state.mayBeHeard(userId));
    return answer;
  }

  /** Subscribe leg: the server's offer of the room's audio slots. */
  async subscribe(roomId: string, userId: string, connection: RoomConnection): Promise<string> {
    const room = this.attached(roomId, userId, connection);
    return mediaCall(() => room.media.subscribe(userId));
  }

  /** Subscribe leg: the participant's answer. */
  async acceptAnswer(roomId: string, userId: string, connection: RoomConnection, answerSdp: string): Promise<void> {
    const room = this.attached(roomId, userId, connection);
    await mediaCall(() => room.media.acceptAnswer(userId, answerSdp));
  }

  /** Who is speaking in a room now (as last reported by the SFU). */
  speakingNow(roomId: string): SpeakingLevel[] {
    return this.active.get(roomId)?.speaking ?? [];
  }

  /** Counters for health and metrics. */
  stats(): { liveRooms: number; participants: number } {
    let participants = 0;
    for (const room of this.active.values()) participants += room.connections.size;
    return { liveRooms: this.active.size, participants };
  }

  /**
   * Stop: tell every connected participant the server is going away (their rooms stay live in the
   * store, so people rejoin when it is back) and close all media.
   */
  shutdown(): void {
    for (const room of this.active.values()) {
      if (room.emptyTimer) clearTimeout(room.emptyTimer);
      if (room.orphanTimer) clearTimeout(room.orphanTimer);
      room.media.close();
    }
    this.active.clear();
  }

  private async load(roomId: string): Promise<ActiveRoom> {
    const active = this.active.get(roomId);
    if (active) return active;
    let pending = this.loading.get(roomId);
    if (!pending) {
      pending = (async () => {
        const record = await this.store.rooms.get(roomId);
        if (!record) throw new ParleyError('not_found', 'No such room.');
        if (record.status === 'ended') throw new ParleyError('room_ended', 'This room has ended.');
        return this.active.get(roomId) ?? this.activate(record);
      })().finally(() => this.loading.delete(roomId));
      this.loading.set(roomId, pending);
    }
    return pending;
  }

  private activate(record: RoomWithHost): ActiveRoom {
    const state = new LiveRoom(record, this.clock);
    const media = this.engine.createRoom(record.id);
    const room: ActiveRoom = { state, media, connections: new Map(), speaking: [], emptyTimer: null, orphanTimer: null };
    media.on('speaking', (levels) => this.broadcastSpeaking(room, levels));
    this.active.set(record.id, room);
    this.startEmptyTimer(room);
    return room;
  }

  private attached(roomId: string, userId: string, connection: RoomConnection): ActiveRoom {
    const room = this.active.get(roomId);
    if (!room || room.connections.get(userId) !== connection) {
      throw new ParleyError('forbidden', 'Join the room first.');
    }
    return room;
  }

  /** Push media permissions for what changed, then tell everyone, in that order. */
  private publishEvents(room: ActiveRoom, events: SequencedEvent[]): void {
    for (const { seq, event } of events) {
      if (event.kind === 'roleChanged' || event.kind === 'mutedChanged') {
        room.media.setPublishAllowed(event.participantId, room.state.mayBeHeard(event.participantId));
        if (event.kind === 'roleChanged' && event.role === 'listener') room.media.closePublisher(event.participantId);
      }
      const json = serialize({ type: 'room.event', roomId: room.state.info.id, seq, event });
      for (const connection of room.connections.values()) connection.send(json);
      if (event.kind === 'participantRemoved') this.disconnect(room, event.participantId, 'removed');
    }
    if (events.length > 0) this.checkOrphaned(room);
  }

  /** Cut a participant off: media closed at once, their connection told why. */
  private disconnect(room: ActiveRoom, participantId: string, reason: 'removed'): void {
    room.media.removeParticipant(participantId);
    room.connections.get(participantId)?.send(serialize({ type: 'room.closed', roomId: room.state.info.id, reason }));
    room.connections.delete(participantId);
  }

  /** A room where people remain but nobody can run the stage ends after a grace period. */
  private checkOrphaned(room: ActiveRoom): void {
    const orphaned = !room.state.ended && room.state.list().length > 0 && !room.state.hasModerator();
    if (!orphaned) {
      if (room.orphanTimer) clearTimeout(room.orphanTimer);
      room.orphanTimer = null;
      return;
    }
    if (room.orphanTimer) return;
    room.orphanTimer = setTimeout(() => {
      room.orphanTimer = null;
      if (room.state.ended || room.state.hasModerator()) return;
      this.log.info({ roomId: room.state.info.id }, 'nobody runs the stage: ending the room');
      this.finish(room, room.state.forceEnd()).catch((error: unknown) => this.log.warn({ err: error }, 'ending an orphaned room failed'));
    }, this.options.orphanRoomGraceMs);
    room.orphanTimer.unref();
  }

  private broadcastSpeaking(room: ActiveRoom, levels: SpeakingLevel[]): void {
    room.speaking = levels;
    const json = serialize({ type: 'room.speaking', roomId: room.state.info.id, speakers: levels });
    for (const connection of room.connections.values()) connection.send(json);
  }

  private async finish(room: ActiveRoom, events: SequencedEvent[]): Promise<void> {
    const roomId = room.state.info.id;
    // Silence first: nobody is heard after the room has ended.
    room.media.close();
    this.publishEvents(room, events);
    const closed = serialize({ type: 'room.closed', roomId, reason: 'ended' });
    for (const connection of room.connections.values()) connection.send(closed);
    room.connections.clear();
    if (room.emptyTimer) clearTimeout(room.emptyTimer);
    if (room.orphanTimer) clearTimeout(room.orphanTimer);
    this.active.delete(roomId);
    await this.store.rooms.end(roomId, this.clock());
    this.log.info({ roomId }, 'room ended');
  }

  private startEmptyTimer(room: ActiveRoom): void {
    this.cancelEmptyTimer(room);
    room.emptyTimer = setTimeout(() => {
      if (room.connections.size > 0 || room.state.ended) return;
      this.finish(room, room.state.forceEnd()).catch((error: unknown) => this.log.warn({ err: error }, 'ending an empty room failed'));
    }, this.options.emptyRoomGraceMs);
    room.emptyTimer.unref();
  }

  private cancelEmptyTimer(room: ActiveRoom): void {
    if (room.emptyTimer) clearTimeout(room.emptyTimer);
    room.emptyTimer = null;
  }
}

/**
 * Negotiation failures (bad SDP, a peer that died mid-handshake) are the client's to retry: report them
 * as `media_failed` with the engine's reason rather than as an internal error.
 */
async function mediaCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ParleyError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ParleyError('media_failed', `Media negotiation failed: ${reason.slice(0, 200)}`);
  }
}

function serialize(message: ServerMessage): string {
  return JSON.stringify(message);
}

function summaryOf(record: RoomWithHost): RoomSummary {
  return {
    id: record.id,
    title: record.title,
    type: record.type,
    status: record.status,
    hostId: record.hostId,
    hostName: record.hostName,
    createdAt: record.createdAt.toISOString(),
    endedAt: record.endedAt?.toISOString() ?? null,
    participantCount: 0,
    speakerNames: [],
  };
}
