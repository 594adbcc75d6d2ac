import { parseArgs } from 'node:util';
import { stopSignal, UsageError, type Io } from '../cli';

/** `parley serve [--port N] [--host H]`: the whole server, configured from the environment. */
export async function serve(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
    },
    strict: true,
  });
  // Loaded here, not at the top: the bot commands must not pay for the server's imports.
  const { loadConfig, startServer } = await import('@parley/server');
  const overrides: { port?: number; host?: string } = {};
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a port number (0 picks a free one)');
    overrides.port = port;
  }
  if (values.host !== undefined) overrides.host = values.host;
  const config = loadConfig(process.env, overrides);
  const stop = stopSignal(io);
  try {
    const server = await startServer(config);
    // The server logs its own address; this line is for a person watching the terminal.
    io.err(`Parley is serving on ${server.url} (Ctrl-C stops it)`);
    const signal = await stop.stopped;
    io.err(`parley: ${signal}, shutting down`);
    await server.close();
    return 0;
  } finally {
    stop.dispose();
  }
}
