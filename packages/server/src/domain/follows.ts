import { ParleyError, type PeopleListReply, type Profile, type User } from '@parley/protocol';
import type { FollowCursor } from './accounts-ports';
import { toPersonRef } from './invites';
import { toProfile, viewerId } from './profiles';
import type { Store } from './ports';

/**
 * The follow graph: members follow members (one-way edges; two edges make a mutual follow). Lists
 * are paginated newest first with an opaque cursor. All reads go through the store's follow queries,
 * which is where blocks will filter the graph.
 */
export class FollowService {
  constructor(
    private readonly store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Follow the person with this username; following twice is the same as once. Returns their profile. */
  async follow(user: User, username: string): Promise<Profile> {
    const target = await this.target(user, username);
    if (target === user.id) throw new ParleyError('conflict', 'You cannot follow yourself.');
    // A block keeps the two apart: it removed their follows, and neither may follow the other again.
    if (await this.store.moderation.blocks.between(user.id, target)) throw new ParleyError('forbidden', 'You cannot follow this person: one of you blocks the other.');
    await this.store.follows.add(user.id, target, this.clock());
    return this.profile(target, user);
  }

  /** Stop following; unfollowing someone you do not follow changes nothing. Returns their profile. */
  async unfollow(user: User, username: string): Promise<Profile> {
    const target = await this.target(user, username);
    await this.store.follows.remove(user.id, target);
    return this.profile(target, user);
  }

  /** One page of followers or following of the person with this username. */
  async list(username: string, direction: 'followers' | 'following', viewer: User | null, cursor: string | undefined, limit: number): Promise<PeopleListReply> {
    const owner = await this.store.profiles.viewByUsername(username, null);
    if (!owner) throw new ParleyError('not_found', 'Nobody has this username.');
    const entries = await this.store.follows.list({ userId: owner.person.id, direction, viewerId: viewerId(viewer), after: decodeCursor(cursor), limit: limit + 1 });
    const page = entries.slice(0, limit);
    const last = page[page.length - 1];
    return {
      people: page.map((entry) => ({ ...toPersonRef(entry.person), relationship: entry.relationship })),
      nextCursor: entries.length > limit && last ? encodeCursor({ at: last.followedAt, userId: last.person.id }) : null,
    };
  }

  private async target(user: User, username: string): Promise<string> {
    if (user.kind !== 'member') throw new ParleyError('forbidden', 'Sign in with an account to follow people.');
    const view = await this.store.profiles.viewByUsername(username, null);
    if (!view) throw new ParleyError('not_found', 'Nobody has this username.');
    return view.person.id;
  }

  private async profile(userId: string, viewer: User): Promise<Profile> {
    const view = await this.store.profiles.viewByUserId(userId, viewer.id);
    if (!view) throw new ParleyError('not_found', 'Nobody has this username.');
    return toProfile(view);
  }
}

/** Cursors are opaque to clients: base64url of the last entry's time and id. */
function encodeCursor(cursor: FollowCursor): string {
  return Buffer.from(`${cursor.at.toISOString()}|${cursor.userId}`).toString('base64url');
}

function decodeCursor(cursor: string | undefined): FollowCursor | null {
  if (!cursor) return null;
  const [at, userId] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (!userId || Number.isNaN(date.getTime())) throw new ParleyError('invalid_message', 'This list cursor is not valid.');
  return { at: date, userId };
}
