import { and, count, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type {
  AccountStore,
  ApiTokenStore,
  EmailTokenStore,
  InviteStore,
  PersonRecord,
  RegistrationResult,
  SettingsStore,
} from '../domain/accounts-ports';
import type { Db } from './database';
import { accounts, apiTokens, emailTokens, invites, profiles, serverSettings, users } from './schema';

/** Serialises registrations, so that of two sign-ups on a fresh server exactly one becomes the admin. */
const registrationLockKey = 0x70726567; // "preg"

/** A token's last use is written at most this often, so a busy bot does not write on every request. */
const tokenUseResolutionMs = 60_000;

/** Postgres' unique_violation, as raised by both drivers (drizzle may wrap it in `cause`). */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/** Columns that make a {@link PersonRecord} from `users` joined with `profiles`. */
export function personColumns(user: typeof users = users, profile: typeof profiles = profiles) {
  return { id: user.id, username: profile.username, displayName: user.displayName, avatarVersion: profile.avatarVersion };
}

/** Accounts over Drizzle. */
export function accountStore(db: Db): AccountStore {
  return {
    register: (registration) =>
      db.transaction(async (tx): Promise<RegistrationResult> => {
        await tx.execute(sql`SELECT pg_advisory_xact_lock(${registrationLockKey})`);
        const [admins] = await tx.select({ n: count() }).from(accounts).where(eq(accounts.role, 'admin'));
        const first = registration.bootstrap && (admins?.n ?? 0) === 0;
        let invitedBy: string | null = null;
        if (registration.inviteCode !== null) {
          const [invite] = await tx
            .select({ inviterId: invites.inviterId })
            .from(invites)
            .where(and(eq(invites.code, registration.inviteCode), isNull(invites.redeemedAt)))
            .limit(1);
          if (!invite) return { kind: 'invite_invalid' };
          invitedBy = invite.inviterId;
        } else if (registration.inviteRequired && !first) {
          return { kind: 'invite_required' };
        }
        const email = await tx.select({ id: accounts.userId }).from(accounts).where(eq(accounts.email, registration.account.email)).limit(1);
        if (email.length > 0) return { kind: 'email_taken' };
        const usernameKey = registration.profile.username.toLowerCase();
        const name = await tx.select({ id: profiles.userId }).from(profiles).where(eq(profiles.usernameKey, usernameKey)).limit(1);
        if (name.length > 0) return { kind: 'username_taken' };

        const role = first || registration.admin ? 'admin' : 'member';
        await tx.insert(users).values(registration.user);
        await tx.insert(accounts).values({ ...registration.account, role });
        await tx.insert(profiles).values({ ...registration.profile, usernameKey, invitedBy });
        if (registration.inviteCode !== null) {
          await tx
            .update(invites)
            .set({ redeemedBy: registration.user.id, redeemedAt: registration.account.createdAt })
            .where(and(eq(invites.code, registration.inviteCode), isNull(invites.redeemedAt)));
        }
        return { kind: 'created', role, invitedBy };
      }),
    count: async (role) => {
      const [row] = await db.select({ n: count() }).from(accounts).where(role ? eq(accounts.role, role) : undefined);
      return row?.n ?? 0;
    },
    get: async (userId) => {
      const rows = await db.select().from(accounts).where(eq(accounts.userId, userId)).limit(1);
      return rows[0] ?? null;
    },
    findByEmail: async (email) => {
      const rows = await db.select({ account: accounts, user: users }).from(accounts).innerJoin(users, eq(users.id, accounts.userId)).where(eq(accounts.email, email)).limit(1);
      return rows[0] ?? null;
    },
    setPassword: async (userId, passwordHash) => {
      await db.update(accounts).set({ passwordHash }).where(eq(accounts.userId, userId));
    },
    markEmailVerified: async (userId, email, at) => {
      const changed = await db
        .update(accounts)
        .set({ emailVerifiedAt: at })
        .where(and(eq(accounts.userId, userId), eq(accounts.email, email)))
        .returning({ id: accounts.userId });
      return changed.length > 0;
    },
  };
}

/** Invites over Drizzle. */
export function inviteStore(db: Db): InviteStore {
  const redeemerUser = alias(users, 'redeemer_user');
  const redeemerProfile = alias(profiles, 'redeemer_profile');
  return {
    createWithinQuota: async (invite, limit) => {
      if (limit === null) {
        await db.insert(invites).values(invite);
        return true;
      }
      // One statement, so the count and the insert see the same rows.
      const inserted = await db.execute(sql`
        INSERT INTO invites (code, inviter_id, email, created_at, redeemed_by, redeemed_at)
        SELECT ${invite.code}, ${invite.inviterId}, ${invite.email}, ${invite.createdAt.toISOString()}::timestamptz, NULL, NULL
        WHERE (SELECT count(*) FROM invites WHERE inviter_id = ${invite.inviterId}) < ${limit}
        RETURNING code`);
      return rowCount(inserted) > 0;
    },
    listByInviter: async (inviterId) => {
      const rows = await db
        .select({
          invite: invites,
          redeemerId: redeemerUser.id,
          redeemerName: redeemerUser.displayName,
          redeemerUsername: redeemerProfile.username,
          redeemerAvatar: redeemerProfile.avatarVersion,
        })
        .from(invites)
        .leftJoin(redeemerUser, eq(redeemerUser.id, invites.redeemedBy))
        .leftJoin(redeemerProfile, eq(redeemerProfile.userId, invites.redeemedBy))
        .where(eq(invites.inviterId, inviterId))
        .orderBy(desc(invites.createdAt), desc(invites.code));
      return rows.map((row) => ({
        ...row.invite,
        redeemer:
          row.redeemerId !== null && row.redeemerName !== null && row.redeemerUsername !== null
            ? { id: row.redeemerId, displayName: row.redeemerName, username: row.redeemerUsername, avatarVersion: row.redeemerAvatar }
            : null,
      }));
    },
    countByInviter: async (inviterId) => {
      const [row] = await db.select({ n: count() }).from(invites).where(eq(invites.inviterId, inviterId));
      return row?.n ?? 0;
    },
    findOpen: async (code) => {
      const rows = await db
        .select({ invite: invites, inviter: personColumns() })
        .from(invites)
        .innerJoin(users, eq(users.id, invites.inviterId))
        .innerJoin(profiles, eq(profiles.userId, invites.inviterId))
        .where(and(eq(invites.code, code), isNull(invites.redeemedAt)))
        .limit(1);
      const row = rows[0];
      return row ? { invite: row.invite, inviter: row.inviter satisfies PersonRecord } : null;
    },
    withdraw: async (code, inviterId) => {
      const gone = await db
        .delete(invites)
        .where(and(eq(invites.code, code), eq(invites.inviterId, inviterId), isNull(invites.redeemedAt)))
        .returning({ code: invites.code });
      return gone.length > 0;
    },
  };
}

/** One-time link tokens over Drizzle. */
export function emailTokenStore(db: Db): EmailTokenStore {
  return {
    create: async (token) => {
      await db.insert(emailTokens).values(token);
    },
    consume: async (tokenHash, purpose, now) => {
      // One conditional update: two clicks on the same link cannot both succeed.
      const used = await db
        .update(emailTokens)
        .set({ usedAt: now })
        .where(and(eq(emailTokens.tokenHash, tokenHash), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now)))
        .returning();
      return used[0] ?? null;
    },
  };
}

