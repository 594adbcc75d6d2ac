import { and, asc, desc, eq, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import { alias, type AnyPgColumn } from 'drizzle-orm/pg-core';
import type { PersonRecord } from '../domain/accounts-ports';
import type { StageGrant } from '../domain/live-room';
import type {
  ActRecord,
  ActStore,
  ActView,
  CalendarFeedStore,
  EventStore,
  EventView,
  PeopleStore,
  ScheduledEventRecord,
  StageGrantStore,
} from '../domain/scheduling-ports';
import { personColumns } from './accounts-store';
import type { Db } from './database';
import { accounts, follows, profiles, rooms, users } from './schema';
import { acts, calendarFeeds, eventHosts, eventRsvps, eventSpeakers, invitations, roomGrants, scheduledEvents, speakerLinks } from './scheduling-schema';

/** A transaction or the database: both run the same queries. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db;

/** Person columns of any alias of `users` joined with any alias of `profiles`. */
export function personColumnsOf<U extends { id: AnyPgColumn; displayName: AnyPgColumn }, P extends { username: AnyPgColumn; avatarVersion: AnyPgColumn }>(user: U, profile: P) {
  return { id: user.id as U['id'], username: profile.username as P['username'], displayName: user.displayName as U['displayName'], avatarVersion: profile.avatarVersion as P['avatarVersion'] };
}

/** Write an act (inside the caller's transaction). */
export async function insertAct(tx: Tx, act: ActRecord): Promise<void> {
  await tx.insert(acts).values(act);
}

/** Members by id, in no particular order (guests have no profile and are left out). */
export async function peopleByIds(db: Tx, ids: readonly string[]): Promise<PersonRecord[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  return db.select(personColumns()).from(users).innerJoin(profiles, eq(profiles.userId, users.id)).where(inArray(users.id, unique));
}

/** Look people up once and hand them out by id. */
export async function personIndex(db: Tx, ids: readonly (string | null)[]): Promise<(id: string | null) => PersonRecord | null> {
  const people = await peopleByIds(
    db,
    ids.filter((id): id is string => id !== null),
  );
  const byId = new Map(people.map((person) => [person.id, person]));
  return (id) => (id === null ? null : (byId.get(id) ?? null));
}

function eventRecord(row: typeof scheduledEvents.$inferSelect): ScheduledEventRecord {
  return { ...row };
}

/** Scheduled events over Drizzle. */
export function eventStore(db: Db): EventStore {
  /** Views of these events, hosts and speakers read in two queries for all of them. */
  async function views(rows: { event: typeof scheduledEvents.$inferSelect; roomStatus: EventView['roomStatus'] }[], viewerId: string | null): Promise<EventView[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.event.id);
    const [hostRows, speakerRows, rsvpRows, viewerRows] = await Promise.all([
      peopleOf(eventHosts, ids, eventHosts.position),
      peopleOf(eventSpeakers, ids, eventSpeakers.addedAt),
      db
        .select({ eventId: eventRsvps.eventId, n: sql<number>`count(*)`.mapWith(Number) })
        .from(eventRsvps)
        .where(inArray(eventRsvps.eventId, ids))
        .groupBy(eventRsvps.eventId),
      viewerId === null
        ? Promise.resolve([])
        : db
            .select({ eventId: eventRsvps.eventId })
            .from(eventRsvps)
            .where(and(inArray(eventRsvps.eventId, ids), eq(eventRsvps.userId, viewerId))),
    ]);
    const viewerRsvps = new Set(viewerRows.map((row) => row.eventId));
    return rows.map(({ event, roomStatus }) => ({
      event: eventRecord(event),
      hosts: hostRows.filter((row) => row.eventId === event.id).map((row) => row.person),
      speakers: speakerRows.filter((row) => row.eventId === event.id).map((row) => row.person),
      rsvpCount: rsvpRows.find((row) => row.eventId === event.id)?.n ?? 0,
      roomStatus,
      viewerRsvp: viewerRsvps.has(event.id),
    }));
  }

  /** The people on one of an event's lists (hosts, speakers), for several events, in the list's order. */
  function peopleOf(table: typeof eventHosts | typeof eventSpeakers, eventIds: string[], order: AnyPgColumn) {
    return db
      .select({ eventId: table.eventId, person: personColumns() })
      .from(table)
      .innerJoin(users, eq(users.id, table.userId))
      .innerJoin(profiles, eq(profiles.userId, table.userId))
      .where(inArray(table.eventId, eventIds))
      .orderBy(asc(order));
  }

  const eventQuery = () => db.select({ event: scheduledEvents, roomStatus: rooms.status }).from(scheduledEvents).leftJoin(rooms, eq(rooms.id, scheduledEvents.roomId));

  async function eventIdsWhere(table: typeof eventHosts | typeof eventSpeakers | typeof eventRsvps, userIds: string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    const rows = await db.select({ eventId: table.eventId }).from(table).where(inArray(table.userId, userIds));
    return rows.map((row) => row.eventId);
  }

  return {
    create: (event, hostIds, act) =>
      db.transaction(async (tx) => {
        await tx.insert(scheduledEvents).values(event);
        await tx.insert(eventHosts).values(hostIds.map((userId, position) => ({ eventId: event.id, userId, position, addedAt: event.createdAt })));
        await insertAct(tx, act);
      }),
    get: async (id, viewerId) => {
      const rows = await eventQuery().where(eq(scheduledEvents.id, id)).limit(1);
      return (await views(rows, viewerId))[0] ?? null;
    },
    findByRoom: async (roomId) => {
      const rows = await db.select().from(scheduledEvents).where(eq(scheduledEvents.roomId, roomId)).limit(1);
      return rows[0] ? eventRecord(rows[0]) : null;
    },
    update: (id, changes, at, act) =>
      db.transaction(async (tx) => {
        const { hostIds, ...fields } = changes;
        const changed = await tx
          .update(scheduledEvents)
          .set({ ...fields, updatedAt: at })
          .where(and(eq(scheduledEvents.id, id), isNull(scheduledEvents.roomId), isNull(scheduledEvents.cancelledAt)))
          .returning({ id: scheduledEvents.id });
        if (changed.length === 0) return false;
        if (hostIds) {
          await tx.delete(eventHosts).where(eq(eventHosts.eventId, id));
          await tx.insert(eventHosts).values(hostIds.map((userId, position) => ({ eventId: id, userId, position, addedAt: at })));
        }
        await insertAct(tx, act);
        return true;
      }),
    cancel: (id, at, act) =>
      db.transaction(async (tx) => {
        const changed = await tx
          .update(scheduledEvents)
          .set({ cancelledAt: at, updatedAt: at })
          .where(and(eq(scheduledEvents.id, id), isNull(scheduledEvents.roomId), isNull(scheduledEvents.cancelledAt)))
          .returning({ id: scheduledEvents.id });
        if (changed.length === 0) return false;
        await tx
          .update(invitations)
          .set({ status: 'withdrawn', decidedAt: at, decidedBy: act.actorId, decidedFor: act.principalId })
          .where(and(eq(invitations.eventId, id), eq(invitations.status, 'pending')));
        await insertAct(tx, act);
        return true;
      }),
    claimRoom: (id, roomId, at, act) =>
      db.transaction(async (tx) => {
        const claimed = await tx
          .update(scheduledEvents)
          .set({ roomId, liveAt: at, updatedAt: at })
          .where(and(eq(scheduledEvents.id, id), isNull(scheduledEvents.roomId), isNull(scheduledEvents.cancelledAt)))
          .returning({ id: scheduledEvents.id });
        if (claimed.length > 0) {
          await insertAct(tx, act);
          return { won: true, roomId };
        }
        const [existing] = await tx.select({ roomId: scheduledEvents.roomId }).from(scheduledEvents).where(eq(scheduledEvents.id, id)).limit(1);
        return existing?.roomId ? { won: false, roomId: existing.roomId } : null;
      }),
    releaseRoom: async (id, roomId) => {
      await db
        .update(scheduledEvents)
        .set({ roomId: null, liveAt: null })
        .where(and(eq(scheduledEvents.id, id), eq(scheduledEvents.roomId, roomId)));
    },
    setRsvp: async (eventId, userId, rsvp, at) => {
      if (rsvp) {
        const added = await db.insert(eventRsvps).values({ eventId, userId, createdAt: at }).onConflictDoNothing().returning({ id: eventRsvps.eventId });
        return added.length > 0;
      }
      const gone = await db
        .delete(eventRsvps)
        .where(and(eq(eventRsvps.eventId, eventId), eq(eventRsvps.userId, userId)))
        .returning({ id: eventRsvps.eventId });
      return gone.length > 0;
    },
    isHost: async (eventId, userId) => {
      const rows = await db
        .select({ id: eventHosts.userId })
        .from(eventHosts)
        .where(and(eq(eventHosts.eventId, eventId), eq(eventHosts.userId, userId)))
        .limit(1);
      return rows.length > 0;
    },
    audience: async (eventId) => {
      const [hosts, speakers, rsvps] = await Promise.all([
        db.select({ id: eventHosts.userId }).from(eventHosts).where(eq(eventHosts.eventId, eventId)),
        db.select({ id: eventSpeakers.userId }).from(eventSpeakers).where(eq(eventSpeakers.eventId, eventId)),
        db.select({ id: eventRsvps.userId }).from(eventRsvps).where(eq(eventRsvps.eventId, eventId)),
      ]);
      return [...new Set([...hosts, ...speakers, ...rsvps].map((row) => row.id))];
    },
    related: async ({ userIds, from, following, limit }) => {
      const followed = following && userIds[0] ? (await db.select({ id: follows.followeeId }).from(follows).where(eq(follows.followerId, userIds[0]))).map((r) => r.id) : [];
      const [hosting, speaking, rsvp, followedHosting] = await Promise.all([
        eventIdsWhere(eventHosts, userIds),
        eventIdsWhere(eventSpeakers, userIds),
        eventIdsWhere(eventRsvps, userIds),
        eventIdsWhere(eventHosts, followed),
      ]);
      const candidates = [...new Set([...hosting, ...speaking, ...rsvp, ...followedHosting])];
      if (candidates.length === 0) return [];
      const rows = await eventQuery()
        .where(and(inArray(scheduledEvents.id, candidates), isNull(scheduledEvents.cancelledAt), gte(scheduledEvents.startsAt, from)))
        .orderBy(asc(scheduledEvents.startsAt), asc(scheduledEvents.id))
        .limit(limit);
      const list = await views(rows, userIds[0] ?? null);
      return list.map((view) => ({
        view,
        relation: {
          hosting: hosting.includes(view.event.id),
          speaking: speaking.includes(view.event.id),
          rsvp: rsvp.includes(view.event.id),
          following: followedHosting.includes(view.event.id),
        },
      }));
    },
  };
}

