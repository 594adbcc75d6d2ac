import { z } from 'zod';
import { ErrorCode } from './errors';
import { DisplayName, RoomSummary, RoomTitle, RoomType, User } from './model';

/** `POST /api/session`: start a guest session with a display name. */
export const CreateSessionBody = z.object({ displayName: DisplayName });
export type CreateSessionBody = z.infer<typeof CreateSessionBody>;

/** `GET|POST /api/session` reply. */
export const SessionReply = z.object({ user: User });
export type SessionReply = z.infer<typeof SessionReply>;

/** `POST /api/rooms`: open a live room; the caller becomes its host. `type` decides who may enter (default `open`). */
export const CreateRoomBody = z.object({ title: RoomTitle, type: RoomType.default('open') });
export type CreateRoomBody = z.input<typeof CreateRoomBody>;

/** `POST /api/rooms` and `GET /api/rooms/:id` reply. */
export const RoomReply = z.object({ room: RoomSummary });
export type RoomReply = z.infer<typeof RoomReply>;

/** `GET /api/rooms` reply: live rooms, most listeners first. */
export const RoomListReply = z.object({ rooms: z.array(RoomSummary) });
export type RoomListReply = z.infer<typeof RoomListReply>;

/** `GET /api/health` reply. */
export const HealthReply = z.object({ status: z.literal('ok'), version: z.string(), uptimeSeconds: z.number() });
export type HealthReply = z.infer<typeof HealthReply>;

/** `GET /api/rtc-config` reply: ICE servers the browser should use (TURN when configured). */
export const RtcConfigReply = z.object({
  iceServers: z.array(z.object({ urls: z.array(z.string()), username: z.string().optional(), credential: z.string().optional() })),
});
export type RtcConfigReply = z.infer<typeof RtcConfigReply>;

/** Every HTTP error body. */
export const ErrorReply = z.object({
  error: z.object({
    code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    /** Field-level problems for `invalid_message`, as `path: message`. */
    issues: z.array(z.string()).optional(),
  }),
});
export type ErrorReply = z.infer<typeof ErrorReply>;
