import { and, desc, eq, gt, lte, sql } from 'drizzle-orm';
import type { RoomStatus } from '@parley/protocol';
import type { RoomRecord, RoomWithHost, Store, UserRecord } from '../domain/ports';
import { openDatabase, migrate, type Database, type DatabaseOptions, type Db } from './database';
import { rooms, sessions, users } from './schema';
import { accountStore, apiTokenStore, emailTokenStore, inviteStore, settingsStore } from './accounts-store';
import { followStore, profileStore } from './social-store';
import { moderationStore } from './moderation-store';
import { jobStore, notificationStore, schedulingStore } from './scheduling-root-store';

/** The storage port over Drizzle; the same code runs on PGlite and Postgres. */
export class SqlStore implements Store {
  readonly accounts: Store['accounts'];
  readonly profiles: Store['profiles'];
  readonly follows: Store['follows'];
  readonly invites: Store['invites'];
  readonly emailTokens: Store['emailTokens'];
  readonly apiTokens: Store['apiTokens'];
  readonly settings: Store['settings'];
  readonly moderation: Store['moderation'];
  readonly scheduling: Store['scheduling'];
  readonly notifications: Store['notifications'];
  readonly jobs: Store['jobs'];

  /**
   * Every request that carries a session cookie (and every WebSocket) looks its user up, and every
   * guest starts with a user and a session: named prepared statements, so Drizzle builds their SQL
   * once and Postgres parses and plans them once per connection instead of on every call.
   */
  private readonly sessionUser;
  private readonly guestSession;

  private constructor(
    private readonly database: Database,
    private readonly db: Db = database.db,
  ) {
    this.sessionUser = db
      .select({ user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.tokenHash, sql.placeholder('tokenHash')), gt(sessions.expiresAt, sql`${sql.placeholder('now')}::timestamptz`)))
      .limit(1)
      .prepare('session_user');
    // One statement: the session's foreign key is checked at its end, when the user row exists.
    const newUser = db.$with('new_user', {}).as(
      sql`INSERT INTO ${users} (id, display_name, kind, created_at) VALUES (${sql.placeholder('userId')}, ${sql.placeholder('displayName')}, ${sql.placeholder('kind')}, ${sql.placeholder('userCreatedAt')}::timestamptz)`,
    );
    this.guestSession = db
      .with(newUser)
      .insert(sessions)
      .values({
        tokenHash: sql.placeholder('tokenHash'),
        userId: sql.placeholder('userId'),
        createdAt: sql`${sql.placeholder('createdAt')}::timestamptz`,
        expiresAt: sql`${sql.placeholder('expiresAt')}::timestamptz`,
      })
      .prepare('guest_session');
    this.accounts = accountStore(db);
    this.profiles = profileStore(db);
    this.follows = followStore(db);
    this.invites = inviteStore(db);
    this.emailTokens = emailTokenStore(db);
    this.apiTokens = apiTokenStore(db);
    this.settings = settingsStore(db);
    this.moderation = moderationStore(db);
    this.scheduling = schedulingStore(db);
    this.notifications = notificationStore(db);
    this.jobs = jobStore(db);
  }

  /** Open the database, apply pending migrations and return a store. */
  static async open(options: DatabaseOptions): Promise<SqlStore> {
    const database = await openDatabase(options);
    try {
      await migrate(database);
    } catch (error) {
      await database.close();
      throw error;
    }
    return new SqlStore(database);
  }

  /** Which driver is underneath. */
  get driver(): Database['driver'] {
    return this.database.driver;
  }

  readonly users: Store['users'] = {
    create: async (user) => {
      await this.db.insert(users).values(user);
    },
    get: async (id) => {
      const rows = await this.db.select().from(users).where(eq(users.id, id)).limit(1);
      return rows[0] ?? null;
    },
  };

  readonly sessions: Store['sessions'] = {
    create: async (session) => {
      await this.db.insert(sessions).values(session);
    },
    createWithUser: async (user, session) => {
      await this.guestSession.execute({
        userId: user.id,
        displayName: user.displayName,
        kind: user.kind,
        userCreatedAt: user.createdAt.toISOString(),
        tokenHash: session.tokenHash,
        createdAt: session.createdAt.toISOString(),
        expiresAt: session.expiresAt.toISOString(),
      });
    },
    findUser: async (tokenHash, now): Promise<UserRecord | null> => {
      const rows = await this.sessionUser.execute({ tokenHash, now: now.toISOString() });
      return rows[0]?.user ?? null;
    },
    delete: async (tokenHash) => {
      await this.db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
    },
    deleteForUser: async (userId) => {
      const gone = await this.db.delete(sessions).where(eq(sessions.userId, userId)).returning({ tokenHash: sessions.tokenHash });
      return gone.length;
    },
    deleteExpired: async (now) => {
      const gone = await this.db.delete(sessions).where(lte(sessions.expiresAt, now)).returning({ tokenHash: sessions.tokenHash });
      return gone.length;
    },
  };

  readonly rooms: Store['rooms'] = {
    create: async (room) => {
      await this.db.insert(rooms).values(room);
    },
    get: async (id) => {
      const rows = await this.roomQuery().where(eq(rooms.id, id)).limit(1);
      return rows[0] ? withHost(rows[0]) : null;
    },
    listByStatus: async (status: RoomStatus, limit: number) => {
      const rows = await this.roomQuery().where(eq(rooms.status, status)).orderBy(desc(rooms.createdAt)).limit(limit);
      return rows.map(withHost);
    },
    end: async (id, at) => {
      const changed = await this.db
        .update(rooms)
        .set({ status: 'ended', endedAt: at })
        .where(and(eq(rooms.id, id), eq(rooms.status, 'live')))
        .returning({ id: rooms.id });
      return changed.length > 0;
    },
  };

  private roomQuery() {
    return this.db.select({ room: rooms, hostName: users.displayName }).from(rooms).innerJoin(users, eq(users.id, rooms.hostId));
  }

  close(): Promise<void> {
    return this.database.close();
  }
}

function withHost(row: { room: RoomRecord; hostName: string }): RoomWithHost {
  return { ...row.room, hostName: row.hostName };
}
