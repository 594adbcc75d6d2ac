import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths';

/** A Parley server running as `parley serve` in a child process. */
export interface ServerProcess {
  url: string;
  /** SIGINT (like Ctrl-C), wait for a clean exit, remove the data directory. */
  stop(): Promise<void>;
}

/** A TCP port nobody listens on right now (the kernel picks it; we release it for the server). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`parley serve exited with ${child.exitCode} before it was healthy`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`parley serve did not answer /api/health within ${timeoutMs} ms`);
}

/**
 * Start `node packages/cli/bin/parley.mjs serve` on a free port with a fresh data directory (real
 * PGlite on disk, as `npm start` runs) and the built web app, and wait for `/api/health`.
 */
export async function startServerProcess(extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-e2e-data-'));
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(repoRoot, 'packages/cli/bin/parley.mjs'), 'serve'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      // Its own embedded database in a fresh directory: CI exports DATABASE_URL for the contract
      // suites, and a shared Postgres would carry accounts over from earlier runs.
      DATABASE_URL: '',
      REDIS_URL: '',
      WEB_DIST: join(repoRoot, 'packages/web/dist'),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      // Every browser of the suite signs in from 127.0.0.1: per-IP limits on sign-in would trip.
      AUTH_RATE_LIMIT: '1000',
      ...extraEnv,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForHealth(url, child, 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