/** Places on stage arranged outside rooms: derived from events, accepted pings and speaker links. */
export function stageGrantStore(db: Db): StageGrantStore {
  // One round trip, asked on every join: host or speaker of the room's event, a grant in the room, or
  // a speaker link used for the room or its event. A named prepared statement: its subqueries are
  // parsed and planned once per connection, not on every join.
  const roomId = sql.placeholder('roomId');
  const userId = sql.placeholder('userId');
  const eventOfRoom = sql`SELECT e.id FROM ${scheduledEvents} e WHERE e.room_id = ${roomId}`;
  const grantOf = db
    .select({
      host: sql<boolean>`EXISTS (SELECT 1 FROM ${eventHosts} h WHERE h.user_id = ${userId} AND h.event_id IN (${eventOfRoom}))`,
      speaker: sql<boolean>`EXISTS (SELECT 1 FROM ${eventSpeakers} s WHERE s.user_id = ${userId} AND s.event_id IN (${eventOfRoom}))`,
      granted: sql<string | null>`(SELECT g.role FROM ${roomGrants} g WHERE g.room_id = ${roomId} AND g.user_id = ${userId})`,
      link: sql<boolean>`EXISTS (
        SELECT 1 FROM ${speakerLinks} l
        WHERE l.used_by = ${userId} AND l.revoked_at IS NULL AND (l.room_id = ${roomId} OR l.event_id IN (${eventOfRoom}))
      )`,
    })
    .from(rooms)
    .where(eq(rooms.id, roomId))
    .prepare('stage_grant');
  return {
    grantIn: async (roomId, userId) => {
      const row = (await grantOf.execute({ roomId, userId }))[0];
      if (!row) return null;
      if (row.host || row.granted === 'moderator') return 'moderator' satisfies StageGrant;
      if (row.speaker || row.granted !== null || row.link) return 'speaker';
      return null;
    },
  };
}

