export { ErrorCode, ParleyError } from '@parley/protocol';

/** Why the connection to the server failed, as opposed to the server refusing a request. */
export type ConnectionErrorReason =
  /** The server could not be reached (HTTP request or WebSocket handshake failed). */
  | 'unreachable'
  /** The WebSocket closed while the request was in flight, or before it was sent. */
  | 'closed'
  /** No reply came within the request's timeout. */
  | 'timeout'
  /** The server answered something that is not the protocol (wrong reply type, unparseable body). */
  | 'protocol';

/**
 * A transport failure. Requests the server refused reject with {@link ParleyError} (its `code` is
 * the server's); everything that went wrong before or around the server rejects with this.
 */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
  constructor(
    readonly reason: ConnectionErrorReason,
    message: string,
  ) {
    super(message);
  }
}
