import { ParleyError, type ActivityReply, type Delegation, type DelegationListReply, type DelegationScope, type User } from '@parley/protocol';
import { newId } from './ids';
import type { Store } from './ports';
import type { ActRecord } from './scheduling-ports';
import { toAct, toDelegation } from './scheduling-views';

/** The most acts the activity page lists. */
const activityLimit = 200;

/** Acting on invitations and events needs an account (a guest cannot delegate or be a delegate). */
export function requireMember(user: User, what: string): void {
  if (user.kind !== 'member') throw new ParleyError('forbidden', `Sign in with an account to ${what}.`);
}

/**
 * Delegation: a principal (say a head of state) lets a delegate (their press office) act for them on
 * invitations and events, within scopes, until revoked. This service also answers the question every
 * other scheduling service asks first: for whom is this person acting? Every act is recorded with
 * both, so the principal sees what was done in their name and by whom.
 */
export class DelegationService {
  constructor(
    private readonly store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The grants the person gave and holds. */
  async list(user: User): Promise<DelegationListReply> {
    requireMember(user, 'manage delegates');
    const { granted, received } = await this.store.scheduling.delegations.listActive(user.id);
    return { granted: granted.map(toDelegation), received: received.map(toDelegation) };
  }

  /** Let the member with this username act for the user within `scopes` (replacing the scopes of an existing grant). */
  async grant(user: User, username: string, scopes: DelegationScope[]): Promise<Delegation> {
    requireMember(user, 'appoint a delegate');
    const delegate = await this.store.scheduling.people.byUsername(username);
    if (!delegate) throw new ParleyError('not_found', 'Nobody has this username.');
    if (delegate.id === user.id) throw new ParleyError('conflict', 'You cannot be your own delegate.');
    const now = this.clock();
    const id = newId();
    const granted = await this.store.scheduling.delegations.grant(
      { id, principalId: user.id, delegateId: delegate.id, scopes, createdAt: now, revokedAt: null },
      this.act('delegation.granted', id, user.id, user.id),
    );
    const view = await this.store.scheduling.delegations.get(granted.id);
    if (!view) throw new ParleyError('internal', 'The delegation vanished.');
    return toDelegation(view);
  }

  /** End a grant: the principal revokes it, or the delegate steps down. */
  async revoke(user: User, id: string): Promise<void> {
    requireMember(user, 'manage delegates');
    const view = await this.store.scheduling.delegations.get(id);
    const mine = view && (view.delegation.principalId === user.id || view.delegation.delegateId === user.id);
    if (!view || !mine || view.delegation.revokedAt) throw new ParleyError('not_found', 'You have no such delegation.');
    const revoked = await this.store.scheduling.delegations.revoke(id, user.id, this.clock(), this.act('delegation.revoked', id, user.id, view.delegation.principalId));
    if (!revoked) throw new ParleyError('not_found', 'You have no such delegation.');
  }

  /** What was done for the person (by them or their delegates) and by them for others, newest first. */
  async activity(user: User): Promise<ActivityReply> {
    requireMember(user, 'see your activity');
    return { acts: (await this.store.scheduling.acts.forPerson(user.id, activityLimit)).map(toAct) };
  }

  /**
   * For whom the user acts: themselves, or `onBehalfOf` when they hold an active grant from that
   * person with `scope` (otherwise `forbidden`).
   */
  async principalFor(user: User, onBehalfOf: string | undefined, scope: DelegationScope): Promise<string> {
    if (onBehalfOf === undefined || onBehalfOf === user.id) return user.id;
    if (user.kind === 'member' && (await this.store.scheduling.delegations.allows(onBehalfOf, user.id, scope))) return onBehalfOf;
    throw new ParleyError('forbidden', `You are not a delegate for this person on ${scope}.`);
  }

  /** Everyone the user may act for within `scope`: themselves first, then their principals. */
  async principalsOf(user: User, scope: DelegationScope): Promise<string[]> {
    if (user.kind !== 'member') return [user.id];
    return [user.id, ...(await this.store.scheduling.delegations.principalsOf(user.id, scope))];
  }

  /**
   * Who acts for a side of something: the principal and their delegates within `scope`, each with
   * the principal they act for (null for the principal themselves).
   */
  async sideOf(principalId: string, scope: DelegationScope): Promise<{ userId: string; onBehalfOf: string | null }[]> {
    const delegates = await this.store.scheduling.delegations.delegatesOf([principalId], scope);
    return [{ userId: principalId, onBehalfOf: null }, ...delegates.map((d) => ({ userId: d.delegateId, onBehalfOf: d.principalId }))];
  }

  /** An act to record with a change. */
  act(action: ActRecord['action'], subjectId: string, actorId: string | null, principalId: string | null): ActRecord {
    return { id: newId(), action, subjectId, at: this.clock(), actorId, principalId };
  }
}
