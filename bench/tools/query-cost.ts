/**
 * CPU per call of the queries every join runs — the session lookup, a guest's user + session, the
 * stage grant — on the calling side and in the Postgres backends, warm, 10 calls in flight:
 *
 *   node --import tsx bench/tools/query-cost.ts [--root DIR] [--calls 3000]
 *
 * `--root` loads the storage code from another tree (`bench/tools/server-tree.sh <commit> DIR`), for
 * before/after. Postgres at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); a
 * scratch database is created and dropped. Backends' CPU is read from /proc, so Postgres must run on
 * this machine.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { repoRoot, scratchDatabase } from '../lib/server';

const { values } = parseArgs({ options: { root: { type: 'string', default: repoRoot }, calls: { type: 'string', default: '3000' } } });
const calls = Number(values.calls);
const storage = join(values.root, 'packages', 'server', 'src', 'storage');

interface StoreModule {
  SqlStore: { open(options: { databaseUrl?: string; dataDir: string }): Promise<Store> };
}
interface Store {
  scheduling: { stageGrants: { grantIn(roomId: string, userId: string): Promise<unknown> } };
  sessions: {
    createWithUser(user: object, session: object): Promise<void>;
    findUser(tokenHash: string, now: Date): Promise<unknown>;
  };
  rooms: { create(room: object): Promise<void> };
  close(): Promise<void>;
}

const database = await scratchDatabase(true);
if (!database) throw new Error('no Postgres');
const { SqlStore } = (await import(join(storage, 'store.ts'))) as StoreModule;
const store = await SqlStore.open({ databaseUrl: database.url, dataDir: '' });
const grants = store.scheduling.stageGrants;
const admin = new pg.Client({ connectionString: database.url });
await admin.connect();
try {
  const now = new Date();
  const later = new Date(now.getTime() + 3_600_000);
  await store.sessions.createWithUser({ id: 'bench-host', displayName: 'Host', kind: 'member', createdAt: now }, { tokenHash: 'bench-host-session', userId: 'bench-host', createdAt: now, expiresAt: later });
  await store.rooms.create({ id: 'bench-room', title: 'Bench', type: 'open', status: 'live', hostId: 'bench-host', createdAt: now, endedAt: null });
  const backends = (await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).rows.map((row) => row.pid);
  const backendMicros = () =>
    backends.reduce((sum, pid) => {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return sum + (Number(fields[11]) + Number(fields[12])) * 10_000;
    }, 0);
  const measure = async (label: string, call: (i: number) => Promise<unknown>) => {
    const cpu = process.cpuUsage();
    const backendsBefore = backendMicros();
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < calls) await call(next++);
      }),
    );
    const used = process.cpuUsage(cpu);
    const perCall = (micros: number) => (micros / calls).toFixed(0).padStart(5);
    console.log(`${label.padEnd(22)} caller ${perCall(used.user + used.system)} µs   postgres ${perCall(backendMicros() - backendsBefore)} µs   wall ${perCall((performance.now() - started) * 1000)} µs per call`);
  };
  for (const round of [1, 2]) {
    console.log(`round ${round}${round === 1 ? ' (warms the connections)' : ''}`);
    await measure('guest user + session', (i) => {
      const id = `guest-${round}-${i}`;
      return store.sessions.createWithUser({ id, displayName: 'Guest', kind: 'guest', createdAt: now }, { tokenHash: `session-${id}`, userId: id, createdAt: now, expiresAt: later });
    });
    await measure('session lookup', (i) => store.sessions.findUser(`session-guest-${round}-${i}`, now));
    await measure('stage grant', (i) => grants.grantIn('bench-room', `guest-${round}-${i}`));
  }
} finally {
  await admin.end();
  await store.close();
  await database.drop();
}