/** Personal API tokens over Drizzle. */
export function apiTokenStore(db: Db): ApiTokenStore {
  return {
    create: async (token) => {
      await db.insert(apiTokens).values(token);
    },
    listForUser: (userId) => db.select().from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.createdAt), desc(apiTokens.id)),
    delete: async (id, userId) => {
      const gone = await db.delete(apiTokens).where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId))).returning({ id: apiTokens.id });
      return gone.length > 0;
    },
    findUser: async (tokenHash, now) => {
      const rows = await db.select({ user: users, lastUsedAt: apiTokens.lastUsedAt }).from(apiTokens).innerJoin(users, eq(users.id, apiTokens.userId)).where(eq(apiTokens.tokenHash, tokenHash)).limit(1);
      const row = rows[0];
      if (!row) return null;
      if (row.lastUsedAt === null || now.getTime() - row.lastUsedAt.getTime() >= tokenUseResolutionMs) {
        const stale = new Date(now.getTime() - tokenUseResolutionMs);
        await db
          .update(apiTokens)
          .set({ lastUsedAt: now })
          .where(and(eq(apiTokens.tokenHash, tokenHash), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, stale))));
      }
      return row.user;
    },
  };
}

/** Server settings over Drizzle. */
export function settingsStore(db: Db): SettingsStore {
  return {
    get: async (key) => {
      const rows = await db.select({ value: serverSettings.value }).from(serverSettings).where(eq(serverSettings.key, key)).limit(1);
      return rows[0]?.value ?? null;
    },
    set: async (key, value) => {
      await db.insert(serverSettings).values({ key, value }).onConflictDoUpdate({ target: serverSettings.key, set: { value } });
    },
  };
}

/** Rows affected by a raw statement: node-postgres reports `rowCount`, PGlite `affectedRows` and `rows`. */
function rowCount(result: unknown): number {
  const r = result as { rowCount?: number | null; affectedRows?: number; rows?: unknown[] };
  return r.rows?.length ?? r.rowCount ?? r.affectedRows ?? 0;
}
