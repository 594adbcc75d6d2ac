import { z } from 'zod';
import {
  AccountReply,
  AdminSettingsBody,
  ApiTokenListReply,
  CreateApiTokenBody,
  CreatedApiTokenReply,
  CreateInviteBody,
  ErrorReply,
  InviteListReply,
  InviteLookupReply,
  InviteReply,
  MailQueuedReply,
  PasswordResetCompleteBody,
  PasswordResetRequestBody,
  PeopleListReply,
  ProfileReply,
  ServerInfoReply,
  SignInBody,
  SignUpBody,
  UpdateProfileBody,
  VerifyEmailBody,
} from '@parley/protocol';

const json = (schema: z.ZodType, io: 'input' | 'output' = 'output') => ({ 'application/json': { schema: z.toJSONSchema(schema, { io, unrepresentable: 'any' }) } });
const error = (description: string) => ({ description, content: json(ErrorReply) });
const body = (schema: z.ZodType) => ({ required: true, content: json(schema, 'input') });
const ok = (schema: z.ZodType, description = 'OK') => ({ description, content: json(schema) });
const noContent = { description: 'Done' };
const param = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const limited = error('Rate limited');

/** OpenAPI paths of the account endpoints (merged into /api/openapi.json; prose in docs/protocol.md). */
export const accountPaths = {
  '/api/server': { get: { summary: 'Sign-up settings', responses: { 200: ok(ServerInfoReply) } } },
  '/api/admin/settings': { patch: { summary: 'Switch invite-only mode (admins)', requestBody: body(AdminSettingsBody), responses: { 200: ok(ServerInfoReply), 403: error('Not an admin') } } },
  '/api/accounts': {
    post: {
      summary: 'Sign up (sets the session cookie)',
      requestBody: body(SignUpBody),
      responses: { 201: ok(AccountReply, 'Created'), 400: error('Invalid body'), 403: error('Invite-only: a code is needed'), 409: error('Code unknown or used; email or username taken'), 429: limited },
    },
  },
  '/api/sign-in': { post: { summary: 'Sign in with email and password', requestBody: body(SignInBody), responses: { 200: ok(AccountReply), 401: error('Wrong email or password'), 429: limited } } },
  '/api/account': { get: { summary: 'The signed-in account', responses: { 200: ok(AccountReply), 401: error('No session'), 403: error('A guest') } } },
  '/api/account/sessions': { delete: { summary: 'Sign out everywhere', responses: { 204: noContent } } },
  '/api/account/verification': { post: { summary: 'Mail a new confirmation link', responses: { 202: ok(MailQueuedReply, 'Queued'), 409: error('Already confirmed') } } },
  '/api/account/verify': { post: { summary: 'Confirm the email address', requestBody: body(VerifyEmailBody), responses: { 204: noContent, 400: error('Expired or used link') } } },
  '/api/password-reset': { post: { summary: 'Ask for a reset link (same answer for unknown addresses)', requestBody: body(PasswordResetRequestBody), responses: { 202: ok(MailQueuedReply, 'Queued'), 429: limited } } },
  '/api/password-reset/complete': { post: { summary: 'Set a new password from a reset link', requestBody: body(PasswordResetCompleteBody), responses: { 204: noContent, 400: error('Expired or used link') } } },
  '/api/account/profile': {
    get: { summary: 'Your profile', responses: { 200: ok(ProfileReply) } },
    patch: { summary: 'Edit your profile', requestBody: body(UpdateProfileBody), responses: { 200: ok(ProfileReply), 409: error('Username taken') } },
  },
  '/api/account/avatar': {
    put: {
      summary: 'Upload an avatar (raw PNG, JPEG, WebP or GIF, ≤ 2 MiB); re-encoded to a 256×256 WebP',
      requestBody: { required: true, content: { 'image/png': {}, 'image/jpeg': {}, 'image/webp': {}, 'image/gif': {} } },
      responses: { 200: ok(ProfileReply), 400: error('Not a readable image'), 413: error('Too large'), 415: error('Unsupported type') },
    },
    delete: { summary: 'Remove your avatar', responses: { 200: ok(ProfileReply) } },
  },
  '/api/avatars/{userId}/{version}': {
    get: { summary: 'An avatar image (immutable, cache for a year)', parameters: [param('userId'), param('version')], responses: { 200: { description: 'image/webp' }, 304: { description: 'Not modified' }, 404: error('No such avatar') } },
  },
  '/api/users/{username}': { get: { summary: 'A profile', parameters: [param('username')], responses: { 200: ok(ProfileReply), 404: error('Unknown username') } } },
  '/api/users/{username}/followers': { get: { summary: 'Followers, newest first (cursor, limit)', parameters: [param('username')], responses: { 200: ok(PeopleListReply) } } },
  '/api/users/{username}/following': { get: { summary: 'Following, newest first (cursor, limit)', parameters: [param('username')], responses: { 200: ok(PeopleListReply) } } },
  '/api/users/{username}/follow': {
    put: { summary: 'Follow', parameters: [param('username')], responses: { 200: ok(ProfileReply), 409: error('Yourself') } },
    delete: { summary: 'Unfollow', parameters: [param('username')], responses: { 200: ok(ProfileReply) } },
  },
  '/api/invites': {
    get: { summary: 'Your invites and quota', responses: { 200: ok(InviteListReply) } },
    post: { summary: 'Create an invite (emailed with `email`)', requestBody: body(CreateInviteBody), responses: { 201: ok(InviteReply, 'Created'), 403: error('Quota used up, or email not confirmed') } },
  },
  '/api/invites/{code}': {
    get: { summary: 'Who invites with this unused code', parameters: [param('code')], responses: { 200: ok(InviteLookupReply), 404: error('Unknown or used'), 429: limited } },
    delete: { summary: 'Withdraw an unused invite', parameters: [param('code')], responses: { 204: noContent, 404: error('Used or not yours') } },
  },
  '/api/account/tokens': {
    get: { summary: 'Your personal API tokens', responses: { 200: ok(ApiTokenListReply) } },
    post: { summary: 'Create a token (the secret is shown once)', requestBody: body(CreateApiTokenBody), responses: { 201: ok(CreatedApiTokenReply, 'Created') } },
  },
  '/api/account/tokens/{id}': { delete: { summary: 'Revoke a token', parameters: [param('id')], responses: { 204: noContent, 404: error('Not yours') } } },
};