/** Calendar feed tokens over Drizzle. */
export function calendarFeedStore(db: Db): CalendarFeedStore {
  return {
    set: async (userId, tokenHash, at) => {
      await db.insert(calendarFeeds).values({ userId, tokenHash, createdAt: at }).onConflictDoUpdate({ target: calendarFeeds.userId, set: { tokenHash, createdAt: at } });
    },
    get: async (userId) => {
      const rows = await db.select({ createdAt: calendarFeeds.createdAt }).from(calendarFeeds).where(eq(calendarFeeds.userId, userId)).limit(1);
      return rows[0] ?? null;
    },
    remove: async (userId) => (await db.delete(calendarFeeds).where(eq(calendarFeeds.userId, userId)).returning({ id: calendarFeeds.userId })).length > 0,
    findUser: async (tokenHash) => {
      const rows = await db.select({ userId: calendarFeeds.userId }).from(calendarFeeds).where(eq(calendarFeeds.tokenHash, tokenHash)).limit(1);
      return rows[0]?.userId ?? null;
    },
  };
}

/** People lookups over Drizzle. */
export function peopleStore(db: Db): PeopleStore {
  return {
    byIds: (ids) => peopleByIds(db, ids),
    byUsername: async (username) => {
      const rows = await db
        .select(personColumns())
        .from(profiles)
        .innerJoin(users, eq(users.id, profiles.userId))
        .where(eq(profiles.usernameKey, username.toLowerCase()))
        .limit(1);
      return rows[0] ?? null;
    },
    followingIds: async (userId) => (await db.select({ id: follows.followeeId }).from(follows).where(eq(follows.followerId, userId))).map((r) => r.id),
    followerIds: async (userIds) => {
      if (userIds.length === 0) return [];
      const rows = await db.selectDistinct({ id: follows.followerId }).from(follows).where(inArray(follows.followeeId, [...userIds]));
      return rows.map((r) => r.id);
    },
    emailOf: async (userId) => {
      const rows = await db.select({ email: accounts.email, verifiedAt: accounts.emailVerifiedAt }).from(accounts).where(eq(accounts.userId, userId)).limit(1);
      const row = rows[0];
      return row ? { email: row.email, verified: row.verifiedAt !== null } : null;
    },
  };
}

