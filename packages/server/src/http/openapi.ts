import { z } from 'zod';
import { accountPaths } from './routes/accounts-openapi';
import { safetyPaths } from './routes/safety-openapi';
import { schedulingPaths } from './routes/scheduling-openapi';
import { CreateRoomBody, CreateSessionBody, ErrorReply, HealthReply, RoomListReply, RoomReply, RtcConfigReply, SessionReply } from '@parley/protocol';

const json = (schema: z.ZodType) => ({ 'application/json': { schema: z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) } });
const error = (description: string) => ({ description, content: json(ErrorReply) });

/** The HTTP API as OpenAPI 3.1, generated from the same zod schemas the routes validate with. */
export function openApiDocument(version: string): object {
  return {
    openapi: '3.1.0',
    info: { title: 'Parley API', version },
    paths: {
      '/api/health': { get: { summary: 'Liveness', responses: { 200: { description: 'Up', content: json(HealthReply) } } } },
      '/api/session': {
        get: { summary: 'Who am I', responses: { 200: { description: 'Signed in', content: json(SessionReply) }, 401: error('No session') } },
        post: {
          summary: 'Start a guest session with a display name (sets the parley_session cookie)',
          requestBody: { required: true, content: json(CreateSessionBody) },
          responses: { 200: { description: 'Started', content: json(SessionReply) }, 400: error('Invalid body'), 429: error('Rate limited') },
        },
        delete: { summary: 'Sign out', responses: { 204: { description: 'Signed out' } } },
      },
      '/api/rooms': {
        get: { summary: 'Live rooms, fullest first', responses: { 200: { description: 'Rooms', content: json(RoomListReply) } } },
        post: {
          summary: 'Open a live room; the caller is its host',
          requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(CreateRoomBody, { io: 'input', unrepresentable: 'any' }) } } },
          responses: { 201: { description: 'Created', content: json(RoomReply) }, 400: error('Invalid body'), 401: error('No session'), 403: error('Cross-origin') },
        },
      },
      '/api/rooms/{id}': {
        get: {
          summary: 'One room',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: 'Room', content: json(RoomReply) }, 404: error('No such room') },
        },
      },
      '/api/rtc-config': { get: { summary: 'ICE servers for WebRTC', responses: { 200: { description: 'Config', content: json(RtcConfigReply) } } } },
      ...accountPaths,
      ...safetyPaths,
      ...schedulingPaths,
      '/api/ws': { get: { summary: 'WebSocket signalling (see docs/protocol.md)', responses: { 101: { description: 'Switching protocols' } } } },
    },
  };
}
