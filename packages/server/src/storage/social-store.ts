import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { FollowStore, PersonRecord, ProfileStore, ProfileView, RelationshipRecord } from '../domain/accounts-ports';
import { isUniqueViolation, personColumns } from './accounts-store';
import type { Db } from './database';
import { avatars, follows, profiles, users } from './schema';

/**
 * Profiles and the follow graph over Drizzle. Every read of the graph is in this file (the counts of
 * {@link profileView}, {@link FollowStore.list} and `followedAmong`); the block list joins in here.
 */

/** `EXISTS` edge a → b, with either side a column or a value. */
function edge(from: SQL | string, to: SQL | string): SQL<boolean> {
  return sql<boolean>`exists (select 1 from follows f where f.follower_id = ${from} and f.followee_id = ${to})`;
}

/** How `viewerId` relates to the person in column `person`; null columns when there is no viewer. */
function relationshipColumns(viewerId: string | null, person: SQL) {
  if (viewerId === null) return { youFollow: sql<boolean | null>`null`, followsYou: sql<boolean | null>`null` };
  return { youFollow: edge(viewerId, person), followsYou: edge(person, viewerId) };
}

function relationshipOf(row: { youFollow: boolean | null; followsYou: boolean | null }, personId: string, viewerId: string | null): RelationshipRecord | null {
  if (viewerId === null || viewerId === personId) return null;
  return { youFollow: row.youFollow === true, followsYou: row.followsYou === true };
}

/** Profiles over Drizzle. */
export function profileStore(db: Db): ProfileStore {
  const inviterUser = alias(users, 'inviter_user');
  const inviterProfile = alias(profiles, 'inviter_profile');

  async function profileView(where: SQL, viewerId: string | null): Promise<ProfileView | null> {
    const rows = await db
      .select({
        person: personColumns(),
        bio: profiles.bio,
        joinedAt: profiles.joinedAt,
        inviterId: inviterUser.id,
        inviterName: inviterUser.displayName,
        inviterUsername: inviterProfile.username,
        inviterAvatar: inviterProfile.avatarVersion,
        followerCount: sql<number>`(select count(*) from follows f where f.followee_id = ${users.id})`.mapWith(Number),
        followingCount: sql<number>`(select count(*) from follows f where f.follower_id = ${users.id})`.mapWith(Number),
        ...relationshipColumns(viewerId, sql`${users.id}`),
      })
      .from(profiles)
      .innerJoin(users, eq(users.id, profiles.userId))
      .leftJoin(inviterUser, eq(inviterUser.id, profiles.invitedBy))
      .leftJoin(inviterProfile, eq(inviterProfile.userId, profiles.invitedBy))
      .where(where)
      .limit(1);
    const row = rows[0];
    if (!row) return null;
    const invitedBy: PersonRecord | null =
      row.inviterId !== null && row.inviterName !== null && row.inviterUsername !== null
        ? { id: row.inviterId, displayName: row.inviterName, username: row.inviterUsername, avatarVersion: row.inviterAvatar }
        : null;
    return {
      person: row.person,
      bio: row.bio,
      joinedAt: row.joinedAt,
      invitedBy,
      followerCount: row.followerCount,
      followingCount: row.followingCount,
      relationship: relationshipOf(row, row.person.id, viewerId),
    };
  }

  return {
    viewByUsername: (username, viewerId) => profileView(eq(profiles.usernameKey, username.toLowerCase()), viewerId),
    viewByUserId: (userId, viewerId) => profileView(eq(profiles.userId, userId), viewerId),
    get: async (userId) => {
      const rows = await db.select().from(profiles).where(eq(profiles.userId, userId)).limit(1);
      const row = rows[0];
      if (!row) return null;
      return { userId: row.userId, username: row.username, bio: row.bio, avatarVersion: row.avatarVersion, invitedBy: row.invitedBy, joinedAt: row.joinedAt };
    },
    update: async (userId, changes) => {
      try {
        await db.transaction(async (tx) => {
          const set: Partial<typeof profiles.$inferInsert> = {};
          if (changes.username !== undefined) {
            set.username = changes.username;
            set.usernameKey = changes.username.toLowerCase();
          }
          if (changes.bio !== undefined) set.bio = changes.bio;
          if (Object.keys(set).length > 0) await tx.update(profiles).set(set).where(eq(profiles.userId, userId));
          if (changes.displayName !== undefined) await tx.update(users).set({ displayName: changes.displayName }).where(eq(users.id, userId));
        });
        return 'updated';
      } catch (error) {
        if (isUniqueViolation(error)) return 'username_taken';
        throw error;
      }
    },
    setAvatar: async (userId, avatar) => {
      await db.transaction(async (tx) => {
        if (avatar === null) {
          await tx.delete(avatars).where(eq(avatars.userId, userId));
        } else {
          const { userId: _owner, ...fields } = avatar;
          await tx.insert(avatars).values(avatar).onConflictDoUpdate({ target: avatars.userId, set: fields });
        }
        await tx.update(profiles).set({ avatarVersion: avatar?.version ?? null }).where(eq(profiles.userId, userId));
      });
    },
    getAvatar: async (userId) => {
      const rows = await db.select().from(avatars).where(eq(avatars.userId, userId)).limit(1);
      const row = rows[0];
      return row ? { ...row, bytes: new Uint8Array(row.bytes) } : null;
    },
  };
}

/** The follow graph over Drizzle. */
export function followStore(db: Db): FollowStore {
  return {
    followedAmong: async (followerId, candidateIds) => {
      if (candidateIds.length === 0) return [];
      const rows = await db
        .select({ id: follows.followeeId })
        .from(follows)
        .where(and(eq(follows.followerId, followerId), inArray(follows.followeeId, [...candidateIds])));
      return rows.map((row) => row.id);
    },
    add: async (followerId, followeeId, at) => {
      const added = await db.insert(follows).values({ followerId, followeeId, createdAt: at }).onConflictDoNothing().returning({ id: follows.followerId });
      return added.length > 0;
    },
    remove: async (followerId, followeeId) => {
      const gone = await db
        .delete(follows)
        .where(and(eq(follows.followerId, followerId), eq(follows.followeeId, followeeId)))
        .returning({ id: follows.followerId });
      return gone.length > 0;
    },
    list: async ({ userId, direction, viewerId, after, limit }) => {
      // followers of X: edges ? → X, the person is the follower; following of X: edges X → ?.
      const person = direction === 'followers' ? follows.followerId : follows.followeeId;
      const subject = direction === 'followers' ? follows.followeeId : follows.followerId;
      const conditions: SQL[] = [eq(subject, userId)];
      // Blocked people are kept apart: a viewer sees nobody they block or who blocks them.
      if (viewerId !== null) conditions.push(sql`not exists (select 1 from blocks b where (b.blocker_id = ${viewerId} and b.blocked_id = ${person}) or (b.blocker_id = ${person} and b.blocked_id = ${viewerId}))`);
      if (after) conditions.push(sql`(${follows.createdAt}, ${person}) < (${after.at.toISOString()}::timestamptz, ${after.userId})`);
      const rows = await db
        .select({ person: personColumns(), followedAt: follows.createdAt, ...relationshipColumns(viewerId, sql`${person}`) })
        .from(follows)
        .innerJoin(users, eq(users.id, person))
        .innerJoin(profiles, eq(profiles.userId, person))
        .where(and(...conditions))
        .orderBy(desc(follows.createdAt), desc(person))
        .limit(limit);
      return rows.map((row) => ({ person: row.person, followedAt: row.followedAt, relationship: relationshipOf(row, row.person.id, viewerId) }));
    },
  };
}
