import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member } from './http-helpers';
import { inMinutes, SchedulingWorld } from './scheduling-helpers';

/**
 * Delegation as a state machine over real HTTP: granted (scopes), granted again (scopes replaced),
 * revoked by the principal or given up by the delegate; what a delegate may do for whom while it is
 * active and nothing after; the principal's record of every act done in their name.
 */

let world: SchedulingWorld;
let ben: Member;
let cy: Member;
let dee: Member;

beforeAll(async () => {
  world = await SchedulingWorld.start();
  ben = await world.member('Ben');
  cy = await world.member('Cy');
  dee = await world.member('Dee');
});
afterAll(async () => {
  await world?.close();
});

const grant = (by: Member, username: string, scopes: string[]) => world.as(by)('/api/delegations', { method: 'POST', json: { username, scopes } });

describe('delegation', () => {
  let delegationId: string;

  it('is granted by username with scopes; both sides list it', async () => {
    const res = await grant(ben, cy.username.toUpperCase(), ['invitations', 'invitations']);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.delegation).toMatchObject({ principal: { username: ben.username }, delegate: { username: cy.username }, scopes: ['invitations'] });
    delegationId = res.body.delegation.id;
    expect((await world.as(ben)('/api/delegations')).body).toMatchObject({ granted: [{ id: delegationId }], received: [] });
    expect((await world.as(cy)('/api/delegations')).body).toMatchObject({ granted: [], received: [{ id: delegationId, principal: { username: ben.username } }] });
  });

  it('refuses nonsense: yourself, nobody, no scopes, unknown scopes, guests', async () => {
    expect((await grant(ben, ben.username, ['events'])).status).toBe(409);
    expect((await grant(ben, 'nobody_here', ['events'])).status).toBe(404);
    expect((await grant(ben, cy.username, [])).body.error.issues).toEqual(['scopes: grant at least one scope']);
    expect((await grant(ben, cy.username, ['everything'])).status).toBe(400);
    const guest = await world.guest('Gus');
    expect((await world.api('/api/delegations', { method: 'POST', cookie: guest.cookie, json: { username: cy.username, scopes: ['events'] } })).status).toBe(403);
  });

  it('granted again, the same grant gets the new scopes', async () => {
    const again = await grant(ben, cy.username, ['events', 'invitations']);
    expect(again.body.delegation).toMatchObject({ id: delegationId, scopes: ['events', 'invitations'] });
    // Now Cy may schedule for Ben; Ben is the event's host, Cy is recorded as the one who did it.
    const event = await world.as(cy)('/api/events', { method: 'POST', json: { title: 'Scheduled by the office', startsAt: inMinutes(60), timeZone: 'UTC', onBehalfOf: ben.user.id } });
    expect(event.status, JSON.stringify(event.body)).toBe(201);
    expect(event.body.event).toMatchObject({ hosts: [{ username: ben.username }], viewer: { host: false, canManage: true } });
    // A delegate cannot pass the power on: a grant always names its maker as the principal.
    const onward = await grant(cy, dee.username, ['events']);
    expect(onward.body.delegation.principal.username).toBe(cy.username);
    expect((await world.as(dee)('/api/events', { method: 'POST', json: { title: 'x', startsAt: inMinutes(60), timeZone: 'UTC', onBehalfOf: ben.user.id } })).status).toBe(403);
  });

  it('the principal sees every act done in their name, and by whom', async () => {
    const acts = (await world.as(ben)('/api/delegations/activity')).body.acts;
    expect(acts.map((a: { action: string; actor: { username: string }; principal: { username: string } }) => [a.action, a.actor.username, a.principal.username])).toEqual([
      ['event.created', cy.username, ben.username],
      ['delegation.granted', ben.username, ben.username],
      ['delegation.granted', ben.username, ben.username],
    ]);
  });

  it('the delegate may give it up; then they can act for nobody', async () => {
    expect((await world.as(dee)(`/api/delegations/${delegationId}`, { method: 'DELETE' })).status).toBe(404);
    expect((await world.as(cy)(`/api/delegations/${delegationId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await world.as(cy)(`/api/delegations/${delegationId}`, { method: 'DELETE' })).status).toBe(404);
    expect((await world.as(ben)('/api/delegations')).body.granted).toEqual([]);
    const refused = await world.as(cy)('/api/events', { method: 'POST', json: { title: 'x', startsAt: inMinutes(60), timeZone: 'UTC', onBehalfOf: ben.user.id } });
    expect(refused.status).toBe(403);
    const acts = (await world.as(ben)('/api/delegations/activity')).body.acts;
    expect(acts[0]).toMatchObject({ action: 'delegation.revoked', subjectId: delegationId, actor: { username: cy.username }, principal: { username: ben.username } });
    // Granting anew makes a new grant.
    expect((await grant(ben, cy.username, ['events'])).body.delegation.id).not.toBe(delegationId);
  });
});
