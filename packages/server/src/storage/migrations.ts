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
  {
    id: 20,
    name: 'safety: blocks, room access lists and bans, reports, suspensions, audit log',
    sql: `
      CREATE TABLE blocks (
        blocker_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        blocked_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (blocker_id, blocked_id),
        CHECK (blocker_id <> blocked_id)
      );
      CREATE INDEX blocks_blocked_idx ON blocks(blocked_id);
      CREATE TABLE room_access (
        room_id text NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
        user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        added_by text REFERENCES users(id) ON DELETE SET NULL,
        added_at timestamptz NOT NULL,
        PRIMARY KEY (room_id, user_id)
      );
      CREATE TABLE room_bans (
        room_id text NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
        user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        banned_by text REFERENCES users(id) ON DELETE SET NULL,
        banned_at timestamptz NOT NULL,
        PRIMARY KEY (room_id, user_id)
      );
      CREATE INDEX room_bans_user_idx ON room_bans(user_id);
      CREATE TABLE suspensions (
        user_id text PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        reason text NOT NULL,
        suspended_by text REFERENCES users(id) ON DELETE SET NULL,
        suspended_at timestamptz NOT NULL
      );
      CREATE TABLE reports (
        id text PRIMARY KEY,
        reporter_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        subject_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        room_id text REFERENCES rooms(id) ON DELETE CASCADE,
        reason text NOT NULL CHECK (reason IN ('spam', 'harassment', 'hate', 'sexual', 'violence', 'impersonation', 'other')),
        details text NOT NULL,
        created_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'dismissed', 'actioned')),
        resolved_by text REFERENCES users(id) ON DELETE SET NULL,
        resolved_at timestamptz,
        resolution_note text NOT NULL DEFAULT ''
      );
      CREATE INDEX reports_status_idx ON reports(status, created_at);
      CREATE INDEX reports_reporter_idx ON reports(reporter_id, created_at);
      -- The audit log outlives the people and rooms it names: no foreign keys, nothing cascades into it.
      CREATE TABLE audit_log (
        id text PRIMARY KEY,
        at timestamptz NOT NULL,
        actor_id text NOT NULL,
        action text NOT NULL,
        target_id text,
        room_id text,
        report_id text,
        note text NOT NULL DEFAULT ''
      );
      CREATE INDEX audit_log_at_idx ON audit_log(at, id);
      CREATE INDEX audit_log_room_idx ON audit_log(room_id, at, id);
    `,
  },
  {
    id: 30,
    name: 'events, invitations, delegations, speaker links, notifications, jobs',
    sql: `
      -- room_id is reserved before the room row exists (two hosts going live at once get one room), so no foreign key.
      CREATE TABLE scheduled_events (
        id text PRIMARY KEY,
        title text NOT NULL,
        description text NOT NULL DEFAULT '',
        starts_at timestamptz NOT NULL,
        duration_minutes integer NOT NULL CHECK (duration_minutes > 0),
        time_zone text NOT NULL,
        room_type text NOT NULL CHECK (room_type IN ('open', 'social', 'closed')),
        created_by text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        cancelled_at timestamptz,
        room_id text UNIQUE,
        live_at timestamptz
      );
      CREATE INDEX scheduled_events_starts_idx ON scheduled_events(starts_at);
      CREATE TABLE event_hosts (
        event_id text NOT NULL REFERENCES scheduled_events(id) ON DELETE CASCADE,
        user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        position integer NOT NULL,
        added_at timestamptz NOT NULL,
        PRIMARY KEY (event_id, user_id)
      );
      CREATE INDEX event_hosts_user_idx ON event_hosts(user_id);
      CREATE TABLE event_rsvps (
        event_id text NOT NULL REFERENCES scheduled_events(id) ON DELETE CASCADE,
        user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (event_id, user_id)
      );
      CREATE INDEX event_rsvps_user_idx ON event_rsvps(user_id);
      CREATE TABLE event_speakers (
        event_id text NOT NULL REFERENCES scheduled_events(id) ON DELETE CASCADE,
        user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        invitation_id text,
        added_at timestamptz NOT NULL,
        PRIMARY KEY (event_id, user_id)
      );
      CREATE INDEX event_speakers_user_idx ON event_speakers(user_id);
      CREATE TABLE invitations (
        id text PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('event', 'room')),
        status text NOT NULL CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn', 'expired')),
        event_id text REFERENCES scheduled_events(id) ON DELETE CASCADE,
        room_id text REFERENCES rooms(id) ON DELETE CASCADE,
        inviter_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        invitee_id text REFERENCES users(id) ON DELETE CASCADE,
        invitee_email text,
        invite_code text REFERENCES invites(code) ON DELETE SET NULL,
        topic text NOT NULL,
        starts_at timestamptz NOT NULL,
        expected_audience text NOT NULL,
        recorded boolean NOT NULL,
        created_at timestamptz NOT NULL,
        created_by text REFERENCES users(id) ON DELETE SET NULL,
        expires_at timestamptz NOT NULL,
        decided_at timestamptz,
        decided_by text REFERENCES users(id) ON DELETE SET NULL,
        decided_for text REFERENCES users(id) ON DELETE SET NULL,
        CHECK ((event_id IS NULL) <> (room_id IS NULL)),
        CHECK (invitee_id IS NOT NULL OR invitee_email IS NOT NULL)
      );
      CREATE INDEX invitations_invitee_idx ON invitations(invitee_id, created_at);
      CREATE INDEX invitations_inviter_idx ON invitations(inviter_id, created_at);
      CREATE INDEX invitations_code_idx ON invitations(invite_code);
      CREATE UNIQUE INDEX invitations_pending_event_idx ON invitations(event_id, invitee_id) WHERE status = 'pending';
      CREATE UNIQUE INDEX invitations_pending_room_idx ON invitations(room_id, invitee_id) WHERE status = 'pending';
      CREATE TABLE invitation_messages (
        id text PRIMARY KEY,
        invitation_id text NOT NULL REFERENCES invitations(id) ON DELETE CASCADE,
        side text NOT NULL CHECK (side IN ('inviter', 'invitee')),
        body text NOT NULL,
        author_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        principal_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX invitation_messages_invitation_idx ON invitation_messages(invitation_id, created_at);
      CREATE TABLE delegations (
        id text PRIMARY KEY,
        principal_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        delegate_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        scopes text[] NOT NULL,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_by text REFERENCES users(id) ON DELETE SET NULL,
        CHECK (principal_id <> delegate_id)
      );
      CREATE UNIQUE INDEX delegations_active_idx ON delegations(principal_id, delegate_id) WHERE revoked_at IS NULL;
      CREATE INDEX delegations_delegate_idx ON delegations(delegate_id);
      -- Who did what for whom; kept when the subject goes, so no foreign key on subject_id.
      CREATE TABLE acts (
        id text PRIMARY KEY,
        action text NOT NULL,
        subject_id text NOT NULL,
        at timestamptz NOT NULL,
        actor_id text REFERENCES users(id) ON DELETE SET NULL,
        principal_id text REFERENCES users(id) ON DELETE SET NULL
      );
      CREATE INDEX acts_subject_idx ON acts(subject_id, at);
      CREATE INDEX acts_principal_idx ON acts(principal_id, at);
      CREATE INDEX acts_actor_idx ON acts(actor_id, at);
      CREATE TABLE speaker_links (
        id text PRIMARY KEY,
        token_hash text NOT NULL UNIQUE,
        guest_name text NOT NULL,
        event_id text REFERENCES scheduled_events(id) ON DELETE CASCADE,
        room_id text REFERENCES rooms(id) ON DELETE CASCADE,
        created_by text REFERENCES users(id) ON DELETE SET NULL,
        created_for text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        used_by text REFERENCES users(id) ON DELETE SET NULL,
        revoked_at timestamptz,
        CHECK ((event_id IS NULL) <> (room_id IS NULL))
      );
      CREATE INDEX speaker_links_event_idx ON speaker_links(event_id);
      CREATE INDEX speaker_links_room_idx ON speaker_links(room_id);
      CREATE INDEX speaker_links_used_by_idx ON speaker_links(used_by);
      CREATE TABLE room_grants (
        room_id text NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
        user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('moderator', 'speaker')),
        granted_at timestamptz NOT NULL,
        PRIMARY KEY (room_id, user_id)
      );
      CREATE TABLE calendar_feeds (
        user_id text PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL
      );
      CREATE TABLE notifications (
        id text PRIMARY KEY,
        user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind text NOT NULL,
        text text NOT NULL,
        link text NOT NULL,
        actor_id text REFERENCES users(id) ON DELETE SET NULL,
        on_behalf_of text REFERENCES users(id) ON DELETE SET NULL,
        invitation_id text,
        event_id text,
        room_id text,
        dedupe_key text NOT NULL,
        created_at timestamptz NOT NULL,
        read_at timestamptz
      );
      CREATE UNIQUE INDEX notifications_dedupe_idx ON notifications(user_id, dedupe_key);
      CREATE INDEX notifications_user_idx ON notifications(user_id, created_at, id);
      CREATE INDEX notifications_unread_idx ON notifications(user_id) WHERE read_at IS NULL;
      CREATE TABLE notification_preferences (
        user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind text NOT NULL,
        in_app boolean NOT NULL,
        email boolean NOT NULL,
        PRIMARY KEY (user_id, kind)
      );
      -- Background work that must survive a restart and run once across server processes.
      CREATE TABLE jobs (
        id text PRIMARY KEY,
        kind text NOT NULL,
        key text NOT NULL UNIQUE,
        payload jsonb NOT NULL,
        run_at timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        locked_by text,
        locked_until timestamptz,
        last_error text,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX jobs_run_at_idx ON jobs(run_at);
    `,
  },
];
