import type { FastifyInstance } from 'fastify';
import {
  avatarMaxBytes,
  avatarUploadTypes,
  Id,
  PageQuery,
  ParleyError,
  UpdateProfileBody,
  type PeopleListReply,
  type ProfileReply,
} from '@parley/protocol';
import type { AccountRouteDeps } from './accounts';

/** Usernames in paths: anything that could be one (the rules for new names are checked elsewhere). */
const usernameInPath = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

function username(raw: string): string {
  if (!usernameInPath.test(raw)) throw new ParleyError('not_found', 'Nobody has this username.');
  return raw;
}

/** Profiles, avatars and the follow graph. */
export async function profileRoutes(app: FastifyInstance, deps: AccountRouteDeps): Promise<void> {
  const { auth } = deps;

  // Avatar uploads are the raw image bytes with their type; anything else is refused with 415.
  app.addContentTypeParser([...avatarUploadTypes], { parseAs: 'buffer', bodyLimit: avatarMaxBytes }, (_request, body, done) => done(null, body));

  app.get<{ Params: { username: string } }>('/api/users/:username', async (request): Promise<ProfileReply> => ({
    profile: await deps.profiles.view(username(request.params.username), await auth.currentUser(request)),
  }));

  for (const direction of ['followers', 'following'] as const) {
    app.get<{ Params: { username: string } }>(`/api/users/:username/${direction}`, async (request): Promise<PeopleListReply> => {
      const query = PageQuery.parse(request.query);
      return deps.follows.list(username(request.params.username), direction, await auth.currentUser(request), query.cursor, query.limit);
    });
  }

  app.put<{ Params: { username: string } }>('/api/users/:username/follow', async (request): Promise<ProfileReply> => ({
    profile: await deps.follows.follow(await auth.requireMember(request, 'follow people'), username(request.params.username)),
  }));

  app.delete<{ Params: { username: string } }>('/api/users/:username/follow', async (request): Promise<ProfileReply> => ({
    profile: await deps.follows.unfollow(await auth.requireMember(request, 'follow people'), username(request.params.username)),
  }));

  app.get('/api/account/profile', async (request): Promise<ProfileReply> => ({ profile: await deps.profiles.own(await auth.requireMember(request, 'have a profile')) }));

  app.patch('/api/account/profile', async (request): Promise<ProfileReply> => {
    const user = await auth.requireMember(request, 'edit a profile');
    const body = UpdateProfileBody.parse(request.body);
    return { profile: await deps.profiles.update(user, body) };
  });

  app.put('/api/account/avatar', { bodyLimit: avatarMaxBytes }, async (request): Promise<ProfileReply> => {
    const user = await auth.requireMember(request, 'set an avatar');
    if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
      throw new ParleyError('invalid_message', `Send the image itself as the body, typed ${avatarUploadTypes.join(', ')}.`);
    }
    return { profile: await deps.profiles.setAvatar(user, new Uint8Array(request.body)) };
  });

  app.delete('/api/account/avatar', async (request): Promise<ProfileReply> => ({
    profile: await deps.profiles.removeAvatar(await auth.requireMember(request, 'remove an avatar')),
  }));

  app.get<{ Params: { userId: string; version: string } }>('/api/avatars/:userId/:version', async (request, reply) => {
    const userId = Id.safeParse(request.params.userId);
    if (!userId.success || !/^[A-Za-z0-9_-]{1,64}$/.test(request.params.version)) throw new ParleyError('not_found', 'No such avatar.');
    const avatar = await deps.profiles.avatar(userId.data, request.params.version);
    // The version is a hash of the bytes and part of the URL: a URL's content never changes.
    const etag = `"${avatar.version}"`;
    void reply.header('cache-control', 'public, max-age=31536000, immutable').header('etag', etag).header('content-disposition', 'inline');
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    return reply.type(avatar.contentType).send(Buffer.from(avatar.bytes));
  });
}
