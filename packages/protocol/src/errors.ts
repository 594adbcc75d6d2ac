/**
 * Error codes shared by the HTTP API and the WebSocket protocol. Every failure a client can see
 * carries one of these codes, so clients branch on the code and show the message.
 */
export const ErrorCode = {
  /** The body or message did not match its schema. */
  invalidMessage: 'invalid_message',
  /** No session, or the session expired. */
  unauthorized: 'unauthorized',
  /** The actor is not allowed to do this (stage rules, media authorization). */
  forbidden: 'forbidden',
  /** The room, participant or resource does not exist (or is not visible to the actor). */
  notFound: 'not_found',
  /** The action conflicts with the current state (e.g. accepting an invitation that was withdrawn). */
  conflict: 'conflict',
  /** The room has ended; nothing more can happen in it. */
  roomEnded: 'room_ended',
  /** Too many requests; retry later. */
  rateLimited: 'rate_limited',
  /** A media negotiation failed (bad SDP, engine error). */
  mediaFailed: 'media_failed',
  /** Something broke on the server; details are in the server log, never in the reply. */
  internal: 'internal',
} as const;

/** One of the {@link ErrorCode} values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** HTTP status for each error code, used by the server's single error mapper. */
export const httpStatusOf: Record<ErrorCode, number> = {
  invalid_message: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  room_ended: 410,
  rate_limited: 429,
  media_failed: 400,
  internal: 500,
};

/** A typed failure: thrown by the domain, mapped to an HTTP response or a WS `error` message. */
export class ParleyError extends Error {
  override readonly name = 'ParleyError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
