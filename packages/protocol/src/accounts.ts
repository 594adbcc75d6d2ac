import { z } from 'zod';
import { DisplayName, Id, User } from './model';

/**
 * Accounts, profiles, the follow graph, invitations to join the server, and personal API tokens:
 * the bodies and replies of their HTTP endpoints (docs/protocol.md, section "Accounts").
 */

/** An email address, compared case-insensitively: trimmed and lower-cased before anything else. */
export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'email is at most 254 characters')
  .pipe(z.email('enter an email address like name@example.org'));
export type Email = z.infer<typeof Email>;

/** Rules for a new password. Only the length is checked: long passphrases beat composition rules. */
export const Password = z
  .string()
  .min(8, 'password must be at least 8 characters')
  .max(256, 'password is at most 256 characters');

/** Names nobody may take: they would read as the server speaking, or collide with app paths. */
export const reservedUsernames: readonly string[] = [
  'admin',
  'administrator',
  'root',
  'system',
  'parley',
  'support',
  'help',
  'moderator',
  'staff',
  'official',
  'everyone',
  'me',
  'null',
  'undefined',
];

/**
 * A username: 3–24 characters, letters (a–z), digits and `_`, starting with a letter. Unique without
 * regard to case (`Ada` and `ada` are the same name); shown as its owner typed it.
 */
export const Username = z
  .string()
  .trim()
  .min(3, 'username must be at least 3 characters')
  .max(24, 'username is at most 24 characters')
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'username may use only letters, digits and _, and must start with a letter')
  .refine((name) => !reservedUsernames.includes(name.toLowerCase()), 'this username is reserved');

/** A short text about a person, shown on their profile. */
export const Bio = z.string().trim().max(300, 'bio is at most 300 characters');

/**
 * An invite code: 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), written in
 * groups of four. Accepted in any case, with or without the dashes.
 */
export const InviteCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-HJKMNP-Z2-9]{4}-?[A-HJKMNP-Z2-9]{4}-?[A-HJKMNP-Z2-9]{4}$/, 'an invite code looks like ABCD-EFGH-JKMN')
  .transform((code) => code.replaceAll('-', '').replace(/(.{4})(.{4})(.{4})/, '$1-$2-$3'));

/** A one-time token from an emailed link (email verification, password reset). */
export const EmailToken = z.string().min(20, 'this link is incomplete').max(128).regex(/^[A-Za-z0-9_-]+$/, 'this link is damaged');

/** A server-wide role: admins run the server (invite-only switch, unlimited invites). */
export const AccountRole = z.enum(['member', 'admin']);
export type AccountRole = z.infer<typeof AccountRole>;

/** What the signed-in person knows about their own account. */
export const AccountInfo = z.object({
  email: Email,
  emailVerified: z.boolean(),
  username: z.string(),
  role: AccountRole,
  createdAt: z.iso.datetime(),
});
export type AccountInfo = z.infer<typeof AccountInfo>;

/** `POST /api/accounts`: sign up. `inviteCode` is required while the server is invite-only. */
export const SignUpBody = z.object({
  email: Email,
  password: Password,
  username: Username,
  displayName: DisplayName,
  inviteCode: InviteCode.optional(),
});
export type SignUpBody = z.input<typeof SignUpBody>;

/** `POST /api/sign-in`. The password is not checked against the rules for new ones. */
export const SignInBody = z.object({
  email: Email,
  password: z.string().min(1, 'password is required').max(256, 'password is at most 256 characters'),
});
export type SignInBody = z.input<typeof SignInBody>;

/** `GET /api/account`, and the reply to sign-up and sign-in. */
export const AccountReply = z.object({ user: User, account: AccountInfo });
export type AccountReply = z.infer<typeof AccountReply>;

/** `POST /api/account/verify`: the token from the verification email. */
export const VerifyEmailBody = z.object({ token: EmailToken });
export type VerifyEmailBody = z.infer<typeof VerifyEmailBody>;

/** `POST /api/password-reset`: ask for a reset link. The reply is the same whether or not the address is known. */
export const PasswordResetRequestBody = z.object({ email: Email });
export type PasswordResetRequestBody = z.input<typeof PasswordResetRequestBody>;

/** The one reply to a reset request (and to a verification resend). */
export const MailQueuedReply = z.object({ status: z.literal('queued'), message: z.string() });
export type MailQueuedReply = z.infer<typeof MailQueuedReply>;

/** `POST /api/password-reset/complete`: the token from the emailed link and the new password. */
export const PasswordResetCompleteBody = z.object({ token: EmailToken, password: Password });
export type PasswordResetCompleteBody = z.input<typeof PasswordResetCompleteBody>;

/** `GET /api/server`: what a sign-up page must know before asking anything. */
export const ServerInfoReply = z.object({
  /** Sign-up needs an invite code. */
  inviteOnly: z.boolean(),
  /** No account exists yet: the next person to sign up needs no code and becomes the admin. */
  firstAccount: z.boolean(),
});
export type ServerInfoReply = z.infer<typeof ServerInfoReply>;

/** `PATCH /api/admin/settings` (admins only). */
export const AdminSettingsBody = z.object({ inviteOnly: z.boolean() });
export type AdminSettingsBody = z.infer<typeof AdminSettingsBody>;

