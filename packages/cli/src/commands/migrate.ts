import { parseArgs } from 'node:util';
import type { Io } from '../cli';

/** `parley migrate`: apply pending database migrations (PGlite under DATA_DIR, or DATABASE_URL) and exit. */
export async function migrate(args: string[], io: Io): Promise<number> {
  parseArgs({ args, options: {}, strict: true });
  const { loadConfig, migrateOnly } = await import('@parley/server');
  const config = loadConfig(process.env);
  await migrateOnly(config);
  io.err(`parley: database is up to date (${config.databaseUrl ? 'Postgres' : `PGlite at ${config.dataDir}`})`);
  return 0;
}
