import {
  AUDIENCE_PAGE_SIZE,
  ParleyError,
  type AuditAction,
  type Participant,
  type RoomClosedReason,
  type RoomSnapshot,
  type RoomSummary,
  type RoomType,
  type ServerMessage,
  type User,
} from '@parley/protocol';
import type { AccessRefusal } from './access-rules';
import { AuditLog } from './audit';
import type { MediaEngine, MediaRoom, SpeakingLevel } from './media-port';
import { newId } from './ids';
import { LiveRoom, type SequencedEvent, type StageGrant } from './live-room';
import type { RoomWithHost, Store } from './ports';
import { RoomGate, type GatedRoom, type Viewer } from './room-gate';
import { audienceDelayMs, RoomOutbox } from './room-outbox';

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
  /** Who holds a place on stage by arrangement (events, invitations, speaker links); none: nobody. */
  stageGrants?: StageGrantSource;
  /** Told when rooms open and end. */
  observer?: RoomObserver;
  /** The least time listeners arriving and people leaving wait to be sent in one frame (more in big rooms: {@link audienceDelayMs}; 0: at once). */
  audienceBatchMs: number;
}

/** What {@link RoomService.stats} reports (for /metrics). */
export interface RoomServiceStats {
  liveRooms: number;
  /** Participants connected now. */
  participants: number;
  /** Room messages sent to everyone in a room (events, speaking levels), since start. */
  broadcasts: number;
  /** Frames those broadcasts handed to sockets. */
  broadcastFrames: number;
  /** Time spent handing them over, seconds (the server's share of "everyone sees it"). */
  broadcastSeconds: number;
}

/** Places on stage arranged outside the room: an event's hosts and speakers, accepted invitations, speaker links. */
export interface StageGrantSource {
  /** The role this person holds in this room by arrangement, or null. */
  grantIn(roomId: string, userId: string): Promise<StageGrant | null>;
}

/** Hears about rooms opening and ending (notifications, the hallway). Must not throw. */
export interface RoomObserver {
  opened(room: RoomSummary): void;
  ended(roomId: string): void;
}

/** A moderation act a stage command performs, for the audit log (and, for `remove`, the room's bans). */
export interface StageAct {
  action: AuditAction;
  targetId: string;
}

/** A loaded live room: its state, its media and who to tell about changes. */
interface ActiveRoom {
  state: LiveRoom;
  media: MediaRoom;
  connections: Map<string, RoomConnection>;
  /** The room's events on their way to the connections. */
  outbox: RoomOutbox;
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
  /** Broadcast totals since start ({@link stats}). */
  private readonly broadcasts = { broadcasts: 0, broadcastFrames: 0, broadcastSeconds: 0 };
  private readonly loading = new Map<string, Promise<ActiveRoom>>();
  /** Who may enter which room (access-rules.ts), with the facts from the store. */
  private readonly gate: RoomGate;
  /** Where stage moderation acts are recorded. */
  private readonly audit: AuditLog;

  constructor(
    private readonly store: Store,
    private readonly engine: MediaEngine,
    private readonly log: RoomLog,
    private readonly options: RoomServiceOptions,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.gate = new RoomGate(store);
    this.audit = new AuditLog(store, clock);
  }

  /** Open a live room with the user as its host; `type` decides who may enter. */
  async create(host: User, title: string, type: RoomType = 'open'): Promise<RoomSummary> {
    const record: RoomWithHost = {
      id: newId(),
      title,
      type,
      status: 'live',
      hostId: host.id,
      hostName: host.displayName,
      createdAt: this.clock(),
      endedAt: null,
    };
    await this.store.rooms.create(record);
    const room = this.activate(record);
    this.log.info({ roomId: record.id, hostId: host.id }, 'room created');
    this.options.observer?.opened(room.state.summary());
    return room.state.summary();
  }

  /**
   * Open the live room of a scheduled event, under the id the event reserved for it (two hosts
   * pressing "go live" at once get one room), with the event's first host as its host. The event's
   * other hosts and its speakers get their places through the {@link StageGrantSource} as they join.
   */
  async openForEvent(input: { roomId: string; title: string; type: RoomType; host: { id: string; displayName: string } }): Promise<RoomSummary> {
    const { roomId, title, type, host } = input;
    const record: RoomWithHost = { id: roomId, title, type, status: 'live', hostId: host.id, hostName: host.displayName, createdAt: this.clock(), endedAt: null };
    await this.store.rooms.create(record);
    const room = this.activate(record);
    this.log.info({ roomId, hostId: host.id }, 'event room opened');
    this.options.observer?.opened(room.state.summary());
    return room.state.summary();
  }

