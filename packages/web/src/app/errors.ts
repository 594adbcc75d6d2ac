import { ConnectionError, ParleyError } from '@parley/client';

/** A sentence for a person, from anything a failed request can throw. */
export function describeError(error: unknown): string {
  if (error instanceof ParleyError) {
    switch (error.code) {
      case 'unauthorized':
        return 'Your session has expired. Pick a display name again to continue.';
      case 'room_ended':
        return 'This room has ended.';
      case 'rate_limited':
        return 'Too many requests. Wait a moment and try again.';
      case 'internal':
        return 'Something went wrong on the server. Try again in a moment.';
      default:
        return error.message;
    }
  }
  if (error instanceof ConnectionError) {
    return error.reason === 'timeout'
      ? 'The server did not answer in time. Try again.'
      : 'Could not reach the Parley server. Check your connection and try again.';
  }
  if (error instanceof TypeError) return 'Could not reach the Parley server. Check your connection and try again.';
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Try again.';
}
