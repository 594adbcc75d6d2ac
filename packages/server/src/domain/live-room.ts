import { AUDIENCE_PAGE_SIZE, isNotable, ParleyError, type Participant, type RoomEvent, type RoomSnapshot, type RoomSummary, type RoomType, type Role } from '@parley/protocol';
import { authorize, isModerator, mayBeHeard, roles } from './stage';

/** Who is joining: the user behind a session. */
export interface Joiner {
  id: string;
  displayName: string;
  /** A guest has no account: they may listen but not speak. */
  guest?: boolean;
  /**
   * A place on stage granted before joining: an event's hosts join as moderators, its accepted
   * speakers (and a guest who came by a one-time speaker link) as speakers.
   */
  grant?: StageGrant;
  /** A server admin: they may moderate any room (the stage rules' `adminPowers`). */
  admin?: boolean;
  /** A member's username, shown so others can open their profile, block or report them. */
  username?: string;
}

/** A role someone holds in a room by an arrangement made outside it (an event, an invitation, a speaker link). */
export type StageGrant = 'moderator' | 'speaker';

/** An event with its place in the room's order. */
export interface SequencedEvent {
  seq: number;
  event: RoomEvent;
}

/** The room record fields a live room needs. */
export interface LiveRoomInfo {
  id: string;
  title: string;
  /** Who may enter (checked by the room service); `open` when absent. */
  type?: RoomType;
  hostId: string;
  hostName: string;
  createdAt: Date;
}

/**
 * The live state of one room and the only place it changes. Pure: no I/O, no timers; every command
 * checks the stage rules, then returns the events it caused (already numbered), which the caller
 * broadcasts. A client folding those events with `applyRoomEvent` holds the state {@link snapshotFor}
 * describes: the same stage, hands, invitations and count; its page of the audience may hold other
 * listeners than a fresh snapshot's, as people come and go.
 */
export class LiveRoom {
  private readonly participants = new Map<string, Participant>();
  /** People removed by a moderator: they cannot rejoin. */
  private readonly removed: Set<string>;
  /** When each person on stage got there (a counter, not a time: ties are impossible). */
  private readonly onStageSince = new Map<string, number>();
  private stageCounter = 0;
  /** The latest `joinedAt` given out: each arrival gets a later one, so arrival order is `joinedAt` order. */
  private lastJoinedAt = 0;
  private seq = 0;
  private endedAt: Date | null = null;

  constructor(
    readonly info: LiveRoomInfo,
    private readonly clock: () => Date = () => new Date(),
    removed: Iterable<string> = [],
  ) {
    this.removed = new Set(removed);
  }

  /** Whether the room has ended. */
  get ended(): boolean {
    return this.endedAt !== null;
  }

  /** Number of the last event. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Everyone in the room now, in join order. */
  list(): Participant[] {
    return [...this.participants.values()];
  }

  /** The participant with this id, if present. */
  get(participantId: string): Participant | undefined {
    return this.participants.get(participantId);
  }

  /** Add a person: the room's host rejoins as host, everyone else as a listener. Rejoining is a no-op. */
  join(joiner: Joiner): SequencedEvent[] {
    this.assertLive();
    if (this.removed.has(joiner.id)) throw new ParleyError('forbidden', 'You were removed from this room.');
    const existing = this.participants.get(joiner.id);
    if (existing) return [];
    const role: Role = joiner.id === this.info.hostId ? 'host' : (joiner.grant ?? 'listener');
    const participant: Participant = {
      id: joiner.id,
      displayName: joiner.displayName,
      role,
      handRaisedAt: null,
      invitedToSpeak: false,
      muted: false,
      joinedAt: this.arrivalTime(),
      ...(joiner.guest ? { guest: true } : {}),
      ...(joiner.admin ? { admin: true } : {}),
      ...(joiner.username ? { username: joiner.username } : {}),
      // A guest holding a grant can only have come by a speaker link: they may speak in this room.
      ...(joiner.guest && joiner.grant ? { speakerLink: true } : {}),
    };
    this.participants.set(joiner.id, participant);
    if (role !== 'listener') this.onStageSince.set(joiner.id, ++this.stageCounter);
    return [this.emit({ kind: 'participantJoined', participant })];
  }

  /**
   * Put someone already in the room on stage because it was arranged outside the room (they accepted
   * an invitation to speak while listening): no actor, so no stage rule applies. Nothing happens for
   * someone absent (they get the place when they join), a guest, or someone already holding the role
   * or a higher one.
   */
  admitToStage(participantId: string, grant: StageGrant): SequencedEvent[] {
    const participant = this.participants.get(participantId);
    if (this.ended || !participant || participant.guest) return [];
    if (roles.indexOf(participant.role) <= roles.indexOf(grant)) return [];
    return [this.setRole(participant, grant)];
  }

  /** Take a person out (they left or their connection went); the stage is handed over if needed. */
  leave(participantId: string): SequencedEvent[] {
    if (this.ended || !this.participants.delete(participantId)) return [];
    this.onStageSince.delete(participantId);
    return [this.emit({ kind: 'participantLeft', participantId }), ...this.handOver()];
  }

