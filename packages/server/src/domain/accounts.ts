import { ParleyError, type AccountInfo, type AccountReply, type User } from '@parley/protocol';
import type { AccountRecord, EmailTokenPurpose } from './accounts-ports';
import { passwordResetMail, verificationMail } from './accounts-mail';
import { hashToken, newId, newToken } from './ids';
import { toUser, type IdentityService, type StartedSession } from './identity';
import type { LinkBuilder, ServerSettings } from './invites';
import type { Mailer, PasswordHasher, Store, UserRecord } from './ports';

/** How long an emailed link works. */
export const verificationLinkHours = 48;
export const resetLinkMinutes = 60;

/** A sign-up, already validated with the protocol's schemas. */
export interface SignUpInput {
  email: string;
  password: string;
  username: string;
  displayName: string;
  inviteCode?: string | undefined;
}

/**
 * An account made by an operator (`parley admin create-user`): no invite, email taken as verified, an
 * admin only when asked (so a bot made first leaves the admin's place to the first person to sign up).
 */
export interface CreateUserInput {
  email: string;
  username: string;
  displayName: string;
  /** Null: no password (a bot account that only uses API tokens; a reset link can set one). */
  password: string | null;
  admin: boolean;
}

/** Collaborators of the {@link AccountService}. */
export interface AccountServiceDeps {
  store: Store;
  identity: IdentityService;
  settings: ServerSettings;
  hasher: PasswordHasher;
  mailer: Mailer;
  links: LinkBuilder;
  /** Run a task after the reply has gone (mail): failures are logged, never shown to the requester. */
  background: (task: Promise<unknown>, what: string) => void;
  clock?: () => Date;
}

/** The one answer to every failed sign-in, whatever failed: nothing tells whether the email is known. */
const wrongCredentials = 'The email or password is not right.';

/**
 * Accounts: sign-up (invite rules, the first account becomes admin), sign-in with email and password,
 * email verification and password reset by emailed one-time links, sign-out everywhere.
 *
 * Enumeration: sign-in answers the same and takes as long (one argon2 verification, against a dummy
 * hash for unknown emails) whether or not an email is known; a reset request answers the same and
 * sends its mail after the reply has gone.
 */
export class AccountService {
  private readonly clock: () => Date;
  /** Verified against when the email is unknown, so both paths cost one argon2 verification. */
  private readonly dummyHash: Promise<string>;

  constructor(private readonly deps: AccountServiceDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.dummyHash = deps.hasher.hash(newToken());
  }

  /** Create an account and sign it in. */
  async signUp(input: SignUpInput): Promise<{ session: StartedSession; account: AccountInfo }> {
    const inviteOnly = await this.deps.settings.inviteOnly();
    const passwordHash = await this.deps.hasher.hash(input.password);
    const { user, account } = await this.register(input, passwordHash, { inviteRequired: inviteOnly, admin: false, bootstrap: true, verified: false });
    this.sendVerification(user, account.email);
    const session = await this.deps.identity.startSession(user);
    return { session, account: await this.accountInfo(account) };
  }

  /** An operator creates an account (CLI); its email counts as verified. */
  async createUser(input: CreateUserInput): Promise<{ user: User; account: AccountInfo }> {
    const passwordHash = input.password === null ? null : await this.deps.hasher.hash(input.password);
    const { user, account } = await this.register({ ...input, inviteCode: undefined }, passwordHash, { inviteRequired: false, admin: input.admin, bootstrap: false, verified: true });
    return { user: toUser(user), account: await this.accountInfo(account) };
  }

  /** Check email and password and start a session; the same failure for every wrong pair. */
  async signIn(email: string, password: string): Promise<{ session: StartedSession; account: AccountInfo }> {
    const found = await this.deps.store.accounts.findByEmail(email);
    const hash = found?.account.passwordHash ?? (await this.dummyHash);
    const matches = await this.deps.hasher.verify(hash, password);
    if (!found || !found.account.passwordHash || !matches) throw new ParleyError('unauthorized', wrongCredentials);
    const session = await this.deps.identity.startSession(found.user);
    return { session, account: await this.accountInfo(found.account) };
  }

  /** The signed-in person's account, or 403 for a guest. */
  async me(user: User): Promise<AccountReply> {
    const account = await this.requireAccount(user);
    return { user, account: await this.accountInfo(account) };
  }

  /** Send a fresh verification link to the account's address. */
  async resendVerification(user: User): Promise<void> {
    const account = await this.requireAccount(user);
    if (account.emailVerifiedAt) throw new ParleyError('conflict', 'Your email address is already confirmed.');
    const record = await this.deps.store.users.get(user.id);
    if (record) this.sendVerification(record, account.email);
  }

