import { parseArgs } from 'node:util';
import { UsageError, type Io } from '../cli';

/**
 * `parley admin create-user --email <e> --username <u> [--display-name <n>] [--password <p>] [--admin] [--token [name]]`:
 * create an account straight in the database (no invite; the email counts as verified). With
 * `--token`, also create a personal API token and print only its secret on stdout, so that
 * `export PARLEY_TOKEN=$(parley admin create-user … --token)` works; otherwise print the account as
 * one JSON line. The password may also come from PARLEY_PASSWORD (keeps it out of the shell history).
 */
export async function adminCreateUser(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      username: { type: 'string' },
      'display-name': { type: 'string' },
      password: { type: 'string' },
      admin: { type: 'boolean', default: false },
      token: { type: 'boolean', default: false },
      'token-name': { type: 'string' },
    },
    strict: true,
  });
  if (!values.email) throw new UsageError('admin create-user needs --email');
  if (!values.username) throw new UsageError('admin create-user needs --username');
  // Loaded here: the bot commands must not pay for the server's imports.
  const { createUser, loadConfig } = await import('@parley/server');
  const password = values.password ?? process.env.PARLEY_PASSWORD;
  const wantsToken = values.token || values['token-name'] !== undefined;
  const created = await createUser(loadConfig(process.env, { logLevel: 'warn' }), {
    email: values.email,
    username: values.username,
    displayName: values['display-name'] ?? values.username,
    password: password === '' ? undefined : password,
    admin: values.admin,
    tokenName: wantsToken ? (values['token-name'] ?? 'parley admin create-user') : undefined,
  });
  io.err(
    `Created ${created.account.role} @${created.account.username} (${created.account.email})${password ? '' : ' without a password (a reset link can set one)'}.`,
  );
  if (created.token) io.out(created.token);
  else io.out(JSON.stringify({ userId: created.user.id, username: created.account.username, email: created.account.email, role: created.account.role }));
  return 0;
}
