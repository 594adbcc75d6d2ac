import type { WebSocket } from 'ws';
import type { FastifyBaseLogger } from 'fastify';
import { ClientMessage, ParleyError, RequestId, type ClientMessageType, type ServerMessage, type User } from '@parley/protocol';
import type { RoomConnection, RoomService, StageAct } from '../domain/rooms';
import { describeIssues } from '../http/errors';
import type { ActionLimit } from './limits';
import { TokenBucket } from './token-bucket';

type Request<T extends ClientMessageType> = Extract<ClientMessage, { type: T }>;
/** Each handler returns its reply first, then anything the client should get right after it. */
type Handlers = { [T in ClientMessageType]: (session: SignallingSession, message: Request<T>) => Promise<ServerMessage | [ServerMessage, ...ServerMessage[]]> };

/** A client sending more than this keeps a socket so busy it is cut off rather than served slowly. */
const maxBufferedBytes = 4 * 1024 * 1024;

/** Messages of one socket waiting for those before them; beyond this, new ones are refused. */
const maxWaitingMessages = 32;

/**
 * One WebSocket: parse → validate → domain call → exactly one reply per request. A bad message gets
 * an `error` reply and the socket lives on; only a flood or an unresponsive peer closes it. A socket's
 * messages are handled one after another, in the order they came, so a client may send a request
 * right behind the one it depends on (`media.subscribe` behind `room.join`) without waiting for the
 * reply: a round trip saved.
 */
