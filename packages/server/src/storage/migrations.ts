/**
 * Schema migrations, applied in order at start (and by `parley migrate`). Postgres dialect only, so
 * the same statements run on PGlite and on Postgres. Never edit a migration that has shipped: add one.
 */
export const migrations: readonly { id: number; name: string; sql: string }[] = [
  {
    id: 1,
    name: 'guests, sessions and rooms',
    sql: `
      CREATE TABLE users (
        id text PRIMARY KEY,
        display_name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('guest', 'member')),
        created_at timestamptz NOT NULL
      );
      CREATE TABLE sessions (
        token_hash text PRIMARY KEY,
        user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX sessions_user_idx ON sessions(user_id);
      CREATE TABLE rooms (
        id text PRIMARY KEY,
        title text NOT NULL,
        type text NOT NULL CHECK (type IN ('open', 'social', 'closed')),
        status text NOT NULL CHECK (status IN ('scheduled', 'live', 'ended')),
        host_id text NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL,
        ended_at timestamptz
      );
      CREATE INDEX rooms_status_idx ON rooms(status);
    `,
  },
];
