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
  {
    id: 2,
    name: 'accounts, profiles, follows, invites, tokens',
    sql: `
      CREATE TABLE accounts (
        user_id text PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        email text NOT NULL,
        password_hash text,
        email_verified_at timestamptz,
        role text NOT NULL CHECK (role IN ('member', 'admin')),
        created_at timestamptz NOT NULL
      );
      CREATE UNIQUE INDEX accounts_email_idx ON accounts(email);
      CREATE TABLE profiles (
        user_id text PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        username text NOT NULL,
        username_key text NOT NULL,
        bio text NOT NULL DEFAULT '',
        avatar_version text,
        invited_by text REFERENCES users(id) ON DELETE SET NULL,
        joined_at timestamptz NOT NULL
      );
      CREATE UNIQUE INDEX profiles_username_key_idx ON profiles(username_key);
      CREATE INDEX profiles_invited_by_idx ON profiles(invited_by);
      CREATE TABLE avatars (
        user_id text PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        version text NOT NULL,
        content_type text NOT NULL,
        bytes bytea NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE follows (
        follower_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        followee_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (follower_id, followee_id),
        CHECK (follower_id <> followee_id)
      );
      CREATE INDEX follows_followee_idx ON follows(followee_id, created_at);
      CREATE INDEX follows_follower_idx ON follows(follower_id, created_at);
      CREATE TABLE invites (
        code text PRIMARY KEY,
        inviter_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        email text,
        created_at timestamptz NOT NULL,
        redeemed_by text UNIQUE REFERENCES users(id) ON DELETE SET NULL,
        redeemed_at timestamptz
      );
      CREATE INDEX invites_inviter_idx ON invites(inviter_id, created_at);
      CREATE TABLE email_tokens (
        token_hash text PRIMARY KEY,
        user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('verify', 'reset')),
        email text NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      );
      CREATE INDEX email_tokens_user_idx ON email_tokens(user_id);
      CREATE TABLE api_tokens (
        id text PRIMARY KEY,
        user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        last_used_at timestamptz
      );
      CREATE INDEX api_tokens_user_idx ON api_tokens(user_id);
      CREATE TABLE server_settings (
        key text PRIMARY KEY,
        value text NOT NULL
      );
    `,
  },
];
