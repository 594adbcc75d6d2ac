import { createHash } from 'node:crypto';
import { ParleyError, type Profile, type User } from '@parley/protocol';
import type { AvatarRecord, ProfileView } from './accounts-ports';
import { toPersonRef } from './invites';
import type { AvatarEncoder, Store } from './ports';

/** Profile changes, already validated with the protocol's schemas. */
export interface ProfileChanges {
  displayName?: string | undefined;
  username?: string | undefined;
  bio?: string | undefined;
}

/** The protocol's profile from what the store read. */
export function toProfile(view: ProfileView): Profile {
  return {
    ...toPersonRef(view.person),
    bio: view.bio,
    joinedAt: view.joinedAt.toISOString(),
    invitedBy: view.invitedBy ? toPersonRef(view.invitedBy) : null,
    followerCount: view.followerCount,
    followingCount: view.followingCount,
    relationship: view.relationship,
  };
}

/**
 * Profiles: what anyone sees of an account (username, display name, bio, avatar, who invited them,
 * when they joined, follower counts), and the owner's edits. Avatars are re-encoded by the
 * {@link AvatarEncoder} before they are stored, and served under a versioned URL.
 */
export class ProfileService {
  constructor(
    private readonly store: Store,
    private readonly encoder: AvatarEncoder,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** A profile by username, as the viewer sees it (their relationship to the person). */
  async view(username: string, viewer: User | null): Promise<Profile> {
    const view = await this.store.profiles.viewByUsername(username, viewerId(viewer));
    if (!view) throw new ParleyError('not_found', 'Nobody has this username.');
    return toProfile(view);
  }

  /** One's own profile. */
  async own(user: User): Promise<Profile> {
    const view = await this.store.profiles.viewByUserId(user.id, user.id);
    if (!view) throw new ParleyError('forbidden', 'Sign in with an account to have a profile.');
    return toProfile(view);
  }

  /** Change display name, username or bio. */
  async update(user: User, changes: ProfileChanges): Promise<Profile> {
    await this.own(user);
    const result = await this.store.profiles.update(user.id, changes);
    if (result === 'username_taken') throw new ParleyError('conflict', 'This username is taken. Pick another one.');
    return this.own(user);
  }

  /** Replace the avatar with an uploaded image (re-encoded; the encoder refuses what it cannot read). */
  async setAvatar(user: User, upload: Uint8Array): Promise<Profile> {
    await this.own(user);
    const encoded = await this.encoder.encode(upload);
    const version = createHash('sha256').update(encoded.bytes).digest('base64url').slice(0, 16);
    const avatar: AvatarRecord = { userId: user.id, version, contentType: encoded.contentType, bytes: encoded.bytes, updatedAt: this.clock() };
    await this.store.profiles.setAvatar(user.id, avatar);
    return this.own(user);
  }

  /** Remove the avatar. */
  async removeAvatar(user: User): Promise<Profile> {
    await this.own(user);
    await this.store.profiles.setAvatar(user.id, null);
    return this.own(user);
  }

  /** The avatar image of this version, or 404 (an old version's URL stops working when replaced). */
  async avatar(userId: string, version: string): Promise<AvatarRecord> {
    const avatar = await this.store.profiles.getAvatar(userId);
    if (!avatar || avatar.version !== version) throw new ParleyError('not_found', 'No such avatar.');
    return avatar;
  }
}

/** Guests see profiles without a relationship. */
export function viewerId(viewer: User | null): string | null {
  return viewer?.kind === 'member' ? viewer.id : null;
}
