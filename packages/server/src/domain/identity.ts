import { ParleyError, type User } from '@parley/protocol';
import { hashToken, newId, newToken } from './ids';
import type { SessionRecord, Store, UserRecord } from './ports';

/** A new sign-in: the token goes into the cookie, never into storage. */
export interface StartedSession {
  token: string;
  user: User;
  expiresAt: Date;
}

/** Personal API tokens start with this, so a leaked one is recognisable (secret scanners, logs). */
export const apiTokenPrefix = 'parley_';

/**
 * Who is who. A visitor either picks a display name and becomes a guest user with a session, or signs
 * in to an account (AccountService), which starts the same kind of session for a `member` user; bots
 * present a personal API token instead. Everything downstream (rooms, WebSocket) only ever sees a
 * {@link User}.
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
    const { token, record } = this.newSession(user.id, now);
    await this.store.sessions.createWithUser(user, record);
    return { token, user: toUser(user), expiresAt: record.expiresAt };
  }

  /** The user behind a session token, or null when unknown, expired, or the account is suspended. */
  async authenticate(token: string | undefined): Promise<User | null> {
    if (!token || token.length > 128) return null;
    return this.unlessSuspended(await this.store.sessions.findUser(hashToken(token), this.clock()));
  }

  /** The user behind a personal API token (`Authorization: Bearer parley_…`), or null (also while suspended). */
  async authenticateApiToken(secret: string): Promise<User | null> {
    if (!secret.startsWith(apiTokenPrefix) || secret.length > 128) return null;
    return this.unlessSuspended(await this.store.apiTokens.findUser(hashToken(secret), this.clock()));
  }

  /**
   * Suspension ends sessions at once, and a suspended account's API tokens stop working (they are
   * kept, so they work again if an admin lifts the suspension). Guests cannot be suspended.
   */
  private async unlessSuspended(user: UserRecord | null): Promise<User | null> {
    if (!user) return null;
    if (user.kind === 'member' && (await this.store.moderation.suspensions.isSuspended(user.id))) return null;
    return toUser(user);
  }

  /** Sign out: the token stops working at once. */
  async endSession(token: string): Promise<void> {
    await this.store.sessions.delete(hashToken(token));
  }

  /** Sign out everywhere: every session of the user stops working at once. Returns how many ended. */
  async endAllSessions(userId: string): Promise<number> {
    return this.store.sessions.deleteForUser(userId);
  }

  /** Start a session for a user who proved who they are (guest creation, password, sign-up); never for a suspended account. */
  async startSession(user: UserRecord): Promise<StartedSession> {
    if (user.kind === 'member' && (await this.store.moderation.suspensions.isSuspended(user.id))) {
      throw new ParleyError('forbidden', 'This account is suspended by an admin of this server.');
    }
    const { token, record } = this.newSession(user.id, this.clock());
    await this.store.sessions.create(record);
    return { token, user: toUser(user), expiresAt: record.expiresAt };
  }

  /** A fresh session token and the record that stores its hash. */
  private newSession(userId: string, now: Date): { token: string; record: SessionRecord } {
    const token = newToken();
    return { token, record: { tokenHash: hashToken(token), userId, createdAt: now, expiresAt: new Date(now.getTime() + this.sessionDays * 86_400_000) } };
  }
}

/** The protocol's view of a stored user. */
export function toUser(record: UserRecord): User {
  return { id: record.id, displayName: record.displayName, kind: record.kind };
}
