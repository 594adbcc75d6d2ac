import type { Logger } from 'pino';
import type { Config } from './config';
import { AccountService } from './domain/accounts';
import { ApiTokenService } from './domain/accounts-tokens';
import { FollowService } from './domain/follows';
import type { IdentityService } from './domain/identity';
import { InviteService, ServerSettings } from './domain/invites';
import type { Mailer, Store } from './domain/ports';
import { ProfileService } from './domain/profiles';
import type { AccountsHttp } from './http/routes/accounts';
import { sharpAvatarEncoder } from './images/avatars';
import { createMailer } from './mail/index';
import { argon2idHasher } from './security/argon2';

/** The accounts part of the server, wired, with what the composition root must do at start and stop. */
export interface AccountsRoot {
  http: AccountsHttp;
  /** Links in mail point here when PUBLIC_URL is not set: call with the listening URL. */
  setFallbackOrigin(url: string): void;
  /** Wait for mail still being sent, then close the transport. */
  close(): Promise<void>;
  /** The mailer, the link builder and the after-the-reply runner, for other parts that send mail. */
  mail: { mailer: Mailer; links: (path: string) => string; background: (task: Promise<unknown>, what: string) => void };
}

/**
 * Part of the composition root (main.ts): picks the implementations behind the account services'
 * ports — argon2id for passwords, sharp for avatars, the file outbox or SMTP for mail.
 */
export function createAccounts(store: Store, identity: IdentityService, config: Config, logger: Logger): AccountsRoot {
  const mailLog = logger.child({ component: 'mail' });
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir, log: mailLog });
  let origin = config.publicUrl;
  const links = (path: string) => new URL(path, origin ?? 'http://localhost:8080').toString();
  const pending = new Set<Promise<unknown>>();
  // Mail goes out after the reply: a slow SMTP server must not delay (or, by timing, betray) anything.
  const background = (task: Promise<unknown>, what: string) => {
    const tracked = task.catch((error: unknown) => mailLog.error({ err: error, what }, 'background task failed')).finally(() => pending.delete(tracked));
    pending.add(tracked);
  };
  const settings = new ServerSettings(store);
  return {
    http: {
      accounts: new AccountService({ store, identity, settings, hasher: argon2idHasher, mailer, links, background }),
      invites: new InviteService(store, mailer, { quota: config.inviteQuota, links }, background),
      settings,
      profiles: new ProfileService(store, sharpAvatarEncoder),
      follows: new FollowService(store),
      tokens: new ApiTokenService(store),
      authRateLimit: config.authRateLimit,
    },
    setFallbackOrigin(url) {
      if (origin) return;
      origin = url;
      logger.info({ origin: url }, 'PUBLIC_URL is not set: links in mail use the listening address');
    },
    async close() {
      await Promise.allSettled([...pending]);
      await mailer.close();
    },
    mail: { mailer, links, background },
  };
}