  /** Whether someone runs the stage (a host or moderator is present). */
  hasModerator(): boolean {
    for (const p of this.participants.values()) if (isModerator(p.role)) return true;
    return false;
  }

  /** Ids of the people on stage now. */
  stageIds(): string[] {
    return this.list()
      .filter((p) => p.role !== 'listener')
      .map((p) => p.id);
  }

  /** Ids of the host and moderators present now. */
  moderatorIds(): string[] {
    return this.list()
      .filter((p) => isModerator(p.role))
      .map((p) => p.id);
  }

  /** Whether this person was removed from the room. */
  isRemoved(participantId: string): boolean {
    return this.removed.has(participantId);
  }

  raiseHand(actorId: string): SequencedEvent[] {
    const actor = this.actor(actorId);
    authorize('raiseHand', actor);
    if (actor.handRaisedAt) return [];
    return [this.patch(actor, { handRaisedAt: this.clock().toISOString() }, (p) => ({ kind: 'handRaised', participantId: p.id, at: p.handRaisedAt!, participant: p }))];
  }

  lowerHand(actorId: string): SequencedEvent[] {
    const actor = this.actor(actorId);
    authorize('lowerHand', actor);
    if (!actor.handRaisedAt) return [];
    return [this.patch(actor, { handRaisedAt: null }, (p) => ({ kind: 'handLowered', participantId: p.id }))];
  }

  inviteToSpeak(actorId: string, targetId: string): SequencedEvent[] {
    const actor = this.actor(actorId);
    const target = this.target(targetId);
    authorize('inviteToSpeak', actor, target);
    if (target.invitedToSpeak) return [];
    return [this.patch(target, { invitedToSpeak: true }, (p) => ({ kind: 'invitedToSpeak', participantId: p.id, participant: p }))];
  }

  acceptInvite(actorId: string): SequencedEvent[] {
    const actor = this.actor(actorId);
    authorize('acceptInvite', actor);
    if (!actor.invitedToSpeak) throw new ParleyError('conflict', 'There is no invitation to speak to accept.');
    return [this.setRole(actor, 'speaker')];
  }

  declineInvite(actorId: string): SequencedEvent[] {
    const actor = this.actor(actorId);
    authorize('declineInvite', actor);
    if (!actor.invitedToSpeak) throw new ParleyError('conflict', 'There is no invitation to speak to decline.');
    return [this.patch(actor, { invitedToSpeak: false }, (p) => ({ kind: 'inviteDeclined', participantId: p.id }))];
  }

  /** A host or moderator moves someone to the audience, or a speaker or moderator steps down (own id). */
  moveToAudience(actorId: string, targetId: string): SequencedEvent[] {
    const actor = this.actor(actorId);
    const target = this.target(targetId);
    if (actorId === targetId) authorize('stepDown', actor);
    else authorize('moveToAudience', actor, target);
    return [this.setRole(target, 'listener'), ...this.handOver()];
  }

  /** Mute or unmute oneself. */
  setMuted(actorId: string, muted: boolean): SequencedEvent[] {
    const actor = this.actor(actorId);
    authorize('setMuted', actor);
    if (actor.muted === muted) return [];
    return [this.patch(actor, { muted }, (p) => ({ kind: 'mutedChanged', participantId: p.id, muted: p.muted, by: actorId }))];
  }

  /** A moderator mutes someone on stage; the SFU stops their audio at once. */
  mute(actorId: string, targetId: string): SequencedEvent[] {
    const actor = this.actor(actorId);
    const target = this.target(targetId);
    authorize('muteOther', actor, target);
    if (target.muted) return [];
    return [this.patch(target, { muted: true }, (p) => ({ kind: 'mutedChanged', participantId: p.id, muted: true, by: actorId }))];
  }

  /** A moderator removes someone: out now, and refused if they try to come back. */
  remove(actorId: string, targetId: string): SequencedEvent[] {
    const actor = this.actor(actorId);
    const target = this.target(targetId);
    authorize('remove', actor, target);
    this.participants.delete(targetId);
    this.onStageSince.delete(targetId);
    this.removed.add(targetId);
    return [this.emit({ kind: 'participantRemoved', participantId: targetId, by: actorId }), ...this.handOver()];
  }

  /** The host makes someone a moderator, or takes it back (they stay on stage as a speaker). */
  setModerator(actorId: string, targetId: string, moderator: boolean): SequencedEvent[] {
    const actor = this.actor(actorId);
    const target = this.target(targetId);
    authorize(moderator ? 'promoteModerator' : 'demoteModerator', actor, target);
    return [this.setRole(target, moderator ? 'moderator' : 'speaker')];
  }

  /** Check that a participant may publish audio now (on stage). */
  authorizePublish(actorId: string): void {
    authorize('publish', this.actor(actorId));
  }

  /** Whether a participant's audio may reach others now. */
  mayBeHeard(participantId: string): boolean {
    const participant = this.participants.get(participantId);
    return participant !== undefined && !this.ended && mayBeHeard(participant);
  }

