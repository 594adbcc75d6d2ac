import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The bots as users run them: `parley serve`, `parley bot host` and `parley bot listen` as separate
 * processes talking over real sockets, real WebRTC peers and real Opus. Separate processes also keep
 * the SFU's event loop free of the test's own work.
 */

const bin = fileURLToPath(new URL('../../bin/parley.mjs', import.meta.url));

interface Running {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
}

function parley(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [bin, ...args], {
    // The embedded database unless a test says otherwise: CI exports DATABASE_URL for the contract suites.
    env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  collectLines(child.stdout!, stdout);
  collectLines(child.stderr!, stderr);
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, stdout, stderr, exited };
}

function collectLines(stream: NodeJS.ReadableStream, into: string[]): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    into.push(...lines);
  });
  stream.on('end', () => {
    if (partial) into.push(partial);
  });
}

/** Wait until one of `lines` matches, or the process exits (then fail with its stderr). */
async function waitForLine(running: Running, lines: string[], pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void running.exited.then(() => {
    exited = true;
  });
  for (;;) {
    for (const line of lines) {
      const match = pattern.exec(line);
      if (match) return match;
    }
    if (exited || Date.now() > deadline) {
      throw new Error(`no line matching ${pattern} (${exited ? 'process exited' : 'timed out'}); stderr:\n${running.stderr.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('parley bot', () => {
  let server: Running;
  let serverUrl: string;
  let token: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-cli-test-'));

  beforeAll(async () => {
    // The README's way to a talking bot on a fresh server: an account with a token, then `bot host --token`.
    const created = parley(['admin', 'create-user', '--email', 'bot@example.org', '--username', 'tonebot', '--display-name', 'Tone bot', '--token'], {
      DATA_DIR: dataDir,
    });
    expect(await created.exited, created.stderr.join('\n')).toBe(0);
    token = created.stdout.join('').trim();
    expect(token).toMatch(/^parley_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr.join('\n')).toMatch(/Created member @tonebot/);

    server = parley(['serve'], { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    serverUrl = (await waitForLine(server, server.stderr, /serving on (http:\/\/\S+)/))[1]!;
    // The bot is not the admin: the first person to sign up in the browser still becomes it.
    expect(await (await fetch(`${serverUrl}/api/server`)).json()).toEqual({ inviteOnly: true, firstAccount: true });
  });

  afterAll(async () => {
    if (server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('admin create-user refuses to open the data directory of a running server', async () => {
    const second = parley(['admin', 'create-user', '--email', 'two@example.org', '--username', 'two'], { DATA_DIR: dataDir });
    expect(await second.exited).toBe(1);
    expect(second.stderr.join('\n')).toMatch(/Another Parley process \(pid \d+\) has the data directory/);
  });

  it('bot host without a token is a usage error that says how to get one', async () => {
    const host = parley(['bot', 'host', '--url', serverUrl, '--seconds', '1'], { PARLEY_TOKEN: '' });
    expect(await host.exited).toBe(2);
    expect(host.stderr.join('\n')).toMatch(/bot host needs an account: pass --token or set PARLEY_TOKEN/);
  });

  it('bot listen hears the 440 Hz tone of bot host through the server', async () => {
    const host = parley(['bot', 'host', '--url', serverUrl, '--title', 'CLI tone test', '--tone', '440', '--seconds', '11'], { PARLEY_TOKEN: token });
    const announced = JSON.parse((await waitForLine(host, host.stdout, /^\{.*\}$/))[0]) as { url: string; roomId: string };
    expect(announced.url).toBe(`${serverUrl}/rooms/${announced.roomId}`);

    const listener = parley(['bot', 'listen', announced.url, '--seconds', '5', '--json']);
    const listenerCode = await listener.exited;
    expect(listenerCode, listener.stderr.join('\n')).toBe(0);
    const jsonLines = listener.stdout.filter((line) => line.trim() !== '');
    expect(jsonLines).toHaveLength(1);
    const report = JSON.parse(jsonLines[0]!) as {
      packetsReceived: number;
      packetsLost: number;
      dominantFrequencyHz: number | null;
      firstPacketMs: number | null;
      stoppedBy: string | null;
    };
    expect(report.stoppedBy).toBeNull();
    // 5 s of 20 ms frames is 250 packets.
    expect(report.packetsReceived).toBeGreaterThanOrEqual(200);
    expect(report.packetsLost).toBeLessThanOrEqual(report.packetsReceived * 0.02);
    expect(report.dominantFrequencyHz).not.toBeNull();
    expect(Math.abs(report.dominantFrequencyHz! - 440)).toBeLessThanOrEqual(5);
    expect(report.firstPacketMs).toBeGreaterThan(0);

    // The host speaks its full time, ends the room and exits on its own.
    const hostCode = await host.exited;
    expect(hostCode, host.stderr.join('\n')).toBe(0);
    expect(host.stdout.filter((line) => line.trim() !== '')).toHaveLength(1);
    const room = (await (await fetch(`${serverUrl}/api/rooms/${announced.roomId}`)).json()) as { room: { status: string } };
    expect(room.room.status).toBe('ended');
  }, 60_000);

  it('bot listen exits non-zero with a clear message when the room does not exist', async () => {
    const listener = parley(['bot', 'listen', `${serverUrl}/rooms/no-such-room-000`, '--seconds', '1', '--json']);
    expect(await listener.exited).toBe(1);
    expect(listener.stdout.join('')).toBe('');
    expect(listener.stderr.join('\n')).toMatch(/parley bot listen: .*not_found/);
  });

  it('rejects a malformed command line with exit code 2', async () => {
    const listener = parley(['bot', 'listen', 'not a link', '--seconds', '1']);
    expect(await listener.exited).toBe(2);
    expect(listener.stderr.join('\n')).toMatch(/not a room link/);
  });

  it('serve shuts down cleanly on SIGTERM', async () => {
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.stderr.join('\n')).not.toMatch(/still open/);
  });
});
