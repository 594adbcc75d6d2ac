import {
  AccountReply,
  ApiTokenListReply,
  CreatedApiTokenReply,
  InviteListReply,
  InviteLookupReply,
  InviteReply,
  MailQueuedReply,
  PeopleListReply,
  ProfileReply,
  ServerInfoReply,
  type AdminSettingsBody,
  type ApiToken,
  type CreateApiTokenBody,
  type CreateInviteBody,
  type Invite,
  type PageQuery,
  type PasswordResetCompleteBody,
  type PasswordResetRequestBody,
  type PersonRef,
  type Profile,
  type SignInBody,
  type SignUpBody,
  type UpdateProfileBody,
} from '@parley/protocol';
import type { HttpClient } from './HttpClient';

const path = (value: string) => encodeURIComponent(value);

/** Sign-up, sign-in and the signed-in account (`client.accounts`). */
export class AccountsApi {
  constructor(private readonly http: HttpClient) {}

  /** Whether sign-up needs a code, and whether this would be the server's first account. */
  server = (): Promise<ServerInfoReply> => this.http.send('GET', '/api/server', ServerInfoReply);

  /** Create an account; the server signs it in (session cookie). */
  signUp = (body: SignUpBody): Promise<AccountReply> => this.http.send('POST', '/api/accounts', AccountReply, body);

  /** Sign in with email and password; a wrong pair rejects with `unauthorized`. */
  signIn = (body: SignInBody): Promise<AccountReply> => this.http.send('POST', '/api/sign-in', AccountReply, body);

  /** The signed-in account; rejects with `forbidden` for a guest. */
  me = (): Promise<AccountReply> => this.http.send('GET', '/api/account', AccountReply);

  /** End every session of the account, this one included. */
  signOutEverywhere = (): Promise<void> => this.http.sendEmpty('DELETE', '/api/account/sessions');

  /** Mail a fresh confirmation link. */
  resendVerification = (): Promise<MailQueuedReply> => this.http.send('POST', '/api/account/verification', MailQueuedReply, {});

  /** Use the token of a confirmation link. */
  verifyEmail = (token: string): Promise<void> => this.http.sendEmpty('POST', '/api/account/verify', { token });

  /** Ask for a password reset link (the answer is the same whether or not the address is known). */
  requestPasswordReset = (body: PasswordResetRequestBody): Promise<MailQueuedReply> => this.http.send('POST', '/api/password-reset', MailQueuedReply, body);

  /** Set a new password with the token of a reset link; every session ends. */
  completePasswordReset = (body: PasswordResetCompleteBody): Promise<void> => this.http.sendEmpty('POST', '/api/password-reset/complete', body);

  /** Switch invite-only mode (admins). */
  setInviteOnly = (inviteOnly: boolean): Promise<ServerInfoReply> => {
    const body: AdminSettingsBody = { inviteOnly };
    return this.http.send('PATCH', '/api/admin/settings', ServerInfoReply, body);
  };
}

/** Profiles, avatars and the follow graph (`client.profiles`). */
export class ProfilesApi {
  constructor(private readonly http: HttpClient) {}

  get = async (username: string): Promise<Profile> => (await this.http.send('GET', `/api/users/${path(username)}`, ProfileReply)).profile;

  /** The signed-in member's own profile. */
  own = async (): Promise<Profile> => (await this.http.send('GET', '/api/account/profile', ProfileReply)).profile;

  update = async (body: UpdateProfileBody): Promise<Profile> => (await this.http.send('PATCH', '/api/account/profile', ProfileReply, body)).profile;

  /** Upload an avatar (PNG, JPEG, WebP or GIF up to 2 MiB); the server re-encodes it. */
  setAvatar = async (image: Blob): Promise<Profile> =>
    (await this.http.sendBytes('PUT', '/api/account/avatar', ProfileReply, image, image.type || 'application/octet-stream')).profile;

  removeAvatar = async (): Promise<Profile> => (await this.http.send('DELETE', '/api/account/avatar', ProfileReply)).profile;

  follow = async (username: string): Promise<Profile> => (await this.http.send('PUT', `/api/users/${path(username)}/follow`, ProfileReply)).profile;

  unfollow = async (username: string): Promise<Profile> => (await this.http.send('DELETE', `/api/users/${path(username)}/follow`, ProfileReply)).profile;

  /** One page of who follows `username`, newest first. */
  followers = (username: string, page: PageQuery = {}): Promise<PeopleListReply> => this.list(username, 'followers', page);

  /** One page of whom `username` follows, newest first. */
  following = (username: string, page: PageQuery = {}): Promise<PeopleListReply> => this.list(username, 'following', page);

  private list(username: string, direction: 'followers' | 'following', page: PageQuery): Promise<PeopleListReply> {
    const query = new URLSearchParams();
    if (page.cursor) query.set('cursor', page.cursor);
    if (page.limit !== undefined) query.set('limit', String(page.limit));
    const suffix = query.size > 0 ? `?${query}` : '';
    return this.http.send('GET', `/api/users/${path(username)}/${direction}${suffix}`, PeopleListReply);
  }
}

/** Invitations to join the server (`client.invites`). */
export class InvitesApi {
  constructor(private readonly http: HttpClient) {}

  list = (): Promise<InviteListReply> => this.http.send('GET', '/api/invites', InviteListReply);

  /** Create an invite code; with `email`, the server mails the sign-up link. */
  create = async (body: CreateInviteBody = {}): Promise<Invite> => (await this.http.send('POST', '/api/invites', InviteReply, body)).invite;

  withdraw = (code: string): Promise<void> => this.http.sendEmpty('DELETE', `/api/invites/${path(code)}`);

  /** Who is inviting with this code (404 when unknown or used). */
  lookup = async (code: string): Promise<PersonRef> => (await this.http.send('GET', `/api/invites/${path(code)}`, InviteLookupReply)).inviter;
}

/** Personal API tokens (`client.tokens`). */
export class TokensApi {
  constructor(private readonly http: HttpClient) {}

  list = async (): Promise<ApiToken[]> => (await this.http.send('GET', '/api/account/tokens', ApiTokenListReply)).tokens;

  /** Create a token; `secret` is shown only now. */
  create = (name: string): Promise<CreatedApiTokenReply> => {
    const body: CreateApiTokenBody = { name };
    return this.http.send('POST', '/api/account/tokens', CreatedApiTokenReply, body);
  };

  revoke = (id: string): Promise<void> => this.http.sendEmpty('DELETE', `/api/account/tokens/${path(id)}`);
}
