import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxMessageBytes } from '@parley/protocol';
import { startServer, type RunningServer } from '../index';
import { RecordingMediaEngine } from '../../test/fake-media';
import { accountFactory, apiAt, sessionCookieOf } from '../../test/http-helpers';
import { TestSocket } from '../../test/ws-client';

// The signalling socket once its HTTP upgrade is released (app.ts, releaseUpgrade): errors still cut it off.
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: 'memory://', logLevel: 'silent', authRateLimit: 1000 }, { mediaEngine: new RecordingMediaEngine() });
});
afterAll(async () => {
  await server?.close();
});

const api = apiAt(() => server.url);
const accounts = accountFactory(api);

describe('GET /api/ws', () => {
  it('a message over the size limit cuts the socket off, and its participant leaves the room', async () => {
    const host = await accounts.member('Hana');
    const created = await api('/api/rooms', { method: 'POST', cookie: host.cookie, json: { title: 'Limits' } });
    const roomId = created.body.room.id as string;
    const hostSocket = await TestSocket.open(server.url, host.cookie);
    await hostSocket.request({ type: 'room.join', roomId });
    const session = await api('/api/session', { method: 'POST', json: { displayName: 'Ola' } });
    const guest = await TestSocket.open(server.url, sessionCookieOf(session.headers));
    await guest.request({ type: 'room.join', roomId });

    const closed = new Promise<number>((resolve) => guest.ws.once('close', resolve));
    guest.sendRaw('x'.repeat(maxMessageBytes + 1));
    expect([1006, 1009]).toContain(await closed);
    const left = await hostSocket.waitForEvent((e) => e.event.kind === 'participantLeft');
    expect(left).toMatchObject({ event: { participantId: session.body.user.id } });
    // The server serves on.
    expect(await hostSocket.request({ type: 'ping' })).toMatchObject({ type: 'ack' });
    hostSocket.close();
  });
});
