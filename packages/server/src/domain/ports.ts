import type { RoomStatus, RoomType } from '@parley/protocol';

/** A person as stored. */
export interface UserRecord {
  id: string;
  displayName: string;
  kind: 'guest' | 'member';
  createdAt: Date;
}

/** A sign-in as stored: only the hash of the cookie's token is kept. */
export interface SessionRecord {
  tokenHash: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
}

/** A room's durable record. */
export interface RoomRecord {
  id: string;
  title: string;
  type: RoomType;
  status: RoomStatus;
  hostId: string;
  createdAt: Date;
  endedAt: Date | null;
}

/** A room record with its host's display name, for listings. */
export interface RoomWithHost extends RoomRecord {
  hostName: string;
}

/**
 * The storage port: the state of record. Implemented once with Drizzle over PGlite or Postgres
 * (src/storage); the contract suite runs the same tests against both.
 */
export interface Store {
  users: {
    create(user: UserRecord): Promise<void>;
    get(id: string): Promise<UserRecord | null>;
  };
  sessions: {
    create(session: SessionRecord): Promise<void>;
    /** The user of an unexpired session, or null. */
    findUser(tokenHash: string, now: Date): Promise<UserRecord | null>;
    delete(tokenHash: string): Promise<void>;
    /** Remove expired sessions; returns how many went. */
    deleteExpired(now: Date): Promise<number>;
  };
  rooms: {
    create(room: RoomRecord): Promise<void>;
    get(id: string): Promise<RoomWithHost | null>;
    /** Rooms with the given status, newest first. */
    listByStatus(status: RoomStatus, limit: number): Promise<RoomWithHost[]>;
    /** Mark a live room ended; false when it was not live. */
    end(id: string, at: Date): Promise<boolean>;
  };
  /** Close the connection (PGlite must be closed or the process can hang on exit). */
  close(): Promise<void>;
}
