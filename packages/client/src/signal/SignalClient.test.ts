import { ParleyError } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionError } from '../errors';
import { silentLogger } from '../logger';
import { ScriptedServer } from '../testing/ScriptedServer';
import { SignalClient } from './SignalClient';
import { defaultWebSocketFactory } from './websocket';

const roomId = 'room-0001';

describe('SignalClient', () => {
  let server: ScriptedServer;
  let client: SignalClient;

  beforeEach(async () => {
    server = await ScriptedServer.start();
    client = new SignalClient({
      url: server.wsUrl,
      webSocketFactory: defaultWebSocketFactory,
      headers: () => ({ cookie: 'parley_session=abc123' }),
      requestTimeoutMs: 2_000,
      pingIntervalMs: 0,
      logger: silentLogger,
    });
  });

  afterEach(async () => {
    client.close();
    await server.close();
  });

  it('connect() opens one socket and sends the headers with the handshake', async () => {
    await Promise.all([client.connect(), client.connect()]);
    expect(client.connected).toBe(true);
    expect(server.connections).toHaveLength(1);
    expect(server.connections[0]!.headers.cookie).toBe('parley_session=abc123');
  });

  it('request() resolves each request with the reply that echoes its id, in any order', async () => {
    const raise = client.request('stage.raiseHand', { roomId });
    const subscribe = client.request('media.subscribe', { roomId });
    const connection = await server.nextConnection();
    const first = await connection.next();
    const second = await connection.next();
    expect(first).toMatchObject({ type: 'stage.raiseHand', roomId });
    expect(second).toMatchObject({ type: 'media.subscribe', roomId });
    expect(first.id).not.toBe(second.id);
    // Reply to the second request first.
    connection.send({ type: 'media.offer', id: second.id, sdp: 'v=0 offer sdp' });
    connection.send({ type: 'ack', id: first.id });
    await expect(subscribe).resolves.toEqual({ type: 'media.offer', id: second.id, sdp: 'v=0 offer sdp' });
    await expect(raise).resolves.toEqual({ type: 'ack', id: first.id });
    expect(client.pendingRequests).toBe(0);
  });

  it('request() rejects with ParleyError when the server answers error', async () => {
    const publish = client.request('media.publish', { roomId, sdp: 'v=0 publish offer' });
    const connection = await server.nextConnection();
    const request = await connection.next('media.publish');
    connection.send({ type: 'error', id: request.id, code: 'forbidden', message: 'Only speakers can publish' });
    const error = await publish.catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ParleyError);
    expect(error).toMatchObject({ code: 'forbidden', message: 'Only speakers can publish' });
    // The socket survives an error reply.
    expect(client.connected).toBe(true);
  });

  it('request() rejects with a timeout when no reply comes, and drops the late reply', async () => {
    const started = Date.now();
    const raise = client.request('stage.raiseHand', { roomId }, { timeoutMs: 150 });
    const connection = await server.nextConnection();
    const request = await connection.next();
    const error = await raise.catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ reason: 'timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(client.pendingRequests).toBe(0);
    // A late reply answers nothing; the next request still gets its own reply.
    connection.send({ type: 'ack', id: request.id });
    const lower = client.request('stage.lowerHand', { roomId });
    const next = await connection.next('stage.lowerHand');
    connection.send({ type: 'ack', id: next.id });
    await expect(lower).resolves.toEqual({ type: 'ack', id: next.id });
  });

  it('ignores invalid server messages and keeps the socket', async () => {
    const events: number[] = [];
    client.on('roomEvent', (_roomId, seq) => events.push(seq));
    const raise = client.request('stage.raiseHand', { roomId });
    const connection = await server.nextConnection();
    const request = await connection.next();
    connection.send('this is not json');
    connection.send({ type: 'room.event', roomId, seq: 0, event: { kind: 'handLowered', participantId: 'user-0001' } });
    connection.send({ type: 'no.such.type', id: request.id });
    connection.send({ type: 'ack' });
    connection.send({ type: 'room.event', roomId, seq: 1, event: { kind: 'handLowered', participantId: 'user-0001' } });
    connection.send({ type: 'ack', id: request.id });
    await expect(raise).resolves.toEqual({ type: 'ack', id: request.id });
    // Only the valid event got through (seq 0 is not a positive sequence number).
    expect(events).toEqual([1]);
    expect(client.connected).toBe(true);
  });

  it('hands on each event of a room.events frame in order, as if they came alone', async () => {
    const events: [number, string][] = [];
    client.on('roomEvent', (_roomId, seq, event) => events.push([seq, event.kind]));
    const raise = client.request('stage.raiseHand', { roomId });
    const connection = await server.nextConnection();
    const request = await connection.next();
    connection.send({
      type: 'room.events',
      roomId,
      events: [
        { seq: 7, event: { kind: 'participantLeft', participantId: 'user-0001' } },
        { seq: 8, event: { kind: 'handLowered', participantId: 'user-0002' } },
      ],
    });
    // An empty batch is not a valid frame: ignored.
    connection.send({ type: 'room.events', roomId, events: [] });
    connection.send({ type: 'ack', id: request.id });
    await raise;
    expect(events).toEqual([
      [7, 'participantLeft'],
      [8, 'handLowered'],
    ]);
  });

  it('rejects a reply of the wrong type as a protocol error', async () => {
    const join = client.request('room.join', { roomId });
    const connection = await server.nextConnection();
    const request = await connection.next();
    connection.send({ type: 'ack', id: request.id });
    await expect(join).rejects.toMatchObject({ name: 'ConnectionError', reason: 'protocol' });
  });

  it('validates requests before sending them', async () => {
    await client.connect();
    const connection = await server.nextConnection();
    const error = await client.request('room.join', { roomId: 'x' }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ParleyError);
    expect(error).toMatchObject({ code: 'invalid_message' });
    // Nothing reached the server: the next message it sees is the ping below.
    const ping = client.request('ping', {});
    const seen = await connection.next();
    expect(seen.type).toBe('ping');
    connection.send({ type: 'ack', id: seen.id });
    await ping;
  });

  it('emits unsolicited messages as typed events', async () => {
    await client.connect();
    const connection = await server.nextConnection();
    const got: string[] = [];
    client.on('speaking', (id, speakers) => got.push(`speaking ${id} ${speakers.map((s) => s.participantId).join(',')}`));
    client.on('roomClosed', (id, reason) => got.push(`closed ${id} ${reason}`));
    client.on('serverError', (error) => got.push(`error ${error.code}`));
    connection.send({ type: 'room.speaking', roomId, speakers: [{ participantId: 'user-0001', level: -20 }] });
    connection.send({ type: 'error', id: null, code: 'invalid_message', message: 'bad frame' });
    connection.send({ type: 'room.closed', roomId, reason: 'ended' });
    await expect.poll(() => got.length).toBe(3);
    expect(got).toEqual(['speaking room-0001 user-0001', 'error invalid_message', 'closed room-0001 ended']);
  });

  it('rejects requests in flight and emits disconnected when the socket drops', async () => {
    const disconnected: boolean[] = [];
    client.on('disconnected', (_error, byClient) => disconnected.push(byClient));
    const raise = client.request('stage.raiseHand', { roomId });
    const connection = await server.nextConnection();
    await connection.next();
    connection.terminate();
    await expect(raise).rejects.toMatchObject({ name: 'ConnectionError', reason: 'closed' });
    expect(disconnected).toEqual([false]);
    expect(client.connected).toBe(false);
    expect(client.pendingRequests).toBe(0);
  });

  it('connect() rejects when nothing listens', async () => {
    await server.close();
    const lonely = new SignalClient({ url: server.wsUrl, webSocketFactory: defaultWebSocketFactory, logger: silentLogger });
    await expect(lonely.connect()).rejects.toMatchObject({ name: 'ConnectionError', reason: 'unreachable' });
    lonely.close();
  });
});