  /** A host or moderator ends the room. */
  end(actorId: string): SequencedEvent[] {
    authorize('endRoom', this.actor(actorId));
    return this.forceEnd();
  }

  /** End the room regardless of who asks (shutdown of an abandoned room, admin). */
  forceEnd(): SequencedEvent[] {
    if (this.ended) return [];
    this.endedAt = this.clock();
    this.participants.clear();
    return [this.emit({ kind: 'roomEnded', at: this.endedAt.toISOString() })];
  }

  /** The room as listed. */
  summary(): RoomSummary {
    // One pass over the room, no copy: a summary goes with every snapshot.
    const speakerNames: string[] = [];
    for (const p of this.participants.values()) if (p.role !== 'listener') speakerNames.push(p.displayName);
    return {
      id: this.info.id,
      title: this.info.title,
      type: this.info.type ?? 'open',
      status: this.ended ? 'ended' : 'live',
      hostId: this.info.hostId,
      hostName: this.info.hostName,
      createdAt: this.info.createdAt.toISOString(),
      endedAt: this.endedAt?.toISOString() ?? null,
      participantCount: this.participants.size,
      speakerNames,
    };
  }

  /**
   * The room as one participant is shown it: everyone on stage, every raised hand and invitation, the
   * participant, and the first {@link AUDIENCE_PAGE_SIZE} other listeners to arrive (see `RoomSnapshot`);
   * the count covers everyone. However large the audience, a snapshot stays this size. When someone is
   * left out, `audienceThrough` is the arrival of the last plain listener listed.
   */
  snapshotFor(participantId: string): RoomSnapshot {
    const listed: Participant[] = [];
    let audience = 0;
    let through: string | undefined;
    let omitted = false;
    for (const p of this.participants.values()) {
      if (isNotable(p) || p.id === participantId) listed.push(p);
      else if (audience < AUDIENCE_PAGE_SIZE) {
        listed.push(p);
        audience += 1;
        through = p.joinedAt;
      } else omitted = true;
    }
    const snapshot: RoomSnapshot = { room: this.summary(), seq: this.seq, participants: listed, you: participantId };
    if (omitted && through !== undefined) snapshot.audienceThrough = through;
    return snapshot;
  }

  /**
   * The plain listeners (no raised hand, no invitation) who arrived after `after` (all when absent), in
   * arrival order, at most `limit`; and how many plain listeners there are in all.
   */
  audiencePage(after: string | undefined, limit: number): { participants: Participant[]; total: number } {
    const participants: Participant[] = [];
    let total = 0;
    for (const p of this.participants.values()) {
      if (isNotable(p)) continue;
      if ((after === undefined || p.joinedAt > after) && participants.length < limit) participants.push(p);
      total += 1;
    }
    return { participants, total };
  }

  /** Now, or a millisecond after the previous arrival if the clock has not moved on (or went back). */
  private arrivalTime(): string {
    this.lastJoinedAt = Math.max(this.clock().getTime(), this.lastJoinedAt + 1);
    return new Date(this.lastJoinedAt).toISOString();
  }

  /**
   * When nobody runs the stage any more, the longest-serving speaker becomes a moderator. With no
   * speaker either, nothing happens here: the room service ends such a room after a grace period.
   */
  private handOver(): SequencedEvent[] {
    if (this.hasModerator()) return [];
    let heir: Participant | undefined;
    let since = Infinity;
    for (const p of this.participants.values()) {
      const at = this.onStageSince.get(p.id);
      if (p.role === 'speaker' && at !== undefined && at < since) {
        heir = p;
        since = at;
      }
    }
    return heir ? [this.setRole(heir, 'moderator')] : [];
  }

  private setRole(participant: Participant, role: Role): SequencedEvent {
    if (role === 'listener') this.onStageSince.delete(participant.id);
    else if (!this.onStageSince.has(participant.id)) this.onStageSince.set(participant.id, ++this.stageCounter);
    return this.patch(
      participant,
      { role, invitedToSpeak: false, handRaisedAt: null, muted: role === 'listener' ? false : participant.muted },
      (p) => ({ kind: 'roleChanged', participantId: p.id, role: p.role, participant: p }),
    );
  }

  private patch(participant: Participant, change: Partial<Participant>, toEvent: (p: Participant) => RoomEvent): SequencedEvent {
    const next = { ...participant, ...change };
    this.participants.set(participant.id, next);
    return this.emit(toEvent(next));
  }

  private emit(event: RoomEvent): SequencedEvent {
    this.seq += 1;
    return { seq: this.seq, event };
  }

  private assertLive(): void {
    if (this.ended) throw new ParleyError('room_ended', 'This room has ended.');
  }

  private actor(participantId: string): Participant {
    this.assertLive();
    const actor = this.participants.get(participantId);
    if (!actor) throw new ParleyError('forbidden', 'Join the room first.');
    return actor;
  }

  private target(participantId: string): Participant {
    const target = this.participants.get(participantId);
    if (!target) throw new ParleyError('not_found', 'That person is not in the room.');
    return target;
  }
}
