import { and, asc, count, desc, eq, gte, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import { alias, type PgColumn } from 'drizzle-orm/pg-core';
import type { PersonRecord } from '../domain/accounts-ports';
import type { AuditPersonRecord, AuditView, ModerationStore, ReportView, RoomRefRecord } from '../domain/moderation-ports';
import type { Db } from './database';
import { auditLog, blocks, reports, roomAccess, roomBans, suspensions } from './moderation-schema';
import { follows, profiles, rooms, users } from './schema';

/** The columns of a person (a user joined with their profile), from any alias of the two tables. */
interface PersonTables {
  user: { id: PgColumn; displayName: PgColumn };
  profile: { username: PgColumn; avatarVersion: PgColumn };
}

function personOf({ user, profile }: PersonTables) {
  return {
    id: sql<string>`${user.id}`,
    username: sql<string>`${profile.username}`,
    displayName: sql<string>`${user.displayName}`,
    avatarVersion: sql<string | null>`${profile.avatarVersion}`,
  };
}

/** Like {@link personOf}, for outer joins: every column may be null. */
function maybePersonOf({ user, profile }: PersonTables) {
  return {
    id: sql<string | null>`${user.id}`,
    username: sql<string | null>`${profile.username}`,
    displayName: sql<string | null>`${user.displayName}`,
    avatarVersion: sql<string | null>`${profile.avatarVersion}`,
  };
}

function toPerson(row: { id: string | null; username: string | null; displayName: string | null; avatarVersion: string | null }): PersonRecord | null {
  if (row.id === null || row.username === null || row.displayName === null) return null;
  return { id: row.id, username: row.username, displayName: row.displayName, avatarVersion: row.avatarVersion };
}

function toAuditPerson(id: string, row: { displayName: string | null; username: string | null }): AuditPersonRecord {
  // The log outlives what it names; a person gone from the database still has an id.
  return { id, displayName: row.displayName ?? 'Unknown person', username: row.username };
}

function toRoomRef(row: { id: string | null; title: string | null; status: RoomRefRecord['status'] | null }): RoomRefRecord | null {
  return row.id !== null && row.title !== null && row.status !== null ? { id: row.id, title: row.title, status: row.status } : null;
}

/** The safety tables over Drizzle (PGlite and Postgres alike). */
export function moderationStore(db: Db): ModerationStore {
  return {
    blocks: {
      add: (blockerId, blockedId, at) =>
        db.transaction(async (tx) => {
          const added = await tx.insert(blocks).values({ blockerId, blockedId, createdAt: at }).onConflictDoNothing().returning({ id: blocks.blockerId });
          await tx
            .delete(follows)
            .where(
              or(
                and(eq(follows.followerId, blockerId), eq(follows.followeeId, blockedId)),
                and(eq(follows.followerId, blockedId), eq(follows.followeeId, blockerId)),
              ),
            );
          return added.length > 0;
        }),
      remove: async (blockerId, blockedId) => {
        const gone = await db
          .delete(blocks)
          .where(and(eq(blocks.blockerId, blockerId), eq(blocks.blockedId, blockedId)))
          .returning({ id: blocks.blockerId });
        return gone.length > 0;
      },
      has: async (blockerId, blockedId) => {
        const rows = await db
          .select({ id: blocks.blockerId })
          .from(blocks)
          .where(and(eq(blocks.blockerId, blockerId), eq(blocks.blockedId, blockedId)))
          .limit(1);
        return rows.length > 0;
      },
      between: async (a, b) => {
        const rows = await db
          .select({ id: blocks.blockerId })
          .from(blocks)
          .where(or(and(eq(blocks.blockerId, a), eq(blocks.blockedId, b)), and(eq(blocks.blockerId, b), eq(blocks.blockedId, a))))
          .limit(1);
        return rows.length > 0;
      },
      listBlocked: async (blockerId) => {
        const rows = await db
          .select({ person: personOf({ user: users, profile: profiles }) })
          .from(blocks)
          .innerJoin(users, eq(users.id, blocks.blockedId))
          .innerJoin(profiles, eq(profiles.userId, blocks.blockedId))
          .where(eq(blocks.blockerId, blockerId))
          .orderBy(desc(blocks.createdAt), desc(blocks.blockedId));
        return rows.map((row) => row.person);
      },
      relations: async (userId) => {
        const rows = await db
          .select({ blockerId: blocks.blockerId, blockedId: blocks.blockedId })
          .from(blocks)
          .where(or(eq(blocks.blockerId, userId), eq(blocks.blockedId, userId)));
        const blocking = new Set<string>();
        const blockedBy = new Set<string>();
        for (const row of rows) {
          if (row.blockerId === userId) blocking.add(row.blockedId);
          else blockedBy.add(row.blockerId);
        }
        return { blocks: blocking, blockedBy };
      },
      blockersAmong: async (userId, blockerIds) => {
        if (blockerIds.length === 0) return [];
        const rows = await db
          .select({ id: blocks.blockerId })
          .from(blocks)
          .where(and(eq(blocks.blockedId, userId), inArray(blocks.blockerId, [...blockerIds])));
        return rows.map((row) => row.id);
      },
      blockedAmong: async (blockerId, candidateIds) => {
        if (candidateIds.length === 0) return [];
        const rows = await db
          .select({ id: blocks.blockedId })
          .from(blocks)
          .where(and(eq(blocks.blockerId, blockerId), inArray(blocks.blockedId, [...candidateIds])));
        return rows.map((row) => row.id);
      },
    },

    access: {
      grant: async (roomId, userId, by, at) => {
        const added = await db.insert(roomAccess).values({ roomId, userId, addedBy: by, addedAt: at }).onConflictDoNothing().returning({ id: roomAccess.userId });
        return added.length > 0;
      },
      revoke: async (roomId, userId) => {
        const gone = await db
          .delete(roomAccess)
          .where(and(eq(roomAccess.roomId, roomId), eq(roomAccess.userId, userId)))
          .returning({ id: roomAccess.userId });
        return gone.length > 0;
      },
      has: async (roomId, userId) => {
        const rows = await db
          .select({ id: roomAccess.userId })
          .from(roomAccess)
          .where(and(eq(roomAccess.roomId, roomId), eq(roomAccess.userId, userId)))
          .limit(1);
        return rows.length > 0;
      },
      list: async (roomId) => {
        const rows = await db
          .select({ person: personOf({ user: users, profile: profiles }), addedAt: roomAccess.addedAt })
          .from(roomAccess)
          .innerJoin(users, eq(users.id, roomAccess.userId))
          .innerJoin(profiles, eq(profiles.userId, roomAccess.userId))
          .where(eq(roomAccess.roomId, roomId))
          .orderBy(desc(roomAccess.addedAt), desc(roomAccess.userId));
        return rows;
      },
    },

    bans: {
      add: async (roomId, userId, by, at) => {
        await db.insert(roomBans).values({ roomId, userId, bannedBy: by, bannedAt: at }).onConflictDoNothing();
      },
      list: async (roomId) => {
        const rows = await db.select({ id: roomBans.userId }).from(roomBans).where(eq(roomBans.roomId, roomId));
        return rows.map((row) => row.id);
      },
      roomsAmong: async (userId, roomIds) => {
        if (roomIds.length === 0) return [];
        const rows = await db
          .select({ id: roomBans.roomId })
          .from(roomBans)
          .where(and(eq(roomBans.userId, userId), inArray(roomBans.roomId, [...roomIds])));
        return rows.map((row) => row.id);
      },
    },

    reports: reportStore(db),

    suspensions: {
      add: async (suspension) => {
        const added = await db.insert(suspensions).values(suspension).onConflictDoNothing().returning({ id: suspensions.userId });
        return added.length > 0;
      },
      remove: async (userId) => {
        const gone = await db.delete(suspensions).where(eq(suspensions.userId, userId)).returning({ id: suspensions.userId });
        return gone.length > 0;
      },
      isSuspended: async (userId) => {
        const rows = await db.select({ id: suspensions.userId }).from(suspensions).where(eq(suspensions.userId, userId)).limit(1);
        return rows.length > 0;
      },
      list: async () => {
        const byUser = alias(users, 'by_user');
        const byProfile = alias(profiles, 'by_profile');
        const rows = await db
          .select({
            person: personOf({ user: users, profile: profiles }),
            by: maybePersonOf({ user: byUser, profile: byProfile }),
            reason: suspensions.reason,
            at: suspensions.suspendedAt,
          })
          .from(suspensions)
          .innerJoin(users, eq(users.id, suspensions.userId))
          .innerJoin(profiles, eq(profiles.userId, suspensions.userId))
          .leftJoin(byUser, eq(byUser.id, suspensions.suspendedBy))
          .leftJoin(byProfile, eq(byProfile.userId, suspensions.suspendedBy))
          .orderBy(desc(suspensions.suspendedAt), desc(suspensions.userId));
        return rows.map((row) => ({ person: row.person, reason: row.reason, by: toPerson(row.by), at: row.at }));
      },
    },

    audit: {
      append: async (entry) => {
        await db.insert(auditLog).values(entry);
      },
      list: async ({ roomId, after, limit }) => {
        const actorUser = alias(users, 'actor_user');
        const actorProfile = alias(profiles, 'actor_profile');
        const targetUser = alias(users, 'target_user');
        const targetProfile = alias(profiles, 'target_profile');
        const conditions: SQL[] = [];
        if (roomId !== null) conditions.push(eq(auditLog.roomId, roomId));
        if (after) conditions.push(sql`(${auditLog.at}, ${auditLog.id}) < (${after.at.toISOString()}::timestamptz, ${after.id})`);
        const rows = await db
          .select({
            entry: auditLog,
            actorName: actorUser.displayName,
            actorUsername: actorProfile.username,
            targetName: targetUser.displayName,
            targetUsername: targetProfile.username,
            roomId: rooms.id,
            roomTitle: rooms.title,
            roomStatus: rooms.status,
          })
          .from(auditLog)
          .leftJoin(actorUser, eq(actorUser.id, auditLog.actorId))
          .leftJoin(actorProfile, eq(actorProfile.userId, auditLog.actorId))
          .leftJoin(targetUser, eq(targetUser.id, auditLog.targetId))
          .leftJoin(targetProfile, eq(targetProfile.userId, auditLog.targetId))
          .leftJoin(rooms, eq(rooms.id, auditLog.roomId))
          .where(conditions.length > 0 ? and(...conditions) : undefined)
          .orderBy(desc(auditLog.at), desc(auditLog.id))
          .limit(limit);
        return rows.map(
          (row): AuditView => ({
            entry: row.entry,
            actor: toAuditPerson(row.entry.actorId, { displayName: row.actorName, username: row.actorUsername }),
            target: row.entry.targetId === null ? null : toAuditPerson(row.entry.targetId, { displayName: row.targetName, username: row.targetUsername }),
            room: toRoomRef({ id: row.roomId, title: row.roomTitle, status: row.roomStatus }),
          }),
        );
      },
    },
  };
}

/** Reports with the people and room they name, in one query per read. */
function reportStore(db: Db): ModerationStore['reports'] {
  const reporterUser = alias(users, 'reporter_user');
  const reporterProfile = alias(profiles, 'reporter_profile');
  const subjectUser = alias(users, 'subject_user');
  const subjectProfile = alias(profiles, 'subject_profile');
  const resolverUser = alias(users, 'resolver_user');
  const resolverProfile = alias(profiles, 'resolver_profile');

  const query = () =>
    db
      .select({
        report: reports,
        reporter: personOf({ user: reporterUser, profile: reporterProfile }),
        subject: personOf({ user: subjectUser, profile: subjectProfile }),
        subjectSuspended: sql<boolean>`exists (select 1 from suspensions s where s.user_id = ${reports.subjectId})`,
        resolver: maybePersonOf({ user: resolverUser, profile: resolverProfile }),
        roomId: rooms.id,
        roomTitle: rooms.title,
        roomStatus: rooms.status,
      })
      .from(reports)
      .innerJoin(reporterUser, eq(reporterUser.id, reports.reporterId))
      .innerJoin(reporterProfile, eq(reporterProfile.userId, reports.reporterId))
      .innerJoin(subjectUser, eq(subjectUser.id, reports.subjectId))
      .innerJoin(subjectProfile, eq(subjectProfile.userId, reports.subjectId))
      .leftJoin(resolverUser, eq(resolverUser.id, reports.resolvedBy))
      .leftJoin(resolverProfile, eq(resolverProfile.userId, reports.resolvedBy))
      .leftJoin(rooms, eq(rooms.id, reports.roomId));

  type Row = Awaited<ReturnType<ReturnType<typeof query>['execute']>>[number];
  const toView = (row: Row): ReportView => ({
    report: row.report,
    reporter: row.reporter,
    subject: row.subject,
    subjectSuspended: row.subjectSuspended === true,
    room: toRoomRef({ id: row.roomId, title: row.roomTitle, status: row.roomStatus }),
    resolver: toPerson(row.resolver),
  });

  return {
    create: async (report) => {
      await db.insert(reports).values(report);
    },
    get: async (id) => {
      const rows = await query().where(eq(reports.id, id)).limit(1);
      return rows[0] ? toView(rows[0]) : null;
    },
    list: async (status, limit) => {
      const rows =
        status === 'open'
          ? await query().where(eq(reports.status, 'open')).orderBy(asc(reports.createdAt), asc(reports.id)).limit(limit)
          : await query().where(ne(reports.status, 'open')).orderBy(desc(reports.resolvedAt), desc(reports.id)).limit(limit);
      return rows.map(toView);
    },
    resolve: async (id, resolution) => {
      const changed = await db
        .update(reports)
        .set({ status: resolution.status, resolvedBy: resolution.by, resolvedAt: resolution.at, resolutionNote: resolution.note })
        .where(and(eq(reports.id, id), eq(reports.status, 'open')))
        .returning({ id: reports.id });
      return changed.length > 0;
    },
    countByReporterSince: async (reporterId, since) => {
      const [row] = await db
        .select({ n: count() })
        .from(reports)
        .where(and(eq(reports.reporterId, reporterId), gte(reports.createdAt, since)));
      return row?.n ?? 0;
    },
  };
}
