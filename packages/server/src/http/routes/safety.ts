import type { FastifyInstance } from 'fastify';
import {
  AdminEndRoomBody,
  CreateReportBody,
  GrantRoomAccessBody,
  Id,
  PageQuery,
  ParleyError,
  ReportQuery,
  ResolveReportBody,
  SuspendBody,
  type AuditLogReply,
  type BlockListReply,
  type BlockReply,
  type ReportListReply,
  type ReportReply,
  type RoomAccessListReply,
  type SuspensionListReply,
  type SuspensionReply,
} from '@parley/protocol';
import type { RoomAccessService } from '../../domain/room-access';
import type { SafetyService } from '../../domain/safety';
import type { Auth } from '../auth';

/** The safety services the HTTP API serves (built in the composition root). */
export interface SafetyHttp {
  safety: SafetyService;
  roomAccess: RoomAccessService;
}

/** What the safety routes need. */
export interface SafetyRouteDeps extends SafetyHttp {
  auth: Auth;
  /** Multiplies the per-IP rate limit on reports. */
  rateLimitFactor: number;
}

/** Usernames in paths: anything that could be one (the rules for new names are checked at sign-up). */
function username(raw: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(raw)) throw new ParleyError('not_found', 'Nobody has this username.');
  return raw;
}

function id(raw: string, what: string): string {
  const parsed = Id.safeParse(raw);
  if (!parsed.success) throw new ParleyError('not_found', `No such ${what}.`);
  return parsed.data;
}

/**
 * Blocks, reports, the admins' moderation queue and suspensions, closed rooms' access lists, and the
 * audit log (whole for admins, per room for those who run it). Without a session (or with a suspended
 * account's) every route is 401; the rules behind each are in the domain services.
 */
export async function safetyRoutes(app: FastifyInstance, deps: SafetyRouteDeps): Promise<void> {
  const { auth, safety, roomAccess } = deps;

  app.get<{ Params: { username: string } }>('/api/users/:username/block', async (request): Promise<BlockReply> =>
    safety.blockStatus(await auth.requireUser(request), username(request.params.username)),
  );
  app.put<{ Params: { username: string } }>('/api/users/:username/block', async (request): Promise<BlockReply> =>
    safety.block(await auth.requireUser(request), username(request.params.username)),
  );
  app.delete<{ Params: { username: string } }>('/api/users/:username/block', async (request): Promise<BlockReply> =>
    safety.unblock(await auth.requireUser(request), username(request.params.username)),
  );
  app.get('/api/account/blocks', async (request): Promise<BlockListReply> => safety.blocks(await auth.requireUser(request)));

  app.post('/api/reports', { config: { rateLimit: { max: 30 * deps.rateLimitFactor, timeWindow: '1 hour' } } }, async (request, reply): Promise<ReportReply> => {
    const user = await auth.requireUser(request);
    const body = CreateReportBody.parse(request.body);
    void reply.status(201);
    return { report: await safety.report(user, body) };
  });

  app.get('/api/admin/reports', async (request): Promise<ReportListReply> => {
    const user = await auth.requireUser(request);
    const query = ReportQuery.parse(request.query);
    return { reports: await safety.reports(user, query.status) };
  });

  app.post<{ Params: { id: string } }>('/api/admin/reports/:id/resolve', async (request): Promise<ReportReply> => {
    const user = await auth.requireUser(request);
    const body = ResolveReportBody.parse(request.body);
    return { report: await safety.resolve(user, id(request.params.id, 'report'), body.decision, body.note) };
  });

  app.get('/api/admin/suspensions', async (request): Promise<SuspensionListReply> => ({
    suspensions: await safety.suspensions(await auth.requireUser(request)),
  }));

  app.put<{ Params: { username: string } }>('/api/admin/users/:username/suspension', async (request): Promise<SuspensionReply> => {
    const user = await auth.requireUser(request);
    const body = SuspendBody.parse(request.body);
    return { suspension: await safety.suspend(user, username(request.params.username), body.reason) };
  });

  app.delete<{ Params: { username: string } }>('/api/admin/users/:username/suspension', async (request, reply) => {
    await safety.unsuspend(await auth.requireUser(request), username(request.params.username));
    return reply.status(204).send();
  });

  app.get('/api/admin/audit', async (request): Promise<AuditLogReply> => {
    const user = await auth.requireUser(request);
    const query = PageQuery.parse(request.query);
    return safety.auditLog(user, query.cursor, query.limit);
  });

  app.post<{ Params: { id: string } }>('/api/admin/rooms/:id/end', async (request, reply) => {
    const user = await auth.requireUser(request);
    const body = AdminEndRoomBody.parse(request.body ?? {});
    await safety.endRoom(user, id(request.params.id, 'room'), body.note);
    return reply.status(204).send();
  });

  app.get<{ Params: { id: string } }>('/api/rooms/:id/access', async (request): Promise<RoomAccessListReply> =>
    roomAccess.list(await auth.requireUser(request), id(request.params.id, 'room')),
  );

  app.post<{ Params: { id: string } }>('/api/rooms/:id/access', async (request, reply): Promise<RoomAccessListReply> => {
    const user = await auth.requireUser(request);
    const body = GrantRoomAccessBody.parse(request.body);
    const list = await roomAccess.grant(user, id(request.params.id, 'room'), body.username);
    void reply.status(201);
    return list;
  });

  app.delete<{ Params: { id: string; username: string } }>('/api/rooms/:id/access/:username', async (request, reply) => {
    await roomAccess.revoke(await auth.requireUser(request), id(request.params.id, 'room'), username(request.params.username));
    return reply.status(204).send();
  });

  app.get<{ Params: { id: string } }>('/api/rooms/:id/audit', async (request): Promise<AuditLogReply> => {
    const user = await auth.requireUser(request);
    const query = PageQuery.parse(request.query);
    return roomAccess.auditLog(user, id(request.params.id, 'room'), query.cursor, query.limit);
  });
}
