/** Log levels, most detailed first. `info` is one line per lifecycle change; per-message detail is `debug`. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** Where the SDK writes its logs. Pass your own to route them (the CLI writes to stderr). */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/**
 * A logger over `console` that drops lines below `level`. The default level is `warn` so that an app
 * embedding the SDK sees problems and nothing else.
 */
export function consoleLogger(level: LogLevel = 'warn', prefix = '[parley]'): Logger {
  const at = rank[level];
  const line = (l: Exclude<LogLevel, 'silent'>, write: (...data: unknown[]) => void) =>
    (message: string, fields?: LogFields) => {
      if (rank[l] < at) return;
      if (fields) write(prefix, message, fields);
      else write(prefix, message);
    };
  return {
    debug: line('debug', console.debug),
    info: line('info', console.info),
    warn: line('warn', console.warn),
    error: line('error', console.error),
  };
}

/** A logger that writes nothing. */
export const silentLogger: Logger = consoleLogger('silent');
