import { and, arrayContains, asc, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { newId } from '../domain/ids';
import type {
  DelegationRecord,
  DelegationStore,
  DelegationView,
  InvitationRecord,
  InvitationStore,
  InvitationView,
  SpeakerLinkRecord,
  SpeakerLinkStore,
  SpeakerLinkView,
  ThreadMessageRecord,
} from '../domain/scheduling-ports';
import { isUniqueViolation } from './accounts-store';
import type { Db } from './database';
import { invites, profiles, rooms, users } from './schema';
import { delegations, eventSpeakers, invitationMessages, invitations, roomGrants, scheduledEvents, speakerLinks } from './scheduling-schema';
import { insertAct, personColumnsOf, personIndex, type Tx } from './scheduling-store';

/** Invitations and their threads over Drizzle. */
export function invitationStore(db: Db): InvitationStore {
  const eventRoom = alias(rooms, 'event_room');

  const query = () =>
    db
      .select({
        invitation: invitations,
        event: {
          id: scheduledEvents.id,
          title: scheduledEvents.title,
          startsAt: scheduledEvents.startsAt,
          timeZone: scheduledEvents.timeZone,
          cancelledAt: scheduledEvents.cancelledAt,
          roomId: scheduledEvents.roomId,
        },
        eventRoomStatus: eventRoom.status,
        room: { id: rooms.id, title: rooms.title, status: rooms.status },
        messageCount: sql<number>`(select count(*) from invitation_messages m where m.invitation_id = ${invitations.id})`.mapWith(Number),
      })
      .from(invitations)
      .leftJoin(scheduledEvents, eq(scheduledEvents.id, invitations.eventId))
      .leftJoin(eventRoom, eq(eventRoom.id, scheduledEvents.roomId))
      .leftJoin(rooms, eq(rooms.id, invitations.roomId));

  async function views(rows: Awaited<ReturnType<typeof query>>): Promise<InvitationView[]> {
    const person = await personIndex(
      db,
      rows.flatMap(({ invitation: i }) => [i.inviterId, i.inviteeId, i.createdBy, i.decidedBy, i.decidedFor]),
    );
    return rows.flatMap((row): InvitationView[] => {
      const inviter = person(row.invitation.inviterId);
      if (!inviter) return [];
      const { event, room } = row;
      return [
        {
          invitation: row.invitation as InvitationRecord,
          inviter,
          invitee: person(row.invitation.inviteeId),
          createdBy: person(row.invitation.createdBy),
          decidedBy: person(row.invitation.decidedBy),
          decidedFor: person(row.invitation.decidedFor),
          event: event?.id ? { ...event, roomStatus: row.eventRoomStatus } : null,
          room: room?.id ? room : null,
          messageCount: row.messageCount,
        },
      ];
    });
  }

  async function addThreadMessage(tx: Tx, message: ThreadMessageRecord | null): Promise<void> {
    if (message) await tx.insert(invitationMessages).values(message);
  }

  return {
    create: async (invitation, firstMessage, act) => {
      try {
        await db.transaction(async (tx) => {
          await tx.insert(invitations).values(invitation);
          await addThreadMessage(tx, firstMessage);
          await insertAct(tx, act);
        });
        return 'created';
      } catch (error) {
        if (isUniqueViolation(error)) return 'duplicate';
        throw error;
      }
    },
    get: async (id) => (await views(await query().where(eq(invitations.id, id)).limit(1)))[0] ?? null,
    list: async ({ principalIds, box, status, limit }) => {
      if (principalIds.length === 0) return [];
      const sides: SQL[] = [];
      if (box !== 'received') sides.push(inArray(invitations.inviterId, principalIds));
      if (box !== 'sent') sides.push(inArray(invitations.inviteeId, principalIds));
      const rows = await query()
        .where(and(or(...sides), status ? eq(invitations.status, status) : undefined))
        .orderBy(desc(invitations.createdAt), desc(invitations.id))
        .limit(limit);
      return views(rows);
    },
    addMessage: (message, open, act) =>
      db.transaction(async (tx) => {
        const [current] = await tx.select({ status: invitations.status }).from(invitations).where(eq(invitations.id, message.invitationId)).for('update');
        if (!current || !open.includes(current.status)) return false;
        await addThreadMessage(tx, message);
        await insertAct(tx, act);
        return true;
      }),
    thread: async (invitationId) => {
      const rows = await db.select().from(invitationMessages).where(eq(invitationMessages.invitationId, invitationId)).orderBy(asc(invitationMessages.createdAt), asc(invitationMessages.id));
      const person = await personIndex(
        db,
        rows.flatMap((row) => [row.authorId, row.principalId]),
      );
      return rows.flatMap((message) => {
        const author = person(message.authorId);
        const principal = person(message.principalId);
        return author && principal ? [{ message, author, principal }] : [];
      });
    },
    transition: (id, change, act) =>
      db.transaction(async (tx) => {
        // The row lock makes concurrent decisions queue up: the first decides, the others see its result.
        const [current] = await tx.select().from(invitations).where(eq(invitations.id, id)).for('update');
        if (!current) return { kind: 'not_found' as const };
        if (current.status !== 'pending') return { kind: 'conflict' as const, status: current.status };
        if (current.expiresAt.getTime() <= change.at.getTime()) {
          await tx.update(invitations).set({ status: 'expired', decidedAt: change.at }).where(eq(invitations.id, id));
          await insertAct(tx, { id: newId(), action: 'invitation.expired', subjectId: id, at: change.at, actorId: null, principalId: null });
          return { kind: 'conflict' as const, status: 'expired' as const };
        }
        const [updated] = await tx
          .update(invitations)
          .set({ status: change.to, decidedAt: change.at, decidedBy: change.actorId, decidedFor: change.principalId })
          .where(eq(invitations.id, id))
          .returning();
        if (change.to === 'accepted' && current.inviteeId) {
          if (current.eventId) {
            await tx.insert(eventSpeakers).values({ eventId: current.eventId, userId: current.inviteeId, invitationId: id, addedAt: change.at }).onConflictDoNothing();
          } else if (current.roomId) {
            await tx.insert(roomGrants).values({ roomId: current.roomId, userId: current.inviteeId, role: 'speaker', grantedAt: change.at }).onConflictDoNothing();
          }
        }
        await addThreadMessage(tx, change.note);
        await insertAct(tx, act);
        return { kind: 'done' as const, invitation: updated as InvitationRecord };
      }),
    expire: (id, now, act) =>
      db.transaction(async (tx) => {
        const changed = await tx
          .update(invitations)
          .set({ status: 'expired', decidedAt: now })
          .where(and(eq(invitations.id, id), eq(invitations.status, 'pending'), sql`${invitations.expiresAt} <= ${now.toISOString()}::timestamptz`))
          .returning({ id: invitations.id });
        if (changed.length === 0) return false;
        await insertAct(tx, act);
        return true;
      }),
    claimByRedeemer: async (userId) => {
      try {
        const claimed = await db
          .update(invitations)
          .set({ inviteeId: userId })
          .where(and(isNull(invitations.inviteeId), inArray(invitations.inviteCode, db.select({ code: invites.code }).from(invites).where(eq(invites.redeemedBy, userId)))))
          .returning({ id: invitations.id });
        return claimed.length;
      } catch (error) {
        // Invited twice for the same thing (by name and by email): the emailed one stays addressed to the email.
        if (isUniqueViolation(error)) return 0;
        throw error;
      }
    },
  };
}

/** Delegations over Drizzle. */
export function delegationStore(db: Db): DelegationStore {
  const principalUser = alias(users, 'principal_user');
  const principalProfile = alias(profiles, 'principal_profile');
  const delegateUser = alias(users, 'delegate_user');
  const delegateProfile = alias(profiles, 'delegate_profile');

  const query = () =>
    db
      .select({ delegation: delegations, principal: personColumnsOf(principalUser, principalProfile), delegate: personColumnsOf(delegateUser, delegateProfile) })
      .from(delegations)
      .innerJoin(principalUser, eq(principalUser.id, delegations.principalId))
      .innerJoin(principalProfile, eq(principalProfile.userId, delegations.principalId))
      .innerJoin(delegateUser, eq(delegateUser.id, delegations.delegateId))
      .innerJoin(delegateProfile, eq(delegateProfile.userId, delegations.delegateId));

  const toView = (row: Awaited<ReturnType<typeof query>>[number]): DelegationView => ({
    delegation: toDelegation(row.delegation),
    principal: row.principal,
    delegate: row.delegate,
  });
  const active = isNull(delegations.revokedAt);

  return {
    grant: (delegation, act) =>
      db.transaction(async (tx) => {
        const [row] = await tx
          .insert(delegations)
          .values(delegation)
          .onConflictDoUpdate({ target: [delegations.principalId, delegations.delegateId], targetWhere: isNull(delegations.revokedAt), set: { scopes: delegation.scopes } })
          .returning();
        await insertAct(tx, { ...act, subjectId: row!.id });
        return toDelegation(row!);
      }),
    revoke: (id, by, at, act) =>
      db.transaction(async (tx) => {
        const gone = await tx
          .update(delegations)
          .set({ revokedAt: at, revokedBy: by })
          .where(and(eq(delegations.id, id), active))
          .returning({ id: delegations.id });
        if (gone.length === 0) return false;
        await insertAct(tx, act);
        return true;
      }),
    get: async (id) => {
      const rows = await query().where(eq(delegations.id, id)).limit(1);
      return rows[0] ? toView(rows[0]) : null;
    },
    listActive: async (userId) => {
      const rows = await query()
        .where(and(active, or(eq(delegations.principalId, userId), eq(delegations.delegateId, userId))))
        .orderBy(asc(delegations.createdAt));
      const all = rows.map(toView);
      return { granted: all.filter((v) => v.delegation.principalId === userId), received: all.filter((v) => v.delegation.delegateId === userId) };
    },
    principalsOf: async (delegateId, scope) => {
      const rows = await db
        .select({ id: delegations.principalId })
        .from(delegations)
        .where(and(eq(delegations.delegateId, delegateId), active, arrayContains(delegations.scopes, [scope])));
      return rows.map((row) => row.id);
    },
    delegatesOf: async (principalIds, scope) => {
      if (principalIds.length === 0) return [];
      return db
        .select({ delegateId: delegations.delegateId, principalId: delegations.principalId })
        .from(delegations)
        .where(and(inArray(delegations.principalId, [...principalIds]), active, arrayContains(delegations.scopes, [scope])));
    },
    allows: async (principalId, delegateId, scope) => {
      const rows = await db
        .select({ id: delegations.id })
        .from(delegations)
        .where(and(eq(delegations.principalId, principalId), eq(delegations.delegateId, delegateId), active, arrayContains(delegations.scopes, [scope])))
        .limit(1);
      return rows.length > 0;
    },
  };
}

function toDelegation(row: typeof delegations.$inferSelect): DelegationRecord {
  return { id: row.id, principalId: row.principalId, delegateId: row.delegateId, scopes: row.scopes as DelegationRecord['scopes'], createdAt: row.createdAt, revokedAt: row.revokedAt };
}

/** Speaker links over Drizzle. */
export function speakerLinkStore(db: Db): SpeakerLinkStore {
  const eventRoom = alias(rooms, 'event_room');
  const roomHost = alias(users, 'room_host');

  const query = () =>
    db
      .select({
        link: speakerLinks,
        title: sql<string>`coalesce(${scheduledEvents.title}, ${rooms.title})`,
        hostName: sql<string>`coalesce((select u.display_name from event_hosts h join users u on u.id = h.user_id where h.event_id = ${scheduledEvents.id} order by h.position limit 1), ${roomHost.displayName})`,
        liveRoomId: sql<string | null>`coalesce(${speakerLinks.roomId}, ${eventRoom.id})`,
        startsAt: scheduledEvents.startsAt,
      })
      .from(speakerLinks)
      .leftJoin(scheduledEvents, eq(scheduledEvents.id, speakerLinks.eventId))
      .leftJoin(eventRoom, eq(eventRoom.id, scheduledEvents.roomId))
      .leftJoin(rooms, eq(rooms.id, speakerLinks.roomId))
      .leftJoin(roomHost, eq(roomHost.id, rooms.hostId));

  async function views(rows: Awaited<ReturnType<typeof query>>): Promise<SpeakerLinkView[]> {
    const person = await personIndex(
      db,
      rows.flatMap((row) => [row.link.createdBy, row.link.createdFor]),
    );
    return rows.flatMap((row) => {
      const createdFor = person(row.link.createdFor);
      if (!createdFor) return [];
      return [{ link: row.link as SpeakerLinkRecord, createdBy: person(row.link.createdBy), createdFor, title: row.title, hostName: row.hostName, liveRoomId: row.liveRoomId, startsAt: row.startsAt }];
    });
  }

  return {
    create: (link, act) =>
      db.transaction(async (tx) => {
        await tx.insert(speakerLinks).values(link);
        await insertAct(tx, act);
      }),
    get: async (id) => (await views(await query().where(eq(speakerLinks.id, id)).limit(1)))[0] ?? null,
    findByToken: async (tokenHash) => (await views(await query().where(eq(speakerLinks.tokenHash, tokenHash)).limit(1)))[0] ?? null,
    listFor: async (target) => {
      const where = 'eventId' in target ? eq(speakerLinks.eventId, target.eventId) : eq(speakerLinks.roomId, target.roomId);
      return views(await query().where(where).orderBy(desc(speakerLinks.createdAt), desc(speakerLinks.id)));
    },
    redeem: (tokenHash, now, userId, guest) =>
      db.transaction(async (tx) => {
        const [link] = await tx.select().from(speakerLinks).where(eq(speakerLinks.tokenHash, tokenHash)).for('update');
        if (!link) return { kind: 'unknown' as const };
        if (link.revokedAt) return { kind: 'revoked' as const };
        if (link.usedAt) return { kind: 'used' as const };
        if (link.expiresAt.getTime() <= now.getTime()) return { kind: 'expired' as const };
        if (guest) await tx.insert(users).values(guest);
        const [used] = await tx.update(speakerLinks).set({ usedAt: now, usedBy: userId }).where(eq(speakerLinks.id, link.id)).returning();
        return { kind: 'redeemed' as const, link: used as SpeakerLinkRecord };
      }),
    revoke: (id, at, act) =>
      db.transaction(async (tx) => {
        const changed = await tx
          .update(speakerLinks)
          .set({ revokedAt: at })
          .where(and(eq(speakerLinks.id, id), isNull(speakerLinks.revokedAt)))
          .returning({ id: speakerLinks.id });
        if (changed.length === 0) return false;
        await insertAct(tx, act);
        return true;
      }),
  };
}
