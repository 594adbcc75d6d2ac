import { ParleyError, type ApiToken, type User } from '@parley/protocol';
import type { ApiTokenRecord } from './accounts-ports';
import { apiTokenPrefix } from './identity';
import { hashToken, newId, newToken } from './ids';
import type { Store } from './ports';

/** A person may hold this many tokens at once. */
export const maxApiTokens = 20;

/**
 * Personal API tokens: a member creates one per bot or script and revokes it when done. The secret
 * is shown once; only its hash is stored. A token acts as its owner (HTTP and the WebSocket) until
 * revoked.
 */
export class ApiTokenService {
  constructor(
    private readonly store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async list(user: User): Promise<ApiToken[]> {
    return (await this.store.apiTokens.listForUser(user.id)).map(toApiToken);
  }

  /** Create a token; returns it with its secret. */
  async create(user: User, name: string): Promise<{ token: ApiToken; secret: string }> {
    if (user.kind !== 'member') throw new ParleyError('forbidden', 'Sign in with an account to create API tokens.');
    if ((await this.store.apiTokens.listForUser(user.id)).length >= maxApiTokens) {
      throw new ParleyError('conflict', `You have ${maxApiTokens} tokens already. Revoke one you no longer use.`);
    }
    const secret = `${apiTokenPrefix}${newToken()}`;
    const record: ApiTokenRecord = { id: newId(), userId: user.id, name, tokenHash: hashToken(secret), createdAt: this.clock(), lastUsedAt: null };
    await this.store.apiTokens.create(record);
    return { token: toApiToken(record), secret };
  }

  /** Revoke a token: it stops working at once. */
  async revoke(user: User, id: string): Promise<void> {
    if (!(await this.store.apiTokens.delete(id, user.id))) throw new ParleyError('not_found', 'You have no token with this id.');
  }
}

function toApiToken(record: ApiTokenRecord): ApiToken {
  return { id: record.id, name: record.name, createdAt: record.createdAt.toISOString(), lastUsedAt: record.lastUsedAt?.toISOString() ?? null };
}