  /**
   * Someone got a place on stage by arrangement while the room is live (they accepted an invitation):
   * if they are in the room as a listener, they go on stage now; otherwise they get it when they join.
   */
  admitToStage(roomId: string, userId: string, grant: StageGrant): void {
    const room = this.active.get(roomId);
    if (room) this.publishEvents(room, room.state.admitToStage(userId, grant));
  }

  /**
   * A place on stage arranged outside the room was taken back (a used speaker link revoked): if its
   * holder is in the room on the strength of it, they are taken out (told `revoked`) and come back
   * as who they now are.
   */
  async withdrawGrant(roomId: string, userId: string): Promise<void> {
    const room = this.active.get(roomId);
    const holder = room?.state.get(userId);
    if (!room || !holder || holder.role === 'host') return;
    if (((await this.options.stageGrants?.grantIn(roomId, userId)) ?? null) !== null) return;
    if (holder.speakerLink || holder.role !== 'listener') {
      if (this.active.get(roomId) === room && room.state.get(userId)) this.expel(room, userId, 'revoked');
    }
  }

  /** Ids of the people on stage in a live room now (none for a room not loaded here). */
  speakersOf(roomId: string): string[] {
    return this.active.get(roomId)?.state.list().filter((p) => p.role !== 'listener').map((p) => p.id) ?? [];
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

  /** The hallway: the live rooms this viewer may enter (none closed), fullest first. */
  async listFor(user: User | null): Promise<RoomSummary[]> {
    const records = await this.store.rooms.listByStatus('live', 200);
    const viewer = user ? await this.gate.viewer(user) : null;
    const listed = await this.gate.listed(records.map((record) => this.gated(record)), viewer);
    return records
      .filter((_record, i) => listed[i])
      .map((record) => this.active.get(record.id)?.state.summary() ?? summaryOf(record))
      .sort((a, b) => b.participantCount - a.participantCount);
  }

  /**
   * One room as a visitor with its link sees it: a live social or closed room their type of access
   * does not cover is `forbidden` with the reason (a closed room's title stays private). Removals and
   * blocks are said when they try to join; an ended room is shown to anyone who finds it.
   */
  async getFor(roomId: string, user: User): Promise<RoomSummary> {
    const summary = await this.get(roomId);
    if (summary.status !== 'live' || summary.type === 'open') return summary;
    const record: GatedRoom = this.gatedById(roomId) ?? { id: roomId, type: summary.type, hostId: summary.hostId, stage: [], moderators: [] };
    const granted = ((await this.options.stageGrants?.grantIn(roomId, user.id)) ?? null) !== null;
    const refusal = await this.refusal(record, await this.gate.viewer(user), roomId, granted);
    if (refusal?.kind === 'access') throw new ParleyError('forbidden', refusal.message);
    return summary;
  }

  /**
   * Live closed rooms this member may enter (their host, their access list, a place on their stage):
   * never in public listings, but in the member's own hallway.
   */
  async closedRoomsFor(user: User): Promise<RoomSummary[]> {
    if (user.kind !== 'member') return [];
    const records = (await this.store.rooms.listByStatus('live', 200)).filter((record) => record.type === 'closed');
    const viewer = await this.gate.viewer(user);
    const admitted: RoomSummary[] = [];
    for (const record of records) {
      const granted = ((await this.options.stageGrants?.grantIn(record.id, user.id)) ?? null) !== null;
      if ((await this.refusal(this.gated(record), viewer, record.id, granted)) === null) {
        admitted.push(this.active.get(record.id)?.state.summary() ?? summaryOf(record));
      }
    }
    return admitted;
  }

  /** Whether the user runs this room now (its host, or a moderator in it): they manage its access list and see its audit log. */
  async runsRoom(roomId: string, userId: string): Promise<boolean> {
    const active = this.active.get(roomId);
    if (active) return active.state.info.hostId === userId || active.state.moderatorIds().includes(userId);
    return (await this.store.rooms.get(roomId))?.hostId === userId;
  }

  /**
   * Put the user in the room, attached to this connection, and return their snapshot. A second
   * connection of the same user replaces the first (the first is told `replaced`).
   */
  async join(roomId: string, user: User, connection: RoomConnection): Promise<RoomSnapshot> {
    const room = await this.load(roomId);
    const granted = (await this.options.stageGrants?.grantIn(roomId, user.id)) ?? null;
    // Guests hold only speaker places (a speaker link); never moderation.
    const grant = granted === null || (user.kind === 'guest' && granted !== 'speaker') ? undefined : granted;
    // Access is checked on every join: the room's type, blocks by whoever runs it, bans.
    const viewer = await this.gate.viewer(user);
    const refusal = await this.refusal(this.gatedOf(room), viewer, roomId, grant !== undefined);
    if (refusal) throw new ParleyError('forbidden', refusal.message);
    const previous = room.connections.get(user.id);
    if (previous && previous !== connection) {
      previous.send(serialize({ type: 'room.closed', roomId, reason: 'replaced' }));
      room.media.removeParticipant(user.id);
    }
    const events = room.state.join({ id: user.id, displayName: user.displayName, guest: user.kind === 'guest', grant, admin: viewer.admin, username: viewer.username ?? undefined });
    // Tell the others first: the joiner's snapshot already contains their own arrival.
    room.connections.delete(user.id);
    this.publishEvents(room, events);
    room.connections.set(user.id, connection);
    this.cancelEmptyTimer(room);
    return this.snapshotFor(room, user.id);
  }

  /**
   * The current snapshot for a participant (resync after a missed delta). Access is checked again: who
   * lost it since joining (unfollowed the stage, was blocked, was taken off the access list) is cut
   * off here and refused.
   */
  async resync(roomId: string, userId: string, connection: RoomConnection): Promise<RoomSnapshot> {
    const room = this.attached(roomId, userId, connection);
    const me = room.state.get(userId);
    const granted = ((await this.options.stageGrants?.grantIn(roomId, userId)) ?? null) !== null;
    const viewer: Viewer = { id: userId, guest: me?.guest === true, admin: me?.admin === true };
    const refusal = await this.refusal(this.gatedOf(room), viewer, roomId, granted);
    const current = this.attached(roomId, userId, connection);
    if (refusal) {
      this.expel(current, userId, refusal.kind === 'access' ? 'revoked' : 'removed');
      throw new ParleyError('forbidden', refusal.message);
    }
    return this.snapshotFor(current, userId);
  }

  /**
   * A page of the audience for a participant browsing beyond their snapshot's, as of the room's last
   * event. Events still waiting in the outbox are not hurried out (that would undo the batching for
   * everyone each time someone browses): the client lists the page once it has folded up to its seq.
   */
  audience(roomId: string, userId: string, connection: RoomConnection, after: string | undefined): { seq: number; total: number; participants: Participant[] } {
    const room = this.attached(roomId, userId, connection);
    return { seq: room.state.lastSeq, ...room.state.audiencePage(after, AUDIENCE_PAGE_SIZE) };
  }

  /** A participant's snapshot; events still on their way that it already includes are not sent to them again. */
  private snapshotFor(room: ActiveRoom, userId: string): RoomSnapshot {
    const snapshot = room.state.snapshotFor(userId);
    room.outbox.snapshotGiven(userId, snapshot.seq);
    return snapshot;
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

  /**
   * Run a stage command as the user and broadcast what it changed. A moderation act (`act`) that
   * changed something is recorded in the audit log, and a removal in the room's bans, before the
   * reply: a removed person stays out even after a restart.
   */
  async command(roomId: string, userId: string, connection: RoomConnection, run: (state: LiveRoom) => SequencedEvent[], act?: StageAct): Promise<void> {
    const room = this.attached(roomId, userId, connection);
    const events = run(room.state);
    this.publishEvents(room, events);
    if (!act || events.length === 0) return;
    await this.persist(
      act.action === 'remove' ? this.store.moderation.bans.add(roomId, act.targetId, userId, this.clock()) : Promise.resolve(),
      this.audit.record({ actorId: userId, action: act.action, targetId: act.targetId, roomId }),
    );
  }

  /** The host or a moderator (or an admin in the room) ends the room for everyone. */
  async end(roomId: string, userId: string, connection: RoomConnection): Promise<void> {
    const room = this.attached(roomId, userId, connection);
    const events = room.state.end(userId);
    await this.finish(room, events);
    await this.persist(this.audit.record({ actorId: userId, action: 'endRoom', roomId }));
  }

  /** An admin ends a live room without being in it (from the moderation queue). */
  async endAsAdmin(roomId: string, adminId: string, note: string): Promise<void> {
    const room = await this.load(roomId);
    await this.finish(room, room.state.forceEnd());
    await this.audit.record({ actorId: adminId, action: 'endRoom', roomId, note });
  }

  /** Take someone out of every room they are in (their account was suspended): media first. */
  expelEverywhere(userId: string, reason: RoomClosedReason): void {
    for (const room of [...this.active.values()]) if (room.state.get(userId)) this.expel(room, userId, reason);
  }

  /**
   * A block took effect: the blocked person leaves every room the blocker runs (hosts, or moderates
   * now). Admins stay: they moderate every room.
   */
  enforceBlock(blockerId: string, blockedId: string): void {
    for (const room of [...this.active.values()]) {
      const blocked = room.state.get(blockedId);
      const runs = room.state.info.hostId === blockerId || room.state.moderatorIds().includes(blockerId);
      if (blocked && !blocked.admin && runs) this.expel(room, blockedId, 'removed');
    }
  }

  /** Check one person's access again (taken off an access list) and take them out if it is gone. */
  async recheckAccess(roomId: string, userId: string): Promise<void> {
    const room = this.active.get(roomId);
    const me = room?.state.get(userId);
    if (!room || !me) return;
    const granted = ((await this.options.stageGrants?.grantIn(roomId, userId)) ?? null) !== null;
    const refusal = await this.refusal(this.gatedOf(room), { id: userId, guest: me.guest === true, admin: me.admin === true }, roomId, granted);
    if (refusal && this.active.get(roomId) === room && room.state.get(userId)) this.expel(room, userId, refusal.kind === 'access' ? 'revoked' : 'removed');
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
  stats(): RoomServiceStats {
    let participants = 0;
    for (const room of this.active.values()) participants += room.connections.size;
    return { liveRooms: this.active.size, participants, ...this.broadcasts };
  }

  /**
   * Stop: tell every connected participant the server is going away (their rooms stay live in the
   * store, so people rejoin when it is back) and close all media.
   */
  shutdown(): void {
    for (const room of this.active.values()) {
      if (room.emptyTimer) clearTimeout(room.emptyTimer);
      if (room.orphanTimer) clearTimeout(room.orphanTimer);
      room.outbox.close();
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
        // People removed from the room stay out across restarts.
        const removed = await this.store.moderation.bans.list(roomId);
        return this.active.get(roomId) ?? this.activate(record, removed);
      })().finally(() => this.loading.delete(roomId));
      this.loading.set(roomId, pending);
    }
    return pending;
  }

  private activate(record: RoomWithHost, removed: readonly string[] = []): ActiveRoom {
    const state = new LiveRoom(record, this.clock, removed);
    const media = this.engine.createRoom(record.id);
    const connections = new Map<string, RoomConnection>();
    const outbox = new RoomOutbox(
      record.id,
      { broadcast: (json, except) => this.broadcast(room, json, except), sendTo: (id, json) => this.sendTo(room, id, json) },
      () => audienceDelayMs(this.options.audienceBatchMs, connections.size),
    );
    const room: ActiveRoom = { state, media, connections, outbox, speaking: [], emptyTimer: null, orphanTimer: null };
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
      if (event.kind === 'roleChanged' && event.role === 'moderator') this.enforceBlocksOf(room, event.participantId);
      room.outbox.publish({ seq, event });
      if (event.kind === 'participantRemoved') this.disconnect(room, event.participantId, 'removed');
    }
    if (events.length > 0) this.checkOrphaned(room);
  }