export class SignallingSession implements RoomConnection {
  private readonly joined = new Set<string>();
  private readonly bucket = new TokenBucket(40, 20);
  /** The message being handled, and those queued behind it. */
  private inbox: Promise<void> = Promise.resolve();
  private waiting = 0;
  private alive = true;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly socket: WebSocket,
    private readonly user: User,
    private readonly rooms: RoomService,
    private readonly log: FastifyBaseLogger,
    /** Per-action limits shared by every session of the server. */
    private readonly limits: Partial<Record<ClientMessageType, ActionLimit>> = {},
    /** The client's address, for per-IP limits. */
    private readonly ip = '',
  ) {}

  /** Begin serving the socket. */
  start(): void {
    this.socket.on('message', (data, isBinary) => this.enqueue(isBinary ? null : data.toString()));
    this.socket.on('pong', () => {
      this.alive = true;
    });
    this.socket.on('close', () => this.closed());
    this.socket.on('error', (error) => this.log.debug({ err: error }, 'socket error'));
    this.heartbeat = setInterval(() => {
      if (!this.alive) {
        this.socket.terminate();
        return;
      }
      this.alive = false;
      this.socket.ping();
    }, 30_000);
    this.heartbeat.unref();
    this.log.debug({ userId: this.user.id }, 'signalling session opened');
  }

  /** {@link RoomConnection}: deliver a broadcast. */
  send(json: string): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > maxBufferedBytes) {
      this.socket.close(1013, 'too slow');
      return;
    }
    this.socket.send(json);
  }

  private reply(message: ServerMessage): void {
    this.send(JSON.stringify(message));
  }

  /** Queue a message behind those still being handled; a flood is refused here, before it waits. */
  private enqueue(text: string | null): void {
    if (!this.bucket.take() || this.waiting >= maxWaitingMessages) {
      this.reply({ type: 'error', id: null, code: 'rate_limited', message: 'Too many messages; slow down.' });
      return;
    }
    this.waiting += 1;
    this.inbox = this.inbox
      .then(() => this.receive(text))
      .catch((error: unknown) => this.log.error({ err: error }, 'signalling message failed'))
      .finally(() => {
        this.waiting -= 1;
      });
  }

  private async receive(text: string | null): Promise<void> {
    let raw: unknown;
    try {
      raw = text === null ? undefined : JSON.parse(text);
    } catch {
      raw = undefined;
    }
    if (raw === undefined) {
      this.reply({ type: 'error', id: null, code: 'invalid_message', message: 'Messages must be JSON text.' });
      return;
    }
    const parsed = ClientMessage.safeParse(raw);
    if (!parsed.success) {
      const id = RequestId.safeParse((raw as { id?: unknown } | null)?.id);
      this.reply({
        type: 'error',
        id: id.success ? id.data : null,
        code: 'invalid_message',
        message: `Invalid message: ${describeIssues(parsed.error).join('; ')}`,
      });
      return;
    }
    const message = parsed.data;
    const limit = this.limits[message.type];
    if (limit && !limit.limiter.hit(limit.by === 'ip' ? `ip:${this.ip}` : `user:${this.user.id}`)) {
      this.reply({ type: 'error', id: message.id, code: 'rate_limited', message: 'You are doing that too often; wait a minute.' });
      return;
    }
    try {
      const handler = SignallingSession.handlers[message.type] as (session: SignallingSession, m: ClientMessage) => Promise<ServerMessage | ServerMessage[]>;
      const replies = await handler(this, message);
      for (const reply of Array.isArray(replies) ? replies : [replies]) this.reply(reply);
    } catch (error) {
      if (error instanceof ParleyError) {
        this.reply({ type: 'error', id: message.id, code: error.code, message: error.message });
      } else {
        this.log.error({ err: error, type: message.type }, 'signalling request failed');
        this.reply({ type: 'error', id: message.id, code: 'internal', message: 'Something went wrong on the server.' });
      }
    }
  }

  /**
   * What each message does: one table for every session. A table of closures per session cost ~6 KB
   * of heap per connection (18 closures, each with its properties in a dictionary because tsx keeps
   * function names).
   */
  private static readonly handlers: Handlers = {
    'room.join': async (session, { id, roomId }) => {
      const snapshot = await session.rooms.join(roomId, session.user, session);
      session.joined.add(roomId);
      // Speaking updates are sent only on change: a newcomer needs the current set after the snapshot.
      return [{ type: 'room.snapshot', id, snapshot }, { type: 'room.speaking', roomId, speakers: session.rooms.speakingNow(roomId) }];
    },
    'room.leave': async (session, { id, roomId }) => {
      session.rooms.leave(roomId, session.user.id, session);
      session.joined.delete(roomId);
      return ack(id);
    },
    'room.audience': async (session, { id, roomId, after }) => ({
      type: 'room.audience',
      id,
      roomId,
      ...session.rooms.audience(roomId, session.user.id, session, after),
    }),
    'room.resync': async (session, { id, roomId }) => ({ type: 'room.snapshot', id, snapshot: await session.rooms.resync(roomId, session.user.id, session) }),
    'room.end': async (session, { id, roomId }) => {
      await session.rooms.end(roomId, session.user.id, session);
      session.joined.delete(roomId);
      return ack(id);
    },
    'stage.raiseHand': async (session, { id, roomId }) => session.stage(id, roomId, (room) => room.raiseHand(session.user.id)),
    'stage.lowerHand': async (session, { id, roomId }) => session.stage(id, roomId, (room) => room.lowerHand(session.user.id)),
    'stage.invite': async (session, { id, roomId, participantId }) => session.stage(id, roomId, (room) => room.inviteToSpeak(session.user.id, participantId)),
    // Guests may not accept or publish: the stage rules refuse them (LiveRoom knows who is a guest), except in
    // the one room a speaker link admitted them to, which only the room knows.
    'stage.acceptInvite': async (session, { id, roomId }) => session.stage(id, roomId, (room) => room.acceptInvite(session.user.id)),
    'stage.declineInvite': async (session, { id, roomId }) => session.stage(id, roomId, (room) => room.declineInvite(session.user.id)),
    'stage.moveToAudience': async (session, { id, roomId, participantId }) =>
      // Stepping down oneself is no moderation act; moving someone else is.
      session.stage(id, roomId, (room) => room.moveToAudience(session.user.id, participantId), participantId === session.user.id ? undefined : { action: 'moveToAudience', targetId: participantId }),
    'stage.mute': async (session, { id, roomId, participantId }) =>
      session.stage(id, roomId, (room) => room.mute(session.user.id, participantId), { action: 'muteOther', targetId: participantId }),
    'stage.remove': async (session, { id, roomId, participantId }) =>
      session.stage(id, roomId, (room) => room.remove(session.user.id, participantId), { action: 'remove', targetId: participantId }),
    'stage.setModerator': async (session, { id, roomId, participantId, moderator }) =>
      session.stage(id, roomId, (room) => room.setModerator(session.user.id, participantId, moderator), {
        action: moderator ? 'promoteModerator' : 'demoteModerator',
        targetId: participantId,
      }),
    'stage.setMuted': async (session, { id, roomId, muted }) => session.stage(id, roomId, (room) => room.setMuted(session.user.id, muted)),
    'media.publish': async (session, { id, roomId, sdp }) => ({ type: 'media.answer', id, sdp: await session.rooms.publish(roomId, session.user.id, session, sdp) }),
    'media.subscribe': async (session, { id, roomId }) => ({ type: 'media.offer', id, sdp: await session.rooms.subscribe(roomId, session.user.id, session) }),
    'media.answer': async (session, { id, roomId, sdp }) => {
      await session.rooms.acceptAnswer(roomId, session.user.id, session, sdp);
      return ack(id);
    },
    ping: async (_session, { id }) => ack(id),
  };

  private async stage(id: string, roomId: string, run: Parameters<RoomService['command']>[3], act?: StageAct): Promise<ServerMessage> {
    await this.rooms.command(roomId, this.user.id, this, run, act);
    return ack(id);
  }

  private closed(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const roomId of this.joined) this.rooms.leave(roomId, this.user.id, this);
    this.joined.clear();
    this.log.debug({ userId: this.user.id }, 'signalling session closed');
  }
}

function ack(id: string): ServerMessage {
  return { type: 'ack', id };
}