  /** Use a verification link. */
  async verifyEmail(token: string): Promise<void> {
    const used = await this.consume(token, 'verify');
    if (!(await this.deps.store.accounts.markEmailVerified(used.userId, used.email, this.clock()))) {
      throw new ParleyError('conflict', 'This link was for an email address the account no longer has.');
    }
  }

  /**
   * Ask for a reset link. Answers the same whether or not the address has an account; the lookup
   * happens either way and the mail goes out after the reply.
   */
  async requestPasswordReset(email: string): Promise<void> {
    const found = await this.deps.store.accounts.findByEmail(email);
    if (!found) return;
    const token = await this.issueToken(found.user.id, 'reset', found.account.email, resetLinkMinutes * 60_000);
    const link = this.deps.links(`/reset-password?token=${token}`);
    this.deps.background(this.deps.mailer.send(passwordResetMail(found.account.email, found.user.displayName, link, resetLinkMinutes)), 'password reset mail');
  }

  /** Use a reset link: set the new password and end every session (whoever had them is out). */
  async completePasswordReset(token: string, password: string): Promise<void> {
    const used = await this.consume(token, 'reset');
    await this.deps.store.accounts.setPassword(used.userId, await this.deps.hasher.hash(password));
    await this.deps.identity.endAllSessions(used.userId);
    // Receiving the link proves the address as well as a verification link would.
    await this.deps.store.accounts.markEmailVerified(used.userId, used.email, this.clock());
  }

  /** The account of a member, or 403 for a guest. */
  async requireAccount(user: User): Promise<AccountRecord> {
    const account = user.kind === 'member' ? await this.deps.store.accounts.get(user.id) : null;
    if (!account) throw new ParleyError('forbidden', 'Sign in with an account to do this.');
    return account;
  }

  private async register(
    input: SignUpInput | (Omit<CreateUserInput, 'password' | 'admin'> & { inviteCode: undefined }),
    passwordHash: string | null,
    rules: { inviteRequired: boolean; admin: boolean; bootstrap: boolean; verified: boolean },
  ): Promise<{ user: UserRecord; account: AccountRecord }> {
    const now = this.clock();
    const user: UserRecord = { id: newId(), displayName: input.displayName, kind: 'member', createdAt: now };
    const account = { userId: user.id, email: input.email, passwordHash, emailVerifiedAt: rules.verified ? now : null, createdAt: now };
    const result = await this.deps.store.accounts.register({
      user,
      account,
      profile: { userId: user.id, username: input.username, bio: '', avatarVersion: null, joinedAt: now },
      inviteCode: input.inviteCode ?? null,
      inviteRequired: rules.inviteRequired,
      admin: rules.admin,
      bootstrap: rules.bootstrap,
    });
    switch (result.kind) {
      case 'created':
        return { user, account: { ...account, role: result.role } };
      case 'invite_required':
        throw new ParleyError('forbidden', 'This server is invite-only: sign up with an invite code from a member.');
      case 'invite_invalid':
        throw new ParleyError('conflict', 'This invite code is unknown or has already been used.');
      case 'email_taken':
        throw new ParleyError('conflict', 'An account with this email already exists. Sign in, or reset your password.');
      case 'username_taken':
        throw new ParleyError('conflict', 'This username is taken. Pick another one.');
    }
  }

  private sendVerification(user: UserRecord, email: string): void {
    const send = async () => {
      const token = await this.issueToken(user.id, 'verify', email, verificationLinkHours * 3_600_000);
      const link = this.deps.links(`/verify-email?token=${token}`);
      await this.deps.mailer.send(verificationMail(email, user.displayName, link, verificationLinkHours));
    };
    this.deps.background(send(), 'verification mail');
  }

  private async issueToken(userId: string, purpose: EmailTokenPurpose, email: string, lifetimeMs: number): Promise<string> {
    const token = newToken();
    const now = this.clock();
    await this.deps.store.emailTokens.create({ tokenHash: hashToken(token), userId, purpose, email, createdAt: now, expiresAt: new Date(now.getTime() + lifetimeMs), usedAt: null });
    return token;
  }

  private async consume(token: string, purpose: EmailTokenPurpose) {
    const used = await this.deps.store.emailTokens.consume(hashToken(token), purpose, this.clock());
    if (!used) throw new ParleyError('invalid_message', 'This link has expired or was already used. Ask for a new one.');
    return used;
  }

  private async accountInfo(account: AccountRecord): Promise<AccountInfo> {
    const profile = await this.deps.store.profiles.get(account.userId);
    return {
      email: account.email,
      emailVerified: account.emailVerifiedAt !== null,
      username: profile?.username ?? '',
      role: account.role,
      createdAt: account.createdAt.toISOString(),
    };
  }
}