  /**
   * Take someone out of a room who may no longer be in it (suspended, blocked by whoever runs it,
   * access gone): media closed at once, their connection told why, the others see them leave.
   */
  private expel(room: ActiveRoom, participantId: string, reason: RoomClosedReason): void {
    this.disconnect(room, participantId, reason);
    this.publishEvents(room, room.state.leave(participantId));
    if (room.connections.size === 0) this.startEmptyTimer(room);
    this.log.info({ roomId: room.state.info.id, participantId, reason }, 'participant taken out of the room');
  }

  /** Someone just became a moderator: whoever they block leaves the room. */
  private enforceBlocksOf(room: ActiveRoom, moderatorId: string): void {
    const others = room.state.list().filter((p) => p.id !== moderatorId && !p.guest && !p.admin).map((p) => p.id);
    this.store.moderation.blocks
      .blockedAmong(moderatorId, others)
      .then((blocked) => {
        for (const id of blocked) if (this.active.get(room.state.info.id) === room && room.state.get(id)) this.expel(room, id, 'removed');
      })
      .catch((error: unknown) => this.log.warn({ err: error }, 'checking the blocks of a new moderator failed'));
  }

  /** Why someone may not be in this room, or null. */
  private refusal(room: GatedRoom, viewer: Viewer, roomId: string, granted = false): Promise<AccessRefusal | null> {
    const banned = this.active.get(roomId)?.state.isRemoved(viewer.id) ?? false;
    return this.gate.refusal(room, viewer, { banned, granted });
  }

