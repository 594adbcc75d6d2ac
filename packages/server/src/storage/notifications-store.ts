import { and, asc, desc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { NotificationChannels, NotificationKind } from '@parley/protocol';
import type { JobRecord, JobStore, NotificationRecord, NotificationStore } from '../domain/scheduling-ports';
import type { Db } from './database';
import { jobs, notificationPreferences, notifications } from './scheduling-schema';
import { personIndex } from './scheduling-store';

/** Notifications and preferences over Drizzle. */
export function notificationStore(db: Db): NotificationStore {
  async function views(rows: (typeof notifications.$inferSelect)[]) {
    const person = await personIndex(
      db,
      rows.flatMap((row) => [row.actorId, row.onBehalfOf]),
    );
    return rows.map((row) => ({ notification: row as NotificationRecord, actor: person(row.actorId), onBehalfOf: person(row.onBehalfOf) }));
  }

  return {
    insert: async (notification) => {
      const added = await db.insert(notifications).values(notification).onConflictDoNothing().returning({ id: notifications.id });
      return added.length > 0;
    },
    list: async (userId, { before, limit, unread }) => {
      const conditions = [eq(notifications.userId, userId)];
      if (unread) conditions.push(isNull(notifications.readAt));
      if (before) {
        const [cursor] = await db
          .select({ createdAt: notifications.createdAt, id: notifications.id })
          .from(notifications)
          .where(and(eq(notifications.id, before), eq(notifications.userId, userId)))
          .limit(1);
        if (!cursor) return [];
        conditions.push(sql`(${notifications.createdAt}, ${notifications.id}) < (${cursor.createdAt.toISOString()}::timestamptz, ${cursor.id})`);
      }
      const rows = await db
        .select()
        .from(notifications)
        .where(and(...conditions))
        .orderBy(desc(notifications.createdAt), desc(notifications.id))
        .limit(limit);
      return views(rows);
    },
    get: async (id) => {
      const rows = await db.select().from(notifications).where(eq(notifications.id, id)).limit(1);
      return (await views(rows))[0] ?? null;
    },
    unreadCount: async (userId) => {
      const [row] = await db
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(notifications)
        .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
      return row?.n ?? 0;
    },
    markRead: async (userId, ids, at) => {
      const which = ids === 'all' ? undefined : inArray(notifications.id, [...ids]);
      const changed = await db
        .update(notifications)
        .set({ readAt: at })
        .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), which))
        .returning({ id: notifications.id });
      return changed.length;
    },
    preferences: async (userId) => {
      const rows = await db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId));
      const preferences: Partial<Record<NotificationKind, NotificationChannels>> = {};
      for (const row of rows) preferences[row.kind as NotificationKind] = { inApp: row.inApp, email: row.email };
      return preferences;
    },
    setPreferences: async (userId, preferences) => {
      const rows = Object.entries(preferences).map(([kind, channels]) => ({ userId, kind, inApp: channels.inApp, email: channels.email }));
      if (rows.length === 0) return;
      await db
        .insert(notificationPreferences)
        .values(rows)
        .onConflictDoUpdate({
          target: [notificationPreferences.userId, notificationPreferences.kind],
          set: { inApp: sql`excluded.in_app`, email: sql`excluded.email` },
        });
    },
  };
}

function toJob(row: typeof jobs.$inferSelect): JobRecord {
  return { id: row.id, kind: row.kind, key: row.key, payload: row.payload, runAt: row.runAt, attempts: row.attempts, lastError: row.lastError };
}

/**
 * Durable jobs over Drizzle. Claiming is one UPDATE over a `FOR UPDATE SKIP LOCKED` sub-select, so
 * concurrent workers (other processes on Postgres) never claim the same job; a claim is a lease, so a
 * job whose worker died is claimed again once the lease runs out.
 */
export function jobStore(db: Db): JobStore {
  return {
    schedule: async (job) => {
      await db
        .insert(jobs)
        .values({ ...job, attempts: 0 })
        .onConflictDoUpdate({
          target: jobs.key,
          set: { kind: job.kind, payload: job.payload, runAt: job.runAt, attempts: 0, lockedBy: null, lockedUntil: null, lastError: null },
        });
    },
    cancel: async (key) => (await db.delete(jobs).where(eq(jobs.key, key)).returning({ id: jobs.id })).length > 0,
    claim: async (workerId, now, leaseMs, limit) => {
      const due = db
        .select({ id: jobs.id })
        .from(jobs)
        .where(and(lte(jobs.runAt, now), or(isNull(jobs.lockedUntil), lt(jobs.lockedUntil, now))))
        .orderBy(asc(jobs.runAt))
        .limit(limit)
        .for('update', { skipLocked: true });
      const claimed = await db
        .update(jobs)
        .set({ lockedBy: workerId, lockedUntil: new Date(now.getTime() + leaseMs), attempts: sql`${jobs.attempts} + 1` })
        .where(inArray(jobs.id, due))
        .returning();
      return claimed.sort((a, b) => a.runAt.getTime() - b.runAt.getTime()).map(toJob);
    },
    complete: async (id, workerId) => (await db.delete(jobs).where(and(eq(jobs.id, id), eq(jobs.lockedBy, workerId))).returning({ id: jobs.id })).length > 0,
    fail: async (id, workerId, error, retryAt) => {
      await db
        .update(jobs)
        .set({ runAt: retryAt, lockedBy: null, lockedUntil: null, lastError: error.slice(0, 2000) })
        .where(and(eq(jobs.id, id), eq(jobs.lockedBy, workerId)));
    },
    nextRunAt: async () => {
      const [row] = await db.select({ at: sql<string | null>`min(${jobs.runAt})` }).from(jobs);
      return row?.at ? new Date(row.at) : null;
    },
  };
}
