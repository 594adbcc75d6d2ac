import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { migrations } from './migrations';

/** Drizzle database over either driver; repositories are written once against this type. */
export type Db = PgDatabase<PgQueryResultHKT>;

/** An open database: Drizzle for queries, raw SQL for migrations, and a close. */
export interface Database {
  db: Db;
  /** Which driver is underneath (for logs). */
  driver: 'pglite' | 'postgres';
  /** Run statements (several, separated by `;`) with no parameters. */
  exec(sql: string): Promise<void>;
  /** Run one parameterised query and return its rows. */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** Where the data lives: Postgres when a URL is given, else PGlite in `dataDir` (`memory://` for tests). */
export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
}

/** Connections to Postgres per server process. */
const poolSize = 10;

/** Open all of the pool's connections now (each one checked out at once, then handed back). */
async function warmUp(pool: pg.Pool): Promise<void> {
  const clients = await Promise.all(Array.from({ length: poolSize }, () => pool.connect()));
  for (const client of clients) client.release();
}

/** Open the database the options point at. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    // Every connection is opened at start and kept: opening one forks a Postgres backend (several ms
    // of CPU on both sides), which a burst of joins after a quiet spell would otherwise pay, ten times.
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: poolSize, min: poolSize });
    // An idle connection that the server drops (a Postgres restart, an admin terminating it) emits
    // 'error' on the pool; unhandled, that would kill the process. The pool replaces the connection on
    // the next query, so there is nothing else to do.
    pool.on('error', () => {});
    await warmUp(pool);
    return {
      db: drizzlePg(pool) as unknown as Db,
      driver: 'postgres',
      exec: async (sql) => {
        await pool.query(sql);
      },
      query: async <T>(sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as T[],
      close: () => pool.end(),
    };
  }
  const onDisk = !options.dataDir.startsWith('memory://');
  let releaseLock = async () => {};
  if (onDisk) {
    await mkdir(options.dataDir, { recursive: true });
    releaseLock = await lockDataDir(options.dataDir);
  }
  let client: PGlite;
  try {
    client = await PGlite.create(options.dataDir);
  } catch (error) {
    await releaseLock();
    throw error;
  }
  return {
    db: drizzlePglite(client) as unknown as Db,
    driver: 'pglite',
    exec: async (sql) => {
      await client.exec(sql);
    },
    query: async <T>(sql: string, params: unknown[] = []) => (await client.query<T>(sql, params)).rows,
    close: async () => {
      await client.close();
      await releaseLock();
    },
  };
}

/**
 * PGlite is one process's database: a second process opening the same directory (say `parley admin`
 * while `parley serve` runs) would corrupt it. A pid file refuses that with a clear message; a file
 * left by a process that died is taken over.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = join(dataDir, 'parley.pid');
  const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
  if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
    throw new Error(
      `Another Parley process (pid ${holder}) has the data directory ${dataDir} open. Stop it first, or use Postgres (DATABASE_URL) to run commands beside a server.`,
    );
  }
  await writeFile(file, `${process.pid}\n`);
  return async () => {
    await rm(file, { force: true });
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock key so that two nodes starting at once against one Postgres do not migrate twice. */
const migrationLockKey = 0x7061726c; // "parl"

/**
 * Apply the migrations that have not run yet, each in its own transaction, and record them.
 * Returns the ids applied now.
 */
export async function migrate(database: Database): Promise<number[]> {
  await database.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
  const applied: number[] = [];
  // Session-level advisory lock: on the pg pool the lock and unlock must use the same connection, so
  // everything runs inside one transaction per migration with a transaction-level lock instead.
  for (const migration of migrations) {
    const done = await database.query<{ id: number }>('SELECT id FROM schema_migrations WHERE id = $1', [migration.id]);
    if (done.length > 0) continue;
    await database.exec(`BEGIN; SELECT pg_advisory_xact_lock(${migrationLockKey});`
      + ` DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM schema_migrations WHERE id = ${migration.id}) THEN`
      + ` EXECUTE ${dollarQuote(migration.sql)};`
      + ` INSERT INTO schema_migrations (id, name) VALUES (${migration.id}, ${dollarQuote(migration.name)});`
      + ` END IF; END $$; COMMIT;`);
    applied.push(migration.id);
  }
  return applied;
}

/** Quote a constant for use inside a DO block without escaping problems. */
function dollarQuote(text: string): string {
  if (text.includes('$m$')) throw new Error('migration text must not contain $m$');
  return `$m$${text}$m$`;
}
