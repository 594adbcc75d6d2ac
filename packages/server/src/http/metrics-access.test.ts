import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../index';
import { RecordingMediaEngine } from '../../test/fake-media';

// Who may read /metrics: this machine directly, or whoever has the METRICS_TOKEN.
const token = 'metrics-token-0123456789abcdef';
let open: RunningServer;
let locked: RunningServer;

beforeAll(async () => {
  const base = { port: 0, host: '127.0.0.1', dataDir: 'memory://', logLevel: 'silent' } as const;
  [open, locked] = await Promise.all([
    startServer(base, { mediaEngine: new RecordingMediaEngine() }),
    startServer({ ...base, metricsToken: token }, { mediaEngine: new RecordingMediaEngine() }),
  ]);
});
afterAll(async () => {
  await Promise.all([open?.close(), locked?.close()]);
});

async function get(server: RunningServer, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/metrics`, { headers });
  return { status: response.status, text: await response.text() };
}

describe('GET /metrics access', () => {
  it('without a token: served to a direct local connection', async () => {
    const { status, text } = await get(open);
    expect(status).toBe(200);
    expect(text).toContain('parley_rooms_live');
  });

  it('without a token: refused when a proxy relayed the request, with a typed error', async () => {
    const relayed: Record<string, string>[] = [{ 'x-forwarded-for': '203.0.113.9' }, { forwarded: 'for=203.0.113.9' }];
    for (const headers of relayed) {
      const { status, text } = await get(open, headers);
      expect(status).toBe(403);
      expect(JSON.parse(text)).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining('METRICS_TOKEN') } });
      expect(text).not.toContain('parley_rooms_live');
    }
  });

  it('with a token: only the bearer of it is served, from anywhere', async () => {
    expect((await get(locked)).status).toBe(401);
    expect((await get(locked, { authorization: `Bearer ${token}x` })).status).toBe(401);
    expect((await get(locked, { authorization: `Bearer ${token.slice(1)}` })).status).toBe(401);
    expect((await get(locked, { authorization: token })).status).toBe(401);
    const served = await get(locked, { authorization: `Bearer ${token}`, 'x-forwarded-for': '203.0.113.9' });
    expect(served.status).toBe(200);
    expect(served.text).toContain('parley_rooms_live');
  });

  it('a token shorter than 24 characters is a configuration error', async () => {
    await expect(startServer({ port: 0, dataDir: 'memory://', logLevel: 'silent', metricsToken: 'short' }, { mediaEngine: new RecordingMediaEngine() })).rejects.toThrow(
      'METRICS_TOKEN must be at least 24 characters',
    );
  });
});
