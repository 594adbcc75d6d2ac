import type { User } from '@parley/protocol';
import { hashToken, newId, newToken } from './ids';
import type { Store, UserRecord } from './ports';

/** A new sign-in: the token goes into the cookie, never into storage. */
export interface StartedSession {
  token: string;
  user: User;
  expiresAt: Date;
}

/**
 * Who is who. Today a visitor picks a display name and becomes a guest user with a session; accounts
 * (email and password) will add a second way to obtain the same kind of session for a `member` user,
 * so everything downstream (rooms, WebSocket) only ever sees a {@link User}.
 */
export class IdentityService {
  constructor(
    private readonly store: Store,
    private readonly sessionDays: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Create a guest user and a session for them. */
  async startGuestSession(displayName: string): Promise<StartedSession> {
    const now = this.clock();
    const user: UserRecord = { id: newId(), displayName, kind: 'guest', createdAt: now };
    await this.store.users.create(user);
    return this.startSession(user, now);
  }

  /** The user behind a session token, or null when unknown or expired. */
  async authenticate(token: string | undefined): Promise<User | null> {
    if (!token || token.length > 128) return null;
    const user = await this.store.sessions.findUser(hashToken(token), this.clock());
    return user ? toUser(user) : null;
  }

  /** Sign out: the token stops working at once. */
  async endSession(token: string): Promise<void> {
    await this.store.sessions.delete(hashToken(token));
  }

  private async startSession(user: UserRecord, now: Date): Promise<StartedSession> {
    const token = newToken();
    const expiresAt = new Date(now.getTime() + this.sessionDays * 86_400_000);
    await this.store.sessions.create({ tokenHash: hashToken(token), userId: user.id, createdAt: now, expiresAt });
    return { token, user: toUser(user), expiresAt };
  }
}

function toUser(record: UserRecord): User {
  return { id: record.id, displayName: record.displayName, kind: record.kind };
}
