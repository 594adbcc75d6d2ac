import { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import type { RoomSnapshot, ServerMessage, User } from '@parley/protocol';
import type { RoomService } from '../domain/rooms';
import { SignallingSession } from './session';

/** The part of a `ws` socket a session uses; what the session sends is kept, parsed. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: ServerMessage[] = [];
  send(json: string): void {
    this.sent.push(JSON.parse(json) as ServerMessage);
  }
  close(): void {
    this.readyState = 3;
  }
  ping(): void {}
  terminate(): void {}
  /** A text frame from the client. */
  deliver(message: unknown): void {
    this.emit('message', Buffer.from(JSON.stringify(message)), false);
  }
}

const user: User = { id: 'user-000001', displayName: 'Ana', kind: 'guest' };
const roomId = 'room-0000001';
const silent = { debug: () => undefined, error: () => undefined } as unknown as FastifyBaseLogger;

/** A room service whose join waits until `admit()`; media.subscribe is refused to anyone not joined yet. */
function slowRooms() {
  let admit: () => void = () => undefined;
  const admitted = new Promise<void>((resolve) => {
    admit = resolve;
  });
  let joined = false;
  const rooms = {
    async join(): Promise<RoomSnapshot> {
      await admitted;
      joined = true;
      return { room: {}, seq: 0, participants: [], you: user.id } as unknown as RoomSnapshot;
    },
    speakingNow: () => [],
    async subscribe(): Promise<string> {
      if (!joined) throw new Error('subscribe before join');
      return 'v=0 offer';
    },
  };
  return { rooms: rooms as unknown as RoomService, admit };
}

function session(rooms: RoomService) {
  const socket = new FakeSocket();
  new SignallingSession(socket as unknown as WebSocket, user, rooms, silent).start();
  return socket;
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('SignallingSession', () => {
  it('handles a socket’s messages one after another: a subscribe right behind a join waits for it', async () => {
    const { rooms, admit } = slowRooms();
    const socket = session(rooms);
    socket.deliver({ type: 'room.join', id: 'r1', roomId });
    socket.deliver({ type: 'media.subscribe', id: 'r2', roomId });
    socket.deliver({ type: 'ping', id: 'r3' });
    await settled();
    expect(socket.sent).toEqual([]); // the ping too waits its turn
    admit();
    await settled();
    expect(socket.sent.map((m) => [m.type, 'id' in m ? m.id : undefined])).toEqual([
      ['room.snapshot', 'r1'],
      ['room.speaking', undefined],
      ['media.offer', 'r2'],
      ['ack', 'r3'],
    ]);
  });

  it('refuses messages beyond those it keeps waiting, and serves the socket again once the queue drains', async () => {
    const { rooms, admit } = slowRooms();
    const socket = session(rooms);
    socket.deliver({ type: 'room.join', id: 'r0', roomId });
    for (let i = 1; i <= 35; i++) socket.deliver({ type: 'ping', id: `p${i}` });
    await settled();
    // The join and 31 pings wait; 4 are refused at once, with no id to pin them on.
    expect(socket.sent).toEqual(Array.from({ length: 4 }, () => ({ type: 'error', id: null, code: 'rate_limited', message: 'Too many messages; slow down.' })));
    admit();
    await settled();
    expect(socket.sent.filter((m) => m.type === 'ack')).toHaveLength(31);
    socket.deliver({ type: 'ping', id: 'later' });
    await settled();
    expect(socket.sent.at(-1)).toEqual({ type: 'ack', id: 'later' });
  });

  it('a malformed message behind a waiting one gets its error in turn, and the socket lives on', async () => {
    const { rooms, admit } = slowRooms();
    const socket = session(rooms);
    socket.deliver({ type: 'room.join', id: 'r1', roomId });
    socket.emit('message', Buffer.from('not json'), false);
    admit();
    await settled();
    expect(socket.sent.map((m) => m.type)).toEqual(['room.snapshot', 'room.speaking', 'error']);
    socket.deliver({ type: 'ping', id: 'r2' });
    await settled();
    expect(socket.sent.at(-1)).toEqual({ type: 'ack', id: 'r2' });
  });
});