  /** A live room as the access rules see it now. */
  private gatedOf(room: ActiveRoom): GatedRoom {
    const { id, hostId } = room.state.info;
    return { id, type: room.state.info.type ?? 'open', hostId, stage: room.state.stageIds(), moderators: room.state.moderatorIds() };
  }

  private gatedById(roomId: string): GatedRoom | null {
    const room = this.active.get(roomId);
    return room ? this.gatedOf(room) : null;
  }

  /** A room record as the access rules see it (its live state when loaded here). */
  private gated(record: RoomWithHost): GatedRoom {
    return this.gatedById(record.id) ?? { id: record.id, type: record.type, hostId: record.hostId, stage: [], moderators: [] };
  }

  /** Wait for writes that record what already happened; a failure is logged, not shown to the actor. */
  private async persist(...writes: Promise<unknown>[]): Promise<void> {
    for (const result of await Promise.allSettled(writes)) {
      if (result.status === 'rejected') this.log.warn({ err: result.reason }, 'recording a moderation act failed');
    }
  }

  /** Cut a participant off: media closed at once, their connection told why. */
  private disconnect(room: ActiveRoom, participantId: string, reason: RoomClosedReason): void {
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

  /** Send one serialised message to everyone in the room (but `except`), counting the frames and the time it took. */
  private broadcast(room: ActiveRoom, json: string, except?: ReadonlySet<string>): void {
    const start = performance.now();
    let frames = 0;
    for (const [id, connection] of room.connections) {
      if (except?.has(id)) continue;
      connection.send(json);
      frames += 1;
    }
    this.broadcasts.broadcasts += 1;
    this.broadcasts.broadcastFrames += frames;
    this.broadcasts.broadcastSeconds += (performance.now() - start) / 1000;
  }

  /** Send one serialised room message to one participant (if still here), counted with the broadcasts. */
  private sendTo(room: ActiveRoom, participantId: string, json: string): void {
    const connection = room.connections.get(participantId);
    if (!connection) return;
    connection.send(json);
    this.broadcasts.broadcastFrames += 1;
  }

  private broadcastSpeaking(room: ActiveRoom, levels: SpeakingLevel[]): void {
    room.speaking = levels;
    this.broadcast(room, serialize({ type: 'room.speaking', roomId: room.state.info.id, speakers: levels }));
  }

  private async finish(room: ActiveRoom, events: SequencedEvent[]): Promise<void> {
    const roomId = room.state.info.id;
    // Silence first: nobody is heard after the room has ended.
    room.media.close();
    this.publishEvents(room, events);
    room.outbox.flush();
    room.outbox.close();
    const closed = serialize({ type: 'room.closed', roomId, reason: 'ended' });
    for (const connection of room.connections.values()) connection.send(closed);
    room.connections.clear();
    if (room.emptyTimer) clearTimeout(room.emptyTimer);
    if (room.orphanTimer) clearTimeout(room.orphanTimer);
    this.active.delete(roomId);
    await this.store.rooms.end(roomId, this.clock());
    this.log.info({ roomId }, 'room ended');
    this.options.observer?.ended(roomId);
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
