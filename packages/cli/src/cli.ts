import type { Logger, LogLevel } from '@parley/client';

/** A mistake in the command line: printed with a hint to `--help`, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Where a command writes: `out` is its result (stdout, machine-readable), `err` is for people. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
}

/** The process's own stdout and stderr. */
export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** A number option that must be positive and finite (`--tone 440`, `--seconds 5`). */
export function positiveNumber(flag: string, value: string | undefined): number {
  const number = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(number) || number <= 0) {
    throw new UsageError(`${flag} must be a positive number (got ${JSON.stringify(value ?? '')})`);
  }
  return number;
}

/** A server's base URL (`http://host:port`, optionally with a path prefix), without a trailing slash. */
export function serverUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} must be a URL like http://127.0.0.1:8080 (got ${JSON.stringify(value)})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${flag} must be an http(s) URL`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Split a room link (`<server>/rooms/<roomId>`, what a browser opens) into the server and the room. */
export function parseRoomLink(link: string): { baseUrl: string; roomId: string } {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new UsageError(`not a room link: ${JSON.stringify(link)} (expected http://host:port/rooms/<id>)`);
  }
  const match = /^(.*)\/rooms\/([A-Za-z0-9_-]+)\/?$/.exec(url.pathname);
  if (!match || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`not a room link: ${JSON.stringify(link)} (expected http://host:port/rooms/<id>)`);
  }
  return { baseUrl: `${url.origin}${match[1] ?? ''}`, roomId: match[2] ?? '' };
}

const levels: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** The log levels a `--log-level` flag accepts. */
export function logLevel(value: string | undefined): LogLevel {
  const level = value ?? 'warn';
  if (!(level in levels)) throw new UsageError(`--log-level must be one of ${Object.keys(levels).join(', ')}`);
  return level as LogLevel;
}

/** The SDK's logs on stderr, one line each, so stdout carries nothing but a command's result. */
export function stderrLogger(level: LogLevel, io: Io = processIo): Logger {
  const write = (at: Exclude<LogLevel, 'silent'>) => (message: string, fields?: Record<string, unknown>) => {
    if (levels[at] < levels[level]) return;
    io.err(`parley ${at}: ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/**
 * Resolves on the first SIGINT or SIGTERM so a command can stop cleanly; a second signal exits at
 * once (the clean stop is stuck). `dispose()` removes the handlers.
 */
export function stopSignal(io: Io = processIo): { stopped: Promise<NodeJS.Signals>; dispose(): void } {
  let resolveStopped: (signal: NodeJS.Signals) => void = () => undefined;
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    resolveStopped = resolve;
  });
  let received = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) {
      io.err(`parley: ${signal} again; exiting without cleaning up`);
      process.exit(130);
    }
    received = true;
    resolveStopped(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stopped,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * Wait `ms` milliseconds or until one of `events` settles, whichever comes first: resolves `'time'` or
 * that event's value. The timer is cleared either way, so it never holds the process open.
 */
export async function timeOr<T>(ms: number, events: Promise<T>[]): Promise<'time' | T> {
  let timer: NodeJS.Timeout | undefined;
  const time = new Promise<'time'>((resolve) => {
    timer = setTimeout(() => resolve('time'), ms);
  });
  try {
    return await Promise.race([time, ...events]);
  } finally {
    clearTimeout(timer);
  }
}
