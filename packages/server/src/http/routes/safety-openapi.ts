import {
  AdminEndRoomBody,
  AuditLogReply,
  BlockListReply,
  BlockReply,
  CreateReportBody,
  GrantRoomAccessBody,
  ReportListReply,
  ReportReply,
  ResolveReportBody,
  RoomAccessListReply,
  SuspendBody,
  SuspensionListReply,
  SuspensionReply,
} from '@parley/protocol';
import { body, error, noContent, ok, param } from './openapi-helpers';

/** An optional, described query parameter. */
const query = (name: string, description: string) => ({ name, in: 'query', required: false, description, schema: { type: 'string' } });
const page = [query('cursor', 'nextCursor of the previous page'), query('limit', '1–100, default 20')];
const unauthorized = error('No session, or the account is suspended');
const notAdmin = error('Not an admin');

/** OpenAPI paths of the safety endpoints (merged into /api/openapi.json; prose in docs/protocol.md). */
export const safetyPaths = {
  '/api/users/{username}/block': {
    get: { summary: 'Whether you block this person', parameters: [param('username')], responses: { 200: ok(BlockReply), 401: unauthorized, 404: error('Unknown username') } },
    put: {
      summary: 'Block: follows between you go; they cannot enter rooms you run (and leave them now); neither sees the other’s rooms',
      parameters: [param('username')],
      responses: { 200: ok(BlockReply), 401: unauthorized, 403: error('A guest'), 409: error('Yourself') },
    },
    delete: { summary: 'Unblock', parameters: [param('username')], responses: { 200: ok(BlockReply), 401: unauthorized } },
  },
  '/api/account/blocks': { get: { summary: 'The people you block', responses: { 200: ok(BlockListReply), 401: unauthorized, 403: error('A guest') } } },
  '/api/reports': {
    post: {
      summary: 'Report a person or a room to the admins',
      requestBody: body(CreateReportBody),
      responses: { 201: ok(ReportReply, 'Filed'), 401: unauthorized, 403: error('A guest'), 404: error('Unknown person or room'), 409: error('Yourself or your own room'), 429: error('Too many reports') },
    },
  },
  '/api/admin/reports': {
    get: { summary: 'The moderation queue (status=open, oldest first) or decided reports (status=resolved)', parameters: [query('status', 'open | resolved')], responses: { 200: ok(ReportListReply), 403: notAdmin } },
  },
  '/api/admin/reports/{id}/resolve': {
    post: {
      summary: 'Dismiss a report, or suspend the account concerned',
      parameters: [param('id')],
      requestBody: body(ResolveReportBody),
      responses: { 200: ok(ReportReply), 403: notAdmin, 404: error('No such report'), 409: error('Already decided') },
    },
  },
  '/api/admin/suspensions': { get: { summary: 'Suspended accounts', responses: { 200: ok(SuspensionListReply), 403: notAdmin } } },
  '/api/admin/users/{username}/suspension': {
    put: {
      summary: 'Suspend an account: sessions, tokens and sockets stop at once; out of every room',
      parameters: [param('username')],
      requestBody: body(SuspendBody),
      responses: { 200: ok(SuspensionReply), 403: error('Not an admin, or an admin target'), 409: error('Already suspended, or yourself') },
    },
    delete: { summary: 'Lift a suspension', parameters: [param('username')], responses: { 204: noContent, 403: notAdmin, 404: error('Not suspended') } },
  },
  '/api/admin/audit': { get: { summary: 'The whole audit log, newest first', parameters: page, responses: { 200: ok(AuditLogReply), 403: notAdmin } } },
  '/api/admin/rooms/{id}/end': {
    post: { summary: 'End any live room', parameters: [param('id')], requestBody: body(AdminEndRoomBody), responses: { 204: noContent, 403: notAdmin, 404: error('No such room'), 410: error('Ended') } },
  },
  '/api/rooms/{id}/access': {
    get: { summary: 'A closed room’s access list (host, moderators, admins)', parameters: [param('id')], responses: { 200: ok(RoomAccessListReply), 403: error('Not running this room'), 409: error('Not a closed room') } },
    post: {
      summary: 'Let someone into a closed room',
      parameters: [param('id')],
      requestBody: body(GrantRoomAccessBody),
      responses: { 201: ok(RoomAccessListReply, 'Added'), 403: error('Not running this room'), 404: error('Unknown username'), 409: error('Not a closed room') },
    },
  },
  '/api/rooms/{id}/access/{username}': {
    delete: {
      summary: 'Take someone off a closed room’s list (they leave the room now)',
      parameters: [param('id'), param('username')],
      responses: { 204: noContent, 403: error('Not running this room'), 404: error('Not on the list') },
    },
  },
  '/api/rooms/{id}/audit': {
    get: { summary: 'The room’s moderation acts, newest first (host, moderators, admins)', parameters: [param('id'), ...page], responses: { 200: ok(AuditLogReply), 403: error('Not running this room') } },
  },
};
