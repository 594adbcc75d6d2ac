import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database';

const databaseUrl = process.env.DATABASE_URL;

/** Connections open to the database `name`, as Postgres counts them (seen from another connection). */
async function connectionsTo(name: string): Promise<number> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1', [name]);
    return Number(rows[0]?.n ?? 0);
  } finally {
    await admin.end();
  }
}

describe.skipIf(!databaseUrl)('openDatabase on Postgres', () => {
  it('opens every pooled connection at start and closes them all', async () => {
    const name = `parley_pool_${randomUUID().replaceAll('-', '')}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const url = new URL(databaseUrl!);
      url.pathname = `/${name}`;
      const database = await openDatabase({ databaseUrl: url.toString(), dataDir: 'unused' });
      expect(await connectionsTo(name)).toBe(10);
      await database.query('SELECT 1');
      expect(await connectionsTo(name)).toBe(10);
      await database.close();
      await expect.poll(() => connectionsTo(name)).toBe(0);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
