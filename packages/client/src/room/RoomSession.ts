import { applyRoomEvent, audienceComplete, isOnStage, ParleyError } from '@parley/protocol';
import type { ClientMessageType, Participant, RoomEvent, RoomSnapshot } from '@parley/protocol';
import { TypedEmitter } from '../emitter';
import { ConnectionError } from '../errors';
import type { Logger } from '../logger';
import { MediaConnectError, type MediaAdapter, type MediaLeg, type PublishLeg, type SubscribeLeg } from '../media';
import type { ReplyTo, RequestBody } from '../signal/SignalClient';
import type { RoomCloseReason, RoomMediaState, RoomSessionEvents } from './events';

/**
 * The one thing a room session needs from the transport: send a request, get its reply. The session
 * never touches the socket; the {@link ParleyClient} feeds it the server's messages via `handle*()`.
 */
export interface RoomSignal {
  request<T extends ClientMessageType>(type: T, body: RequestBody<T>, opts?: { timeoutMs?: number }): Promise<ReplyTo<T>>;
}

/** Options of a {@link RoomSession}; the client builds them. */
export interface RoomSessionOptions {
  /** The snapshot that answered `room.join`. */
  snapshot: RoomSnapshot;
  signal: RoomSignal;
  /** Owns the peer connections. The session closes its legs; the adapter itself belongs to the caller. */
  media: MediaAdapter;
  logger: Logger;
  /**
   * The reply to a `media.subscribe` sent right behind `room.join` (`joinRoom(…, { listen: true })`):
   * the first {@link RoomSession.startListening} uses it instead of asking again.
   */
  subscribeOffer?: Promise<{ sdp: string }>;
}

interface BufferedEvent {
  seq: number;
  event: RoomEvent;
}

const idleMedia: RoomMediaState = Object.freeze({ publishing: false, listening: false });
/** How many times a leg is negotiated before a `media_failed` is reported. */
const MEDIA_ATTEMPTS = 3;
/**
 * How long a fresh leg may take to connect (ICE and DTLS) before a new one is negotiated. A healthy
 * leg connects in well under a second; a DTLS handshake that lost its first flight retransmits after
 * one second, so this leaves room for two of those.
 */
const CONNECT_TIMEOUT_MS = 4_000;

/**
 * One participant's view of one live room: the folded state (snapshot plus ordered deltas, resynced on
 * a gap), who is speaking, the stage commands, and the media legs. React binds to it with
 * `useSyncExternalStore(session.subscribe, () => session.state)`.
 */
export class RoomSession extends TypedEmitter<RoomSessionEvents> {
  /** The room's id. */
  readonly roomId: string;
  private current: RoomSnapshot;
  private speakingLevels: ReadonlyMap<string, number> = new Map();
  private mediaStateValue: RoomMediaState = idleMedia;
  private closeReason: RoomCloseReason | undefined;
  private readonly changeListeners = new Set<() => void>();
  private resyncing: Promise<void> | undefined;
  private buffered: BufferedEvent[] = [];
  private publishLeg: PublishLeg | undefined;
  private subscribeLeg: SubscribeLeg | undefined;
  /** A page of the audience waiting for the state to reach its seq (see showMoreAudience). */
  private pendingPage: { seq: number; participants: Participant[]; settle: (added: number) => void } | undefined;
  /** An offer already asked for with the join, used by the first negotiation. */
  private subscribeOffer: Promise<{ sdp: string }> | undefined;
  private listening: Promise<void> | undefined;
  private speakingStart: Promise<void> | undefined;
  private readonly signal: RoomSignal;
  private readonly media: MediaAdapter;

  constructor(options: RoomSessionOptions) {
    super(options.logger);
    this.roomId = options.snapshot.room.id;
    this.current = options.snapshot;
    this.signal = options.signal;
    this.media = options.media;
    this.subscribeOffer = options.subscribeOffer;
  }

  /** The current state: a new object whenever anything in it changes, the same object otherwise. */
  get state(): RoomSnapshot {
    return this.current;
  }

  /** This client's participant, or undefined once it is no longer in the room. */
  get me(): Participant | undefined {
    return this.current.participants.find((p) => p.id === this.current.you);
  }

  /** participantId → audio level (dBov) of those speaking now. A new map whenever it changes. */
  get speaking(): ReadonlyMap<string, number> {
    return this.speakingLevels;
  }

  /** Whether this client is publishing and/or listening. A new object whenever it changes. */
  get mediaState(): RoomMediaState {
    return this.mediaStateValue;
  }

  /** Why the session closed, or undefined while it is open. */
  get closed(): RoomCloseReason | undefined {
    return this.closeReason;
  }

