import { describe, expect, test } from 'vitest';
import type { Invitation, PersonRef } from '@parley/protocol';
import {
  actedByLabel,
  activityLine,
  counterpartLine,
  historyLine,
  invitationLinkName,
  invitationTitle,
  liveRoomOf,
  mayJoinOnStage,
  scopesText,
  seenAsDelegate,
  statusText,
  uniqueById,
} from './invitationView';

function person(id: string, displayName: string): PersonRef {
  return { id, username: displayName.toLowerCase(), displayName, avatarUrl: null };
}

const ada = person('ada00001', 'Ada');
const ben = person('ben00001', 'Ben');
const cy = person('cy000001', 'Cy');

function invitation(patch: Partial<Invitation> = {}): Invitation {
  return {
    id: 'inv00001',
    kind: 'event',
    status: 'pending',
    event: { id: 'evt00001', title: 'Rust at scale', startsAt: '2026-05-01T16:00:00.000Z', timeZone: 'Europe/Paris', status: 'scheduled' },
    room: null,
    inviter: ada,
    invitee: ben,
    inviteeEmail: null,
    terms: { topic: 'Ownership', startsAt: '2026-05-01T16:00:00.000Z', expectedAudience: '200 people', recorded: true },
    createdAt: '2026-04-01T10:00:00.000Z',
    expiresAt: '2026-05-01T16:00:00.000Z',
    createdBy: { actor: ada, principal: ada },
    decidedBy: null,
    decidedAt: null,
    messageCount: 0,
    viewer: { side: 'invitee', principal: ben, canReply: true, canAccept: true, canDecline: true, canWithdraw: false },
    ...patch,
  };
}

describe('invitation lists', () => {
  test('a link is named by the title, plus the principal when I am their delegate', () => {
    expect(invitationLinkName(invitation(), ben.id)).toBe('Rust at scale');
    expect(seenAsDelegate(invitation(), cy.id)).toBe(true);
    expect(invitationLinkName(invitation(), cy.id)).toBe('Rust at scale for Ben');
  });

  test('a room invitation is named by the room', () => {
    const ping = invitation({ kind: 'room', event: null, room: { id: 'room0001', title: 'Late night chat', status: 'live' } });
    expect(invitationTitle(ping)).toBe('Late night chat');
  });

  test('the other side is named', () => {
    expect(counterpartLine(invitation())).toBe('From Ada');
    const sent = invitation({ viewer: { ...invitation().viewer, side: 'inviter', principal: ada } });
    expect(counterpartLine(sent)).toBe('To Ben');
    expect(counterpartLine({ ...sent, invitee: null, inviteeEmail: 'zoe@example.com' })).toBe('To zoe@example.com');
  });

  test('lists drop duplicates', () => {
    expect(uniqueById([{ id: 'a' }, { id: 'b' }, { id: 'a' }]).map((x) => x.id)).toEqual(['a', 'b']);
  });
});

describe('the invitation page', () => {
  test('status text has the exact prefix', () => {
    expect(statusText('pending')).toBe('Status: pending');
    expect(statusText('accepted')).toBe('Status: accepted');
  });

  test('authors and decisions say who acted for whom', () => {
    expect(actedByLabel({ actor: ben, principal: ben })).toBe('Ben');
    expect(actedByLabel({ actor: cy, principal: ben })).toBe('Cy for Ben');
    expect(historyLine({ action: 'invitation.created', actor: ada, principal: ada })).toBe('Invited by Ada');
    expect(historyLine({ action: 'invitation.accepted', actor: cy, principal: ben })).toBe('Accepted by Cy for Ben');
    expect(historyLine({ action: 'invitation.declined', actor: ben, principal: ben })).toBe('Declined by Ben');
    expect(historyLine({ action: 'invitation.withdrawn', actor: ada, principal: ada })).toBe('Withdrawn by Ada');
    expect(historyLine({ action: 'invitation.expired', actor: null, principal: null })).toMatch(/^Expired/);
    expect(historyLine({ action: 'invitation.message', actor: ben, principal: ben })).toBeNull();
  });

  test('"Join on stage" is for the invitee themselves, once accepted, while the room is live', () => {
    const accepted = invitation({ status: 'accepted' });
    expect(mayJoinOnStage(accepted, ben.id)).toBe(true);
    expect(mayJoinOnStage(accepted, cy.id)).toBe(false);
    expect(mayJoinOnStage(invitation(), ben.id)).toBe(false);
    expect(liveRoomOf(accepted, { roomId: null })).toBeNull();
    const live = invitation({ status: 'accepted', event: { ...accepted.event!, status: 'live' } });
    expect(liveRoomOf(live, { roomId: 'room0001' })).toBe('room0001');
    expect(liveRoomOf(live, null)).toBeNull();
    const ping = invitation({ kind: 'room', event: null, room: { id: 'room0002', title: 'Now', status: 'live' } });
    expect(liveRoomOf(ping, null)).toBe('room0002');
    expect(liveRoomOf({ ...ping, room: { ...ping.room!, status: 'ended' } }, null)).toBeNull();
  });
});

describe('delegation scopes', () => {
  test('read as words', () => {
    expect(scopesText(['invitations'])).toBe('Invitations');
    expect(scopesText(['invitations', 'events'])).toBe('Invitations and Events');
    expect(scopesText([])).toBe('');
  });
});

describe('delegation activity', () => {
  test('says who acted for whom', () => {
    expect(activityLine({ action: 'invitation.accepted', actor: cy, principal: ben })).toBe('Cy (for Ben) accepted an invitation');
    expect(activityLine({ action: 'event.created', actor: ada, principal: ada })).toBe('Ada scheduled an event');
    expect(activityLine({ action: 'invitation.expired', actor: null, principal: null })).toBe('An invitation expired');
  });
});
