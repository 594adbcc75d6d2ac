import { ConnectionError, ParleyError } from '@parley/client';
import { processIo, UsageError, type Io } from './cli';
import { bench, botSwarm } from './commands/bench';
import { adminCreateUser } from './commands/admin';
import { botHost, botListen } from './commands/bot';
import { migrate } from './commands/migrate';
import { serve } from './commands/serve';

const usage = `Usage: parley <command> [options]

Commands:
  serve [--port N] [--host H]        Serve the web app, API and SFU (config from the environment:
                                      PORT, DATA_DIR, DATABASE_URL, PUBLIC_URL, PUBLIC_IP, RTC_PORT…)
  migrate                             Apply pending database migrations and exit
  bot host --url <server> --title <t> --tone <hz> --seconds <n> [--name <n>]
                                      Open a room, print {"url","roomId"} as one JSON line, speak a
                                      sine tone for <n> seconds, end the room
  bot listen <room link> --seconds <n> [--json] [--name <n>] [--count-only]
                                      Join as a listener for <n> seconds and report packets received,
                                      lost, dominant frequency and time to first packet
  bot swarm --url <server> (--speakers S | --room <id> --listeners K) [--source-address A]
                                      Many bots in one process, JSON lines out (the bench's load)
  bench <scenario> [options]          Run a benchmark (fanout, join, signal, churn) against a fresh
                                      server process; "parley bench" alone lists the options

  admin create-user --email <e> --username <u> [--display-name <n>] [--password <p>] [--admin] [--token]
                                      Create an account in the database (no invite needed); --token
                                      prints only a personal API token, for PARLEY_TOKEN

Bot options: --token <t> or PARLEY_TOKEN acts as that account (hosting and speaking need one);
--log-level debug|info|warn|error|silent (logs go to stderr; stdout is the result).
`;

type Command = (args: string[], io: Io) => Promise<number>;

const commands: Record<string, Command> = {
  serve,
  migrate,
  'bot host': botHost,
  'bot listen': botListen,
  'bot swarm': botSwarm,
  bench,
  'admin create-user': adminCreateUser,
};

/** Run the command line `argv` (without node and the script); returns the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [first, second] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    if (first === undefined) {
      io.err(usage);
      return 2;
    }
    io.out(usage);
    return 0;
  }
  const grouped = first === 'bot' || first === 'admin';
  const name = grouped ? `${first} ${second ?? ''}` : first;
  const command = commands[name];
  if (!command) {
    io.err(`parley: unknown command "${name.trim()}"\n\n${usage}`);
    return 2;
  }
  const rest = argv.slice(grouped ? 2 : 1);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(usage);
    return 0;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    io.err(`parley ${name}: ${describe(error)}`);
    return isUsageError(error) ? 2 : 1;
  }
}

/** parseArgs throws TypeErrors with `ERR_PARSE_ARGS_*` codes for unknown or malformed options. */
function isUsageError(error: unknown): boolean {
  if (error instanceof UsageError) return true;
  return error instanceof TypeError && String(Reflect.get(error, 'code') ?? '').startsWith('ERR_PARSE_ARGS');
}

function describe(error: unknown): string {
  if (error instanceof ParleyError) return `the server refused: ${error.message} (${error.code})`;
  if (error instanceof ConnectionError) return `${error.message} (${error.reason})`;
  if (isUsageError(error)) return `${error instanceof Error ? error.message : String(error)}\nRun "parley --help" for usage.`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Run the process's own command line and set its exit code (called by bin/parley.mjs). Everything a
 * command opens is closed by the command; if some handle still holds the event loop afterwards, the
 * process exits anyway rather than hang a script or a benchmark.
 */
export async function run(): Promise<void> {
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
  setTimeout(() => {
    process.stderr.write(`parley: exiting although resources are still open (${process.getActiveResourcesInfo().join(', ')})\n`);
    process.exit(code);
  }, 5_000).unref();
}
