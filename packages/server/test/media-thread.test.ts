import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/index';
import { accountFactory, apiAt } from './http-helpers';

/**
 * The server as `parley serve` runs it: the SFU on its own thread (the default `mediaThread`). The
 * peers are `parley bot` processes — node-datachannel can live on one thread of a process only, and
 * here that is the server's media thread.
 */
const parley = fileURLToPath(new URL('../../cli/bin/parley.mjs', import.meta.url));
let server: RunningServer;
const children: ReturnType<typeof spawn>[] = [];

beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: 'memory://', logLevel: 'silent', rtcBindAddress: '127.0.0.1', rateLimitFactor: 10 });
});
afterAll(async () => {
  for (const child of children) child.kill('SIGINT');
  await server?.close();
});

const api = apiAt(() => server.url);
const accounts = accountFactory(api);

/** Run `parley bot …`; resolves with its stdout lines as they come and its exit. */
function bot(args: string[]): { lines: AsyncIterableIterator<string>; exit: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, [parley, 'bot', ...args, '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { lines: createInterface({ input: child.stdout })[Symbol.asyncIterator](), exit, stderr: () => stderr };
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((row) => row.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : Number.NaN;
}

describe('the SFU on its own thread', () => {
  it('a speaker bot is heard by a listener bot, and /metrics reports the forwarding and the media thread', async () => {
    const host = await accounts.member('Thread Host');
    const token = await api('/api/account/tokens', { method: 'POST', cookie: host.cookie, json: { name: 'bot' } });
    const speaker = bot(['host', '--url', server.url, '--token', token.body.secret, '--tone', '440', '--seconds', '20']);
    const first = await speaker.lines.next();
    if (first.done) throw new Error(`the host bot printed nothing: ${speaker.stderr()}`);
    const { url } = JSON.parse(first.value) as { url: string; roomId: string };

    const listener = bot(['listen', url, '--seconds', '4', '--json']);
    const line = await listener.lines.next();
    if (line.done) throw new Error(`the listener bot printed nothing: ${listener.stderr()}`);
    expect(await listener.exit).toBe(0);
    const report = JSON.parse(line.value) as { packetsReceived: number; packetsLost: number; dominantFrequencyHz: number | null };
    console.info(`[media thread] listener: ${report.packetsReceived} packets, ${report.packetsLost} lost, ${report.dominantFrequencyHz} Hz`);
    expect(report.packetsReceived).toBeGreaterThan(150); // 4 s of 20 ms frames is 200
    expect(report.packetsLost).toBeLessThanOrEqual(Math.ceil(report.packetsReceived * 0.02));
    expect(Math.abs((report.dominantFrequencyHz ?? 0) - 440)).toBeLessThanOrEqual(5);

    expect(await metric('parley_rtp_packets_forwarded_total')).toBeGreaterThanOrEqual(report.packetsReceived);
    expect(await metric('parley_media_rooms')).toBe(1);
    const p99 = await metric('parley_media_eventloop_lag_p99_seconds');
    expect(p99).toBeGreaterThan(0);
    expect(p99).toBeLessThan(1);
  });
});
