import pino from 'pino';
import { DisplayName, Email, Password, Username } from '@parley/protocol';
import type { AccountInfo, User } from '@parley/protocol';
import { z } from 'zod';
import { createAccounts } from './accounts-root';
import { loadConfig, type Config } from './config';
import { IdentityService } from './domain/identity';
import { SqlStore } from './storage/store';

/** What `parley admin create-user` asks for. */
export interface CreateUserRequest {
  email: string;
  username: string;
  displayName: string;
  /** Omitted: the account has no password (a bot that uses API tokens; a reset link can set one). */
  password?: string | undefined;
  admin: boolean;
  /** Also create a personal API token with this name and return its secret. */
  tokenName?: string | undefined;
}

const CreateUserRequest = z.object({
  email: Email,
  username: Username,
  displayName: DisplayName,
  password: Password.optional(),
  admin: z.boolean(),
  tokenName: z.string().trim().min(1).max(60).optional(),
});

/**
 * Create an account straight in the database (`parley admin create-user`), for scripts and for the
 * first admin of a server set up without a browser. No invite is needed and the email counts as
 * verified: whoever runs this runs the server. It is an admin only with `admin: true`; while a server
 * has no admin, the first person to sign up in the browser becomes one.
 */
export async function createUser(config: Partial<Config>, request: CreateUserRequest): Promise<{ user: User; account: AccountInfo; token?: string }> {
  const parsed = CreateUserRequest.safeParse(request);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `--${String(i.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${i.message}`).join('; '));
  const input = parsed.data;
  const full = loadConfig({}, config);
  const logger = pino({ level: full.logLevel });
  const store = await SqlStore.open({ databaseUrl: full.databaseUrl, dataDir: full.dataDir });
  const accounts = createAccounts(store, new IdentityService(store, full.sessionDays), full, logger);
  try {
    const created = await accounts.http.accounts.createUser({
      email: input.email,
      username: input.username,
      displayName: input.displayName,
      password: input.password ?? null,
      admin: input.admin,
    });
    if (!input.tokenName) return created;
    const { secret } = await accounts.http.tokens.create(created.user, input.tokenName);
    return { ...created, token: secret };
  } finally {
    await accounts.close();
    await store.close();
  }
}
