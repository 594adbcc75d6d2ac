import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Notification } from '@parley/protocol';
import { silentLogger } from '../logger';
import { ScriptedServer } from '../testing/ScriptedServer';
import { SignalClient } from './SignalClient';
import { defaultWebSocketFactory } from './websocket';

const notification: Notification = {
  id: 'note-0000-0001',
  kind: 'invitation.received',
  text: 'Ada invited you to speak at “Talk”.',
  link: '/invitations/inv-0000-0001',
  actor: { id: 'user-ada-0001', username: 'ada', displayName: 'Ada', avatarUrl: null },
  onBehalfOf: null,
  invitationId: 'inv-0000-0001',
  eventId: null,
  roomId: null,
  createdAt: '2026-05-01T10:00:00.000Z',
  readAt: null,
};

describe('SignalClient: the notification stream', () => {
  let server: ScriptedServer;
  let client: SignalClient;

  beforeEach(async () => {
    server = await ScriptedServer.start();
    client = new SignalClient({ url: server.wsUrl, webSocketFactory: defaultWebSocketFactory, pingIntervalMs: 0, logger: silentLogger });
  });
  afterEach(async () => {
    client.close();
    await server.close();
  });

  it('emits `notification`, `unreadCount` and `hallwayChanged` for the server’s pushes, and drops malformed ones', async () => {
    const seen: unknown[][] = [];
    client.on('notification', (n, count) => seen.push(['notification', n.id, count]));
    client.on('unreadCount', (count) => seen.push(['unreadCount', count]));
    client.on('hallwayChanged', () => seen.push(['hallwayChanged']));
    await client.connect();
    const connection = await server.nextConnection();
    connection.send({ type: 'notifications.unread', unreadCount: 0 });
    connection.send({ type: 'notification', notification: { ...notification, kind: 'no.such.kind' }, unreadCount: 1 });
    connection.send({ type: 'notification', notification, unreadCount: 1 });
    connection.send({ type: 'hallway.changed' });
    const deadline = Date.now() + 2000;
    while (seen.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toEqual([['unreadCount', 0], ['notification', 'note-0000-0001', 1], ['hallwayChanged']]);
  });
});
