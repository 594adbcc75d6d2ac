import { randomInt } from 'node:crypto';
import { ParleyError, type Invite, type InviteListReply, type PersonRef, type ServerInfoReply, type User } from '@parley/protocol';
import type { InviteWithRedeemer, PersonRecord } from './accounts-ports';
import { inviteMail } from './accounts-mail';
import type { Mailer, Store } from './ports';

/** Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L). */
const codeAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A fresh invite code, `XXXX-XXXX-XXXX`: 12 symbols of 31, about 59 bits. */
export function newInviteCode(): string {
  let code = '';
  for (let i = 0; i < 12; i++) {
    if (i > 0 && i % 4 === 0) code += '-';
    code += codeAlphabet[randomInt(codeAlphabet.length)];
  }
  return code;
}

/** Turns a path of the web app into an absolute link (PUBLIC_URL, or the server's own address). */
export type LinkBuilder = (path: string) => string;

/** The public side of a person record: what lists and links show. */
export function toPersonRef(person: PersonRecord): PersonRef {
  return {
    id: person.id,
    username: person.username,
    displayName: person.displayName,
    avatarUrl: person.avatarVersion ? avatarPath(person.id, person.avatarVersion) : null,
  };
}

/** Where an avatar version is served; the version in the path makes it cacheable for good. */
export function avatarPath(userId: string, version: string): string {
  return `/api/avatars/${encodeURIComponent(userId)}/${encodeURIComponent(version)}`;
}

const inviteOnlyKey = 'invite_only';

/** Server-wide settings an admin switches at run time. */
export class ServerSettings {
  constructor(private readonly store: Store) {}

  /** Invite-only mode: on unless an admin switched it off. */
  async inviteOnly(): Promise<boolean> {
    return (await this.store.settings.get(inviteOnlyKey)) !== 'false';
  }

  /** What the sign-up page needs to know. */
  async info(): Promise<ServerInfoReply> {
    const [inviteOnly, admins] = await Promise.all([this.inviteOnly(), this.store.accounts.count('admin')]);
    return { inviteOnly, firstAccount: admins === 0 };
  }

  /** Switch invite-only mode (admins only). */
  async setInviteOnly(actor: User, inviteOnly: boolean): Promise<ServerInfoReply> {
    const account = await this.store.accounts.get(actor.id);
    if (account?.role !== 'admin') throw new ParleyError('forbidden', 'Only an admin can change this.');
    await this.store.settings.set(inviteOnlyKey, String(inviteOnly));
    return this.info();
  }
}

/** Options of the {@link InviteService}. */
export interface InviteServiceOptions {
  /** Invites a member may create; admins have no limit. */
  quota: number;
  links: LinkBuilder;
}

/**
 * Invitations to join the server, Clubhouse-style: each member has a quota of codes, a code can be
 * emailed as a sign-up link, and redeeming it (at sign-up, see AccountService) records who invited
 * whom. Members see their invites and who joined through them.
 */
export class InviteService {
  constructor(
    private readonly store: Store,
    private readonly mailer: Mailer,
    private readonly options: InviteServiceOptions,
    private readonly background: (task: Promise<unknown>, what: string) => void,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The member's invites and quota. */
  async list(user: User): Promise<InviteListReply> {
    const limit = await this.quotaOf(user);
    const invites = await this.store.invites.listByInviter(user.id);
    return { invites: invites.map((invite) => this.toInvite(invite)), quota: { limit, used: invites.length } };
  }

  /** Create an invite; with an email, send it the sign-up link. */
  async create(user: User, email: string | undefined): Promise<Invite> {
    const limit = await this.quotaOf(user);
    const account = await this.store.accounts.get(user.id);
    if (email && !account?.emailVerifiedAt) {
      throw new ParleyError('forbidden', 'Confirm your own email address before inviting people by email.');
    }
    const invite = { code: newInviteCode(), inviterId: user.id, email: email ?? null, createdAt: this.clock(), redeemedBy: null, redeemedAt: null };
    if (!(await this.store.invites.createWithinQuota(invite, limit))) {
      throw new ParleyError('forbidden', `You have used all ${limit} of your invites. Withdraw an unused one to invite someone else.`);
    }
    if (email) {
      const profile = await this.store.profiles.get(user.id);
      const link = this.signUpLink(invite.code);
      this.background(this.mailer.send(inviteMail(email, user.displayName, profile?.username ?? user.displayName, invite.code, link)), 'invite mail');
    }
    return this.toInvite({ ...invite, redeemer: null });
  }

  /** Withdraw an unused invite: the code stops working and the quota is freed. */
  async withdraw(user: User, code: string): Promise<void> {
    if (!(await this.store.invites.withdraw(code, user.id))) {
      throw new ParleyError('not_found', 'No unused invite of yours has this code.');
    }
  }

  /** Who is behind a code that can still be used (the sign-up page greets the invitee with it). */
  async lookup(code: string): Promise<PersonRef> {
    const found = await this.store.invites.findOpen(code);
    if (!found) throw new ParleyError('not_found', 'This invite code is unknown or has already been used.');
    return toPersonRef(found.inviter);
  }

  private async quotaOf(user: User): Promise<number | null> {
    const account = await this.store.accounts.get(user.id);
    if (!account) throw new ParleyError('forbidden', 'Sign in with an account to invite people.');
    return account.role === 'admin' ? null : this.options.quota;
  }

  private signUpLink(code: string): string {
    return this.options.links(`/sign-up?invite=${encodeURIComponent(code)}`);
  }

  private toInvite(invite: InviteWithRedeemer): Invite {
    return {
      code: invite.code,
      email: invite.email,
      link: this.signUpLink(invite.code),
      createdAt: invite.createdAt.toISOString(),
      redeemedBy: invite.redeemer ? toPersonRef(invite.redeemer) : null,
      redeemedAt: invite.redeemedAt?.toISOString() ?? null,
    };
  }
}