/** A person as shown in lists and links. */
export const PersonRef = z.object({
  id: Id,
  username: z.string(),
  displayName: DisplayName,
  /** URL of the avatar image (WebP, 256×256), or null when there is none. */
  avatarUrl: z.string().nullable(),
});
export type PersonRef = z.infer<typeof PersonRef>;

/** How the viewer and a person are connected. `youFollow && followsYou` is a mutual follow. */
export const Relationship = z.object({ youFollow: z.boolean(), followsYou: z.boolean() });
export type Relationship = z.infer<typeof Relationship>;

/** A profile page. */
export const Profile = PersonRef.extend({
  bio: z.string(),
  joinedAt: z.iso.datetime(),
  /** Who invited this person to the server (their referral), or null (first admin, open sign-up). */
  invitedBy: PersonRef.nullable(),
  followerCount: z.number().int().nonnegative(),
  followingCount: z.number().int().nonnegative(),
  /** Null when the viewer is this person or has no account. */
  relationship: Relationship.nullable(),
});
export type Profile = z.infer<typeof Profile>;

/** `GET /api/users/:username`, profile edits and follow changes. */
export const ProfileReply = z.object({ profile: Profile });
export type ProfileReply = z.infer<typeof ProfileReply>;

/** `PATCH /api/account/profile`: change any of these; at least one. */
export const UpdateProfileBody = z
  .object({ displayName: DisplayName.optional(), username: Username.optional(), bio: Bio.optional() })
  .refine((body) => Object.values(body).some((value) => value !== undefined), 'change at least one field');
export type UpdateProfileBody = z.input<typeof UpdateProfileBody>;

/** Image types an avatar upload may have (`PUT /api/account/avatar` with the raw bytes). */
export const avatarUploadTypes = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
/** Largest avatar upload, in bytes. */
export const avatarMaxBytes = 2 * 1024 * 1024;

/** One person in a followers or following list, with how the viewer relates to them. */
export const PersonListItem = PersonRef.extend({ relationship: Relationship.nullable() });
export type PersonListItem = z.infer<typeof PersonListItem>;

/** `GET /api/users/:username/followers|following?cursor=&limit=`: newest first. */
export const PeopleListReply = z.object({
  people: z.array(PersonListItem),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type PeopleListReply = z.infer<typeof PeopleListReply>;

/** Query of a paginated list. */
export const PageQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1, 'limit is at least 1').max(100, 'limit is at most 100').default(20),
});
export type PageQuery = z.input<typeof PageQuery>;

/** An invitation to join the server, as its inviter sees it. */
export const Invite = z.object({
  code: z.string(),
  /** Who it was emailed to, or null for a code handed over some other way. */
  email: z.string().nullable(),
  /** The sign-up link with the code filled in. */
  link: z.string(),
  createdAt: z.iso.datetime(),
  /** Who joined with it, and when; null while unused. */
  redeemedBy: PersonRef.nullable(),
  redeemedAt: z.iso.datetime().nullable(),
});
export type Invite = z.infer<typeof Invite>;

/** `GET /api/invites`: your invitations and what is left of your quota. */
export const InviteListReply = z.object({
  invites: z.array(Invite),
  /** `limit` null means unlimited (admins). Withdrawn invites do not count. */
  quota: z.object({ limit: z.number().int().nonnegative().nullable(), used: z.number().int().nonnegative() }),
});
export type InviteListReply = z.infer<typeof InviteListReply>;

/** `POST /api/invites`: a code, emailed with a sign-up link when `email` is given. */
export const CreateInviteBody = z.object({ email: Email.optional() });
export type CreateInviteBody = z.input<typeof CreateInviteBody>;

/** `POST /api/invites` reply. */
export const InviteReply = z.object({ invite: Invite });
export type InviteReply = z.infer<typeof InviteReply>;

/** `GET /api/invites/:code`: who is inviting (for the sign-up page); 404 for unknown or used codes. */
export const InviteLookupReply = z.object({ inviter: PersonRef });
export type InviteLookupReply = z.infer<typeof InviteLookupReply>;

/** A personal API token as listed (the secret is shown once, at creation). */
export const ApiToken = z.object({
  id: Id,
  name: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

/** A token's name, so its owner knows which bot holds it. */
export const ApiTokenName = z.string().trim().min(1, 'name is required').max(60, 'name is at most 60 characters');

/** `POST /api/account/tokens`. */
export const CreateApiTokenBody = z.object({ name: ApiTokenName });
export type CreateApiTokenBody = z.input<typeof CreateApiTokenBody>;

/** `POST /api/account/tokens` reply: `secret` goes in `Authorization: Bearer <secret>`; it is never shown again. */
export const CreatedApiTokenReply = z.object({ token: ApiToken, secret: z.string() });
export type CreatedApiTokenReply = z.infer<typeof CreatedApiTokenReply>;

/** `GET /api/account/tokens`. */
export const ApiTokenListReply = z.object({ tokens: z.array(ApiToken) });
export type ApiTokenListReply = z.infer<typeof ApiTokenListReply>;