/** The record of acts over Drizzle. */
export function actStore(db: Db): ActStore {
  const actorUser = alias(users, 'actor_user');
  const actorProfile = alias(profiles, 'actor_profile');
  const principalUser = alias(users, 'principal_user');
  const principalProfile = alias(profiles, 'principal_profile');

  const query = () =>
    db
      .select({ act: acts, actor: personColumnsOf(actorUser, actorProfile), principal: personColumnsOf(principalUser, principalProfile) })
      .from(acts)
      .leftJoin(actorUser, eq(actorUser.id, acts.actorId))
      .leftJoin(actorProfile, eq(actorProfile.userId, acts.actorId))
      .leftJoin(principalUser, eq(principalUser.id, acts.principalId))
      .leftJoin(principalProfile, eq(principalProfile.userId, acts.principalId));

  const toView = (row: Awaited<ReturnType<typeof query>>[number]): ActView => ({
    act: row.act as ActRecord,
    actor: completePerson(row.actor),
    principal: completePerson(row.principal),
  });

  return {
    record: (act) => insertAct(db, act),
    forSubject: async (subjectId) => (await query().where(eq(acts.subjectId, subjectId)).orderBy(asc(acts.at), asc(acts.id))).map(toView),
    forPerson: async (userId, limit) =>
      (
        await query()
          .where(or(eq(acts.principalId, userId), eq(acts.actorId, userId)))
          .orderBy(desc(acts.at), desc(acts.id))
          .limit(limit)
      ).map(toView),
  };
}

/** A left-joined person: null unless both the user and the profile were found. */
export function completePerson(person: { id: string | null; username: string | null; displayName: string | null; avatarVersion: string | null } | null): PersonRecord | null {
  if (!person || person.id === null || person.username === null || person.displayName === null) return null;
  return { id: person.id, username: person.username, displayName: person.displayName, avatarVersion: person.avatarVersion };
}
