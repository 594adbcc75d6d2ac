import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { SqlStore } from './store';

/** A store under test and how to throw its database away. */
export interface ContractTarget {
  name: string;
  open: () => Promise<{ store: SqlStore; drop: () => Promise<void> }>;
}

/**
 * The implementations every storage contract suite runs against: PGlite always; Postgres when
 * DATABASE_URL is set (CI sets it), each run in a fresh database of its own so that parallel and
 * earlier runs never interfere.
 */
export function contractTargets(databaseUrl = process.env.DATABASE_URL): ContractTarget[] {
  const targets: ContractTarget[] = [{ name: 'pglite', open: async () => ({ store: await SqlStore.open({ dataDir: 'memory://' }), drop: async () => {} }) }];
  if (databaseUrl) {
    targets.push({
      name: 'postgres',
      open: async () => {
        const name = `parley_contract_${randomUUID().replaceAll('-', '')}`;
        const admin = new pg.Client({ connectionString: databaseUrl });
        await admin.connect();
        await admin.query(`CREATE DATABASE ${name}`);
        await admin.end();
        const url = new URL(databaseUrl);
        url.pathname = `/${name}`;
        const store = await SqlStore.open({ databaseUrl: url.toString(), dataDir: 'unused' });
        return {
          store,
          drop: async () => {
            const again = new pg.Client({ connectionString: databaseUrl });
            await again.connect();
            await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
            await again.end();
          },
        };
      },
    });
  }
  return targets;
}