  /**
   * Call `listener` after any change of {@link state}, {@link speaking}, {@link mediaState} or
   * {@link closed}. Returns the unsubscribe function (the shape `useSyncExternalStore` wants).
   */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.changeListeners.add(listener);
    return () => {
      this.changeListeners.delete(listener);
    };
  };

  // ---- data from the transport -------------------------------------------------------------

  /**
   * A numbered delta. Applied when it is the next one; dropped when already folded in; on a gap the
   * session asks for a resync and holds later deltas until the fresh snapshot is in.
   */
  handleEvent(seq: number, event: RoomEvent): void {
    if (this.closeReason) return;
    if (this.resyncing) {
      this.buffered.push({ seq, event });
      return;
    }
    const expected = this.current.seq + 1;
    if (seq < expected) {
      this.logger.debug('dropped an event already folded in', { roomId: this.roomId, seq });
      return;
    }
    if (seq > expected) {
      this.logger.info('missed room events; resyncing', { roomId: this.roomId, expected, got: seq });
      this.buffered.push({ seq, event });
      this.resync();
      return;
    }
    this.apply(seq, event);
  }

  /** A snapshot the server pushed, or the answer to a resync: it replaces the state outright. */
  handleSnapshot(snapshot: RoomSnapshot): void {
    if (this.closeReason || snapshot.room.id !== this.roomId) return;
    this.current = snapshot;
    this.afterStateChange();
    if (snapshot.room.status === 'ended') this.finish('ended');
    else this.listPendingPage();
  }

  /** `room.speaking`: the whole set of participants speaking now. */
  handleSpeaking(speakers: readonly { participantId: string; level: number }[]): void {
    if (this.closeReason) return;
    this.speakingLevels = new Map(speakers.map((s) => [s.participantId, s.level]));
    this.notify();
  }

  /** `room.closed` from the server, or the socket dropped (`disconnected`). */
  handleClosed(reason: RoomCloseReason): void {
    this.finish(reason);
  }

  /**
   * List more of the audience than the snapshot did: asks the server for the plain listeners who
   * arrived after everyone listed here (`audienceThrough`) and lists them once this state has caught up
   * with the page (events the server had not sent yet come first); events keep them up to date from
   * then on. Resolves with how many were added — 0 when everyone is listed already, or when the state
   * went past the page before it could be listed (an event overtook the reply; ask again).
   */
  async showMoreAudience(): Promise<number> {
    this.assertOpen();
    const after = this.current.audienceThrough;
    if (after === undefined) return 0;
    const page = await this.signal.request('room.audience', { roomId: this.roomId, after });
    if (this.closeReason) return 0;
    return new Promise((settle) => {
      this.pendingPage?.settle(0);
      this.pendingPage = { seq: page.seq, participants: page.participants, settle };
      this.listPendingPage();
    });
  }

  // ---- stage commands ----------------------------------------------------------------------

  /** Raise this listener's hand. */
  async raiseHand(): Promise<void> {
    await this.command('stage.raiseHand', { roomId: this.roomId });
  }

  /** Lower this participant's hand. */
  async lowerHand(): Promise<void> {
    await this.command('stage.lowerHand', { roomId: this.roomId });
  }

  /** Host: invite a listener onto the stage. */
  async inviteToSpeak(participantId: string): Promise<void> {
    await this.command('stage.invite', { roomId: this.roomId, participantId });
  }

  /** Accept the host's invitation; the role becomes `speaker` (then call {@link startSpeaking}). */
  async acceptInvite(): Promise<void> {
    await this.command('stage.acceptInvite', { roomId: this.roomId });
  }

  /** Decline the host's invitation. */
  async declineInvite(): Promise<void> {
    await this.command('stage.declineInvite', { roomId: this.roomId });
  }

  /** Host: move a speaker to the audience; anyone: leave the stage with one's own id. */
  async moveToAudience(participantId: string): Promise<void> {
    await this.command('stage.moveToAudience', { roomId: this.roomId, participantId });
  }

  /** Host or moderator: mute someone on stage (the SFU silences them at once; they may unmute). */
  async mute(participantId: string): Promise<void> {
    await this.command('stage.mute', { roomId: this.roomId, participantId });
  }

  /** Host or moderator: remove someone from the room; they cannot rejoin it. */
  async remove(participantId: string): Promise<void> {
    await this.command('stage.remove', { roomId: this.roomId, participantId });
  }

  /** Host: make someone a moderator, or take it back. */
  async setModerator(participantId: string, moderator: boolean): Promise<void> {
    await this.command('stage.setModerator', { roomId: this.roomId, participantId, moderator });
  }

  /**
   * Mute or unmute oneself. Muting silences the publish leg at once, before the server hears of it, so
   * nothing more leaves the microphone; unmuting waits for the server to agree.
   */
  async setMuted(muted: boolean): Promise<void> {
    if (muted) this.publishLeg?.setMuted(true);
    await this.command('stage.setMuted', { roomId: this.roomId, muted });
    if (!muted) this.publishLeg?.setMuted(false);
  }

  /** Host or moderator: end the room for everyone. The session closes with `ended`. */
  async end(): Promise<void> {
    await this.command('room.end', { roomId: this.roomId });
    this.finish('ended');
  }

  /** Leave the room. Always closes the session, even when the server cannot be told. */
  async leave(): Promise<void> {
    if (this.closeReason) return;
    try {
      // Short timeout: leaving must feel instant, and the server also notices a vanished participant.
      await this.signal.request('room.leave', { roomId: this.roomId }, { timeoutMs: 3_000 });
    } catch (err) {
      if (!(err instanceof ConnectionError)) throw err;
      this.logger.debug('leave not acknowledged; closing anyway', { error: err.message });
    } finally {
      this.finish('left');
    }
  }

  // ---- media -------------------------------------------------------------------------------

  /**
   * Receive the room's audio: ask for the server's offer of audio slots, let the adapter answer it,
   * send the answer. Calling it again replaces the subscribe leg (a fresh offer).
   */
  startListening(): Promise<void> {
    this.listening ??= this.withRetries('listening', () => this.subscribeOnce()).finally(() => {
      this.listening = undefined;
    });
    return this.listening;
  }

  /**
   * A negotiation can fail on a busy machine (the server reports `media_failed`) or the leg may never
   * connect; a fresh offer usually succeeds, so try a few times before giving up.
   */
  private async withRetries(what: string, once: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await once();
      } catch (error) {
        if (attempt >= MEDIA_ATTEMPTS || !isRetryableMediaError(error)) throw toParleyError(error);
        this.logger.debug(`${what} did not come up; negotiating again`, { attempt, error: (error as Error).message });
      }
    }
  }

  private async subscribeOnce(): Promise<void> {
    this.assertOpen();
    const offer = (await this.takeSubscribeOffer()) ?? (await this.signal.request('media.subscribe', { roomId: this.roomId }));
    this.assertOpen();
    this.subscribeLeg?.close();
    this.subscribeLeg = undefined;
    const leg = await this.media.subscribe(offer.sdp);
    try {
      this.assertOpen();
      await this.signal.request('media.answer', { roomId: this.roomId, sdp: leg.answerSdp });
      await this.whenConnected(leg);
    } catch (err) {
      leg.close();
      throw err;
    }
    this.subscribeLeg = leg;
    this.updateMediaState();
  }

  /**
   * The offer asked for with the join, once. A server older than in-order handling may have refused it
   * (`Join the room first`: it ran before the join); then, as for any failure, ask again.
   */
  private async takeSubscribeOffer(): Promise<{ sdp: string } | undefined> {
    const early = this.subscribeOffer;
    this.subscribeOffer = undefined;
    try {
      return await early;
    } catch (error) {
      this.logger.debug('the offer asked for with the join failed; asking again', { error: String(error) });
      return undefined;
    }
  }

  /**
   * Publish the microphone. Only for participants on stage (the server refuses others too); resolves
   * once the leg is connected. The leg starts muted if the participant is muted.
   */
  startSpeaking(): Promise<void> {
    this.speakingStart ??= this.withRetries('speaking', () => this.publishOnce()).finally(() => {
      this.speakingStart = undefined;
    });
    return this.speakingStart;
  }

  private async publishOnce(): Promise<void> {
    this.assertOpen();
    if (this.publishLeg) return;
    if (!this.isOnStage()) throw new ParleyError('forbidden', 'Only people on the stage can speak');
    const leg = await this.media.publish(async (offerSdp) => {
      const answer = await this.signal.request('media.publish', { roomId: this.roomId, sdp: offerSdp });
      return answer.sdp;
    });
    try {
      await this.whenConnected(leg);
    } catch (err) {
      leg.close();
      throw err;
    }
    // The room may have ended, or the host moved us to the audience, while the peer was negotiating.
    if (this.closeReason || !this.isOnStage()) {
      leg.close();
      this.assertOpen();
      throw new ParleyError('forbidden', 'Moved off the stage while starting to speak');
    }
    leg.setMuted(this.me?.muted ?? false);
    this.publishLeg = leg;
    this.updateMediaState();
  }

  /** Wait for a new leg to connect; the session must still be open afterwards. */
  private async whenConnected(leg: MediaLeg): Promise<void> {
    await leg.connected(CONNECT_TIMEOUT_MS);
    this.assertOpen();
  }

  /** Stop publishing (the participant stays on stage). */
  stopSpeaking(): void {
    if (!this.publishLeg) return;
    this.publishLeg.close();
    this.publishLeg = undefined;
    this.updateMediaState();
  }

  // ---- internals ---------------------------------------------------------------------------

  private async command<T extends ClientMessageType>(type: T, body: RequestBody<T>): Promise<ReplyTo<T>> {
    this.assertOpen();
    return this.signal.request(type, body);
  }

  private assertOpen(): void {
    if (this.closeReason === 'ended') throw new ParleyError('room_ended', 'The room has ended');
    if (this.closeReason) throw new ConnectionError('closed', `This room session is closed (${this.closeReason})`);
  }

  private isOnStage(): boolean {
    const me = this.me;
    return me !== undefined && isOnStage(me.role);
  }

  private apply(seq: number, event: RoomEvent): void {
    this.current = applyRoomEvent(this.current, seq, event);
    this.afterStateChange();
    this.emit('event', event, seq);
    if (event.kind === 'roomEnded') this.finish('ended');
    else this.listPendingPage();
  }

  /** List the waiting audience page once the state is exactly as of its seq; drop it once past. */
  private listPendingPage(): void {
    const page = this.pendingPage;
    if (!page || this.current.seq < page.seq) return;
    this.pendingPage = undefined;
    if (this.current.seq > page.seq) {
      page.settle(0);
      return;
    }
    const listed = new Set(this.current.participants.map((p) => p.id));
    // Someone listed already (a lowered hand beyond the page) is not listed twice.
    const added = page.participants.filter((p) => !listed.has(p.id));
    const last = page.participants.at(-1);
    if (last) {
      const participants = [...this.current.participants, ...added];
      const next: RoomSnapshot = { ...this.current, participants };
      // Everyone up to the page's last arrival is listed now, unless that is everyone.
      if (audienceComplete(participants, next.room.participantCount)) delete next.audienceThrough;
      else next.audienceThrough = last.joinedAt;
      this.current = next;
      this.afterStateChange();
    }
    page.settle(added.length);
  }

  /** Keep the media legs in line with the state: off the stage means no publish leg, muted means silent. */
  private afterStateChange(): void {
    const me = this.me;
    if (this.publishLeg) {
      if (!me || !isOnStage(me.role)) this.stopSpeaking();
      else this.publishLeg.setMuted(me.muted);
    }
    this.notify();
  }

  private resync(): void {
    this.resyncing = (async () => {
      try {
        const reply = await this.signal.request('room.resync', { roomId: this.roomId });
        this.handleSnapshot(reply.snapshot);
      } catch (err) {
        // Held deltas cannot be applied without a base; the next delta will try again.
        this.buffered = [];
        if (err instanceof ParleyError) this.emit('error', err);
        else this.logger.warn('resync failed', { roomId: this.roomId, error: String(err) });
      }
    })().finally(() => {
      this.resyncing = undefined;
      const held = this.buffered.sort((a, b) => a.seq - b.seq);
      this.buffered = [];
      for (const { seq, event } of held) this.handleEvent(seq, event);
    });
  }

  private updateMediaState(): void {
    const next = { publishing: this.publishLeg !== undefined, listening: this.subscribeLeg !== undefined };
    if (next.publishing === this.mediaStateValue.publishing && next.listening === this.mediaStateValue.listening) return;
    this.mediaStateValue = Object.freeze(next);
    this.notify();
  }

  private finish(reason: RoomCloseReason): void {
    if (this.closeReason) return;
    this.closeReason = reason;
    this.publishLeg?.close();
    this.subscribeLeg?.close();
    this.publishLeg = undefined;
    this.subscribeLeg = undefined;
    this.buffered = [];
    this.pendingPage?.settle(0);
    this.pendingPage = undefined;
    this.mediaStateValue = idleMedia;
    this.speakingLevels = new Map();
    this.logger.info('left room', { roomId: this.roomId, reason });
    this.notify();
    this.emit('closed', reason);
  }

  private notify(): void {
    for (const listener of [...this.changeListeners]) {
      try {
        listener();
      } catch (err) {
        this.logger.error('state listener threw', { error: String(err) });
      }
    }
  }
}

/** Errors a fresh negotiation may cure: the server's `media_failed`, or a leg that did not connect. */
function isRetryableMediaError(error: unknown): boolean {
  return error instanceof MediaConnectError || (error instanceof ParleyError && error.code === 'media_failed');
}

/** Report a leg that never connected as the protocol's `media_failed`; other errors unchanged. */
function toParleyError(error: unknown): unknown {
  return error instanceof MediaConnectError ? new ParleyError('media_failed', error.message) : error;
}
