import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member } from './http-helpers';
import { linkIn } from './mail-sink';
import { eventually, inMinutes, nextNotification, notificationsOn, SchedulingWorld } from './scheduling-helpers';
import type { TestSocket } from './ws-client';

/**
 * Invitations over real HTTP and WebSocket against the whole server, mail through a real SMTP sink:
 * the story Parley was made for (a host invites a head of state, whose press office asks first and
 * then accepts for him), the state machine with its races, expiry and permission failures, emailed
 * invitations that lead to sign-up, and pings into a live room.
 */

let world: SchedulingWorld;
let ada: Member; // hosts
let ben: Member; // is invited; runs no account activity himself
let cy: Member; // Ben's press office: his delegate on invitations
let dee: Member; // a stranger to all of it
let eventId: string;

beforeAll(async () => {
  world = await SchedulingWorld.start({ inviteQuota: 3 });
  ada = await world.member('Ada');
  ben = await world.member('Ben');
  cy = await world.member('Cy');
  dee = await world.member('Dee');
  const granted = await world.as(ben)('/api/delegations', { method: 'POST', json: { username: cy.username, scopes: ['invitations'] } });
  expect(granted.status, JSON.stringify(granted.body)).toBe(201);
  const event = await world.as(ada)('/api/events', { method: 'POST', json: { title: 'The state of things', startsAt: inMinutes(60), timeZone: 'Europe/Paris' } });
  expect(event.status, JSON.stringify(event.body)).toBe(201);
  eventId = event.body.event.id;
});
afterAll(async () => {
  await world?.close();
});

const invite = (by: Member, json: Record<string, unknown>) =>
  world.as(by)('/api/invitations', { method: 'POST', json: { eventId, topic: 'Where we are headed', expectedAudience: 'About 5,000 live listeners', recorded: true, ...json } });

describe('the story: invite, ask through a delegate, answer, accept for the principal', () => {
  let invitationId: string;
  let adaSocket: TestSocket;
  let benSocket: TestSocket;
  let cySocket: TestSocket;

  beforeAll(async () => {
    [adaSocket, benSocket, cySocket] = await Promise.all([world.socket(ada.cookie), world.socket(ben.cookie), world.socket(cy.cookie)]);
    // Each socket is told its unread count when it opens (the badge).
    await benSocket.waitFor((m) => m.type === 'notifications.unread');
  });

  it('Ada invites Ben with terms and a message; Ben and his delegate are notified live, Ben by email too', async () => {
    const res = await invite(ada, { username: ben.username, message: 'Would you join us on stage?' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const invitation = res.body.invitation;
    invitationId = invitation.id;
    expect(invitation).toMatchObject({
      kind: 'event',
      status: 'pending',
      event: { id: eventId, title: 'The state of things', timeZone: 'Europe/Paris', status: 'scheduled' },
      inviter: { username: ada.username },
      invitee: { username: ben.username },
      terms: { topic: 'Where we are headed', expectedAudience: 'About 5,000 live listeners', recorded: true },
      createdBy: { actor: { username: ada.username }, principal: { username: ada.username } },
      viewer: { side: 'inviter', canWithdraw: true, canAccept: false },
      thread: [{ side: 'inviter', body: 'Would you join us on stage?' }],
    });
    // The invitation expires, by default, when the event starts.
    const event = await world.as(ada)(`/api/events/${eventId}`);
    expect(invitation.expiresAt).toBe(event.body.event.startsAt);

    const toBen = await nextNotification(benSocket, 'invitation.received');
    expect(toBen.notification).toMatchObject({ text: 'Ada invited you to speak at “The state of things”.', invitationId, link: `/invitations/${invitationId}`, actor: { username: ada.username }, onBehalfOf: null });
    expect(toBen.unreadCount).toBe(1);
    const toCy = await nextNotification(cySocket, 'invitation.received');
    expect(toCy.notification).toMatchObject({ text: 'Ada invited Ben to speak at “The state of things”.', onBehalfOf: { username: ben.username } });
    const mail = await world.sink.waitForMailTo(ben.email, /Ada invited you to speak/);
    expect(linkIn(mail, '/invitations/').pathname).toBe(`/invitations/${invitationId}`);
    expect(notificationsOn(adaSocket)).toHaveLength(0);
  });

  it('the delegate sees it among the invitations of the people they act for, and may answer it', async () => {
    const list = await world.as(cy)('/api/invitations?box=received');
    expect(list.body.invitations.map((i: { id: string }) => i.id)).toEqual([invitationId]);
    expect(list.body.invitations[0].viewer).toMatchObject({ side: 'invitee', principal: { username: ben.username }, canAccept: true, canDecline: true, canWithdraw: false });
    // Someone without a part in it does not learn it exists.
    expect((await world.as(dee)(`/api/invitations/${invitationId}`)).status).toBe(404);
    expect((await world.as(dee)('/api/invitations')).body.invitations).toEqual([]);
    expect((await world.as(dee)(`/api/invitations/${invitationId}/accept`, { method: 'POST', json: {} })).status).toBe(404);
  });

  it('the delegate asks what exactly is proposed; the inviter hears "by Cy for Ben"; Ada answers and both of Ben’s side hear it', async () => {
    const asked = await world.as(cy)(`/api/invitations/${invitationId}/messages`, { method: 'POST', json: { body: 'What exactly is proposed: how long, and who else speaks?' } });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(asked.body.invitation.thread.at(-1)).toMatchObject({ side: 'invitee', by: { actor: { username: cy.username }, principal: { username: ben.username } } });
    const question = await nextNotification(adaSocket, 'invitation.question');
    expect(question.notification.text).toBe('Cy (for Ben) asked about your invitation to speak at “The state of things”: “What exactly is proposed: how long, and who else speaks?”');
    await world.sink.waitForMailTo(ada.email, /Cy \(for Ben\) asked about your invitation/);

    const answered = await world.as(ada)(`/api/invitations/${invitationId}/messages`, { method: 'POST', json: { body: 'Forty minutes, with two other speakers.' } });
    expect(answered.status).toBe(201);
    expect((await nextNotification(benSocket, 'invitation.answer')).notification.text).toBe('Ada answered about the invitation to speak at “The state of things”: “Forty minutes, with two other speakers.”');
    expect((await nextNotification(cySocket, 'invitation.answer')).notification.onBehalfOf).toMatchObject({ username: ben.username });
  });

  it('each side does only its own part: the inviter cannot accept, the invitee’s side cannot withdraw', async () => {
    const accept = await world.as(ada)(`/api/invitations/${invitationId}/accept`, { method: 'POST', json: {} });
    expect(accept.status).toBe(403);
    expect(accept.body.error.message).toMatch(/Only the person invited/);
    const withdraw = await world.as(cy)(`/api/invitations/${invitationId}/withdraw`, { method: 'POST', json: {} });
    expect(withdraw.status).toBe(403);
  });

  it('of six concurrent accepts (Ben and his delegate, three each) exactly one succeeds; the others are told it was accepted', async () => {
    const attempts = await Promise.all([ben, cy, ben, cy, ben, cy].map((who) => world.as(who)(`/api/invitations/${invitationId}/accept`, { method: 'POST', json: {} })));
    const statuses = attempts.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409]);
    for (const loser of attempts.filter((a) => a.status === 409)) expect(loser.body.error).toMatchObject({ code: 'conflict', message: 'This invitation was already accepted.' });
    const winner = attempts.find((a) => a.status === 200)!.body.invitation;
    expect(winner.status).toBe('accepted');
    expect(winner.decidedBy.principal.username).toBe(ben.username);

    // Ben is on the event's speaker list, once.
    const event = await world.as(dee)(`/api/events/${eventId}`);
    expect(event.body.event.speakers.map((s: { username: string }) => s.username)).toEqual([ben.username]);
    // The inviter hears of it once.
    const accepted = await nextNotification(adaSocket, 'invitation.accepted');
    expect(accepted.notification.text).toMatch(/^(Ben|Cy \(for Ben\)) accepted your invitation to speak at “The state of things”\.$/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(notificationsOn(adaSocket).filter((n) => n.notification.kind === 'invitation.accepted')).toHaveLength(1);
  });

  it('when the delegate accepted, the principal is told what was done in his name; the record shows by whom for whom', async () => {
    const detail = (await world.as(ben)(`/api/invitations/${invitationId}`)).body.invitation;
    const actions = detail.history.map((a: { action: string; actor: { username: string } | null; principal: { username: string } | null }) => [a.action, a.actor?.username, a.principal?.username]);
    expect(actions.slice(0, 3)).toEqual([
      ['invitation.created', ada.username, ada.username],
      ['invitation.message', cy.username, ben.username],
      ['invitation.message', ada.username, ada.username],
    ]);
    expect(actions.at(-1)).toEqual(['invitation.accepted', detail.decidedBy.actor.username, ben.username]);
    if (detail.decidedBy.actor.username === cy.username) {
      const told = await nextNotification(benSocket, 'invitation.accepted');
      expect(told.notification.text).toBe("Cy accepted Ada's invitation to speak at “The state of things” for you.");
    }
    const activity = (await world.as(ben)('/api/delegations/activity')).body.acts;
    expect(activity.some((a: { action: string; actor: { username: string }; principal: { username: string } }) => a.action === 'invitation.message' && a.actor.username === cy.username && a.principal.username === ben.username)).toBe(true);
  });

  it('after the decision the thread stays open for the details, but nobody can decide again', async () => {
    expect((await world.as(cy)(`/api/invitations/${invitationId}/messages`, { method: 'POST', json: { body: 'Which entrance?' } })).status).toBe(201);
    const decline = await world.as(ben)(`/api/invitations/${invitationId}/decline`, { method: 'POST', json: {} });
    expect(decline.status).toBe(409);
    expect((await world.as(ada)(`/api/invitations/${invitationId}/withdraw`, { method: 'POST', json: {} })).status).toBe(409);
  });
});

describe('other ways an invitation ends', () => {
  it('accepted by the delegate alone: the principal is told it was done for him, and by whom', async () => {
    const benSocket = await world.socket(ben.cookie);
    const second = await world.as(ada)('/api/events', { method: 'POST', json: { title: 'Second talk', startsAt: inMinutes(90), timeZone: 'UTC' } });
    const created = await invite(ada, { eventId: second.body.event.id, username: ben.username });
    const accepted = await world.as(cy)(`/api/invitations/${created.body.invitation.id}/accept`, { method: 'POST', json: { note: 'Accepted on behalf of Ben.' } });
    expect(accepted.body.invitation).toMatchObject({ status: 'accepted', decidedBy: { actor: { username: cy.username }, principal: { username: ben.username } } });
    const told = await nextNotification(benSocket, 'invitation.accepted', (text) => text.includes('Second talk'));
    expect(told.notification).toMatchObject({ text: "Cy accepted Ada's invitation to speak at “Second talk” for you.", actor: { username: cy.username } });
    await world.sink.waitForMailTo(ben.email, /Cy accepted Ada's invitation to speak at “Second talk” for you/);
  });

  it('declined with a note (the note goes into the thread), then invited again', async () => {
    const first = await invite(ada, { username: dee.username });
    const declined = await world.as(dee)(`/api/invitations/${first.body.invitation.id}/decline`, { method: 'POST', json: { note: 'Not this time.' } });
    expect(declined.status).toBe(200);
    expect(declined.body.invitation).toMatchObject({ status: 'declined', thread: [{ side: 'invitee', body: 'Not this time.' }], viewer: { canAccept: false } });
    await world.sink.waitForMailTo(ada.email, /Dee declined your invitation/);
    // A decided invitation does not block a new one.
    expect((await invite(ada, { username: dee.username })).status).toBe(201);
    // But a second pending one does.
    const again = await invite(ada, { username: dee.username });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already has a pending invitation/);
  });

  it('withdrawn by the inviter: the invitee can no longer accept', async () => {
    const pending = (await world.as(dee)('/api/invitations?status=pending')).body.invitations[0];
    const withdrawn = await world.as(ada)(`/api/invitations/${pending.id}/withdraw`, { method: 'POST', json: {} });
    expect(withdrawn.body.invitation.status).toBe('withdrawn');
    const late = await world.as(dee)(`/api/invitations/${pending.id}/accept`, { method: 'POST', json: {} });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toBe('This invitation was already withdrawn.');
  });

  it('expired by the expiry job when nobody answers in time; then it cannot be accepted', async () => {
    const created = await invite(ada, { username: dee.username, expiresAt: inMinutes(1.5 / 60) });
    const id = created.body.invitation.id;
    const expired = await eventually(async () => {
      const detail = (await world.as(dee)(`/api/invitations/${id}`)).body.invitation;
      return detail.history.some((a: { action: string }) => a.action === 'invitation.expired') ? detail : undefined;
    });
    expect(expired).toMatchObject({ status: 'expired', viewer: { canAccept: false } });
    expect(expired.history.at(-1)).toMatchObject({ action: 'invitation.expired', actor: null, principal: null });
    const late = await world.as(dee)(`/api/invitations/${id}/accept`, { method: 'POST', json: {} });
    expect(late.status).toBe(409);
  });
});

describe('permission failures', () => {
  it('only hosts (or their delegates) invite to an event; guests cannot invite; nobody invites themselves', async () => {
    const stranger = await invite(dee, { username: ben.username });
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.message).toMatch(/Only the event's hosts/);
    const guest = await world.guest('Gus');
    expect((await world.api('/api/invitations', { method: 'POST', cookie: guest.cookie, json: { eventId, username: ben.username, topic: 'x', recorded: false } })).status).toBe(403);
    expect((await invite(ada, { username: ada.username })).status).toBe(409);
    expect((await invite(ada, { username: 'nobody_here' })).status).toBe(404);
    const bad = await world.as(ada)('/api/invitations', { method: 'POST', json: { eventId, username: ben.username, topic: '', recorded: 'yes' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues).toEqual(['topic: say what the talk is about', 'recorded: Invalid input: expected boolean, received string']);
    const nobody = await world.as(ada)('/api/invitations', { method: 'POST', json: { eventId, topic: 'x', recorded: false } });
    expect(nobody.body.error.issues).toEqual(['username: give either username or email']);
  });

  it('a delegate acts only within the scopes granted and only until revoked', async () => {
    // Cy may act for Ben on invitations, not on events: inviting for Ben to Ben's own event is refused.
    const bensEvent = await world.as(ben)('/api/events', { method: 'POST', json: { title: 'Ben talks', startsAt: inMinutes(90), timeZone: 'UTC' } });
    const forBen = await world.as(cy)('/api/events', { method: 'POST', json: { title: 'For Ben', startsAt: inMinutes(90), timeZone: 'UTC', onBehalfOf: ben.user.id } });
    expect(forBen.status).toBe(403);
    expect(forBen.body.error.message).toMatch(/not a delegate for this person on events/);
    // On invitations Cy may invite in Ben's name (Ben hosts this event).
    const deeSocket = await world.socket(dee.cookie);
    const inName = await world.as(cy)('/api/invitations', { method: 'POST', json: { eventId: bensEvent.body.event.id, username: dee.username, topic: 'Join Ben', recorded: false, onBehalfOf: ben.user.id } });
    expect(inName.status, JSON.stringify(inName.body)).toBe(201);
    expect(inName.body.invitation.createdBy).toMatchObject({ actor: { username: cy.username }, principal: { username: ben.username } });
    expect((await nextNotification(deeSocket, 'invitation.received', (text) => text.includes('Ben talks'))).notification.text).toBe('Cy (for Ben) invited you to speak at “Ben talks”.');

    const grants = (await world.as(ben)('/api/delegations')).body.granted;
    expect((await world.as(dee)(`/api/delegations/${grants[0].id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await world.as(ben)(`/api/delegations/${grants[0].id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await world.as(cy)(`/api/invitations/${inName.body.invitation.id}`)).status).toBe(404);
    expect((await world.as(cy)('/api/invitations')).body.invitations).toEqual([]);
    // Ben still sees everything that was done in his name.
    expect((await world.as(ben)(`/api/invitations/${inName.body.invitation.id}`)).body.invitation.viewer.side).toBe('inviter');
  });
});

describe('inviting someone without an account', () => {
  it('emails the terms and a sign-up link that uses one of the inviter’s invites; signing up shows the invitation and records the referral', async () => {
    const before = (await world.as(ada)('/api/invites')).body.quota.used;
    const res = await invite(ada, { email: 'Zed@Example.org', message: 'We would be honoured.' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.invitation).toMatchObject({ invitee: null, inviteeEmail: 'zed@example.org', status: 'pending' });
    expect((await world.as(ada)('/api/invites')).body.quota.used).toBe(before + 1);

    const mail = await world.sink.waitForMailTo('zed@example.org', /Ada invites you to speak on Parley/);
    expect(mail.text).toContain('Topic: Where we are headed');
    expect(mail.text).toContain('Recorded: yes');
    expect(mail.text).toMatch(/When: .*\(Europe\/Paris\)/);
    const link = linkIn(mail, '/sign-up');
    const code = link.searchParams.get('invite')!;
    expect(link.searchParams.get('next')).toBe(`/invitations/${res.body.invitation.id}`);
    const signUp = await world.api('/api/accounts', { method: 'POST', json: { email: 'zed@example.org', password: 'a long passphrase', username: 'Zed', displayName: 'Zed', inviteCode: code } });
    expect(signUp.status).toBe(201);
    const zed = signUp.headers.getSetCookie()[0]!.split(';')[0]!;
    const mine = (await world.api('/api/invitations', { cookie: zed })).body.invitations;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ id: res.body.invitation.id, invitee: { username: 'Zed' }, inviteeEmail: null, viewer: { side: 'invitee', canAccept: true } });
    expect((await world.api('/api/users/zed')).body.profile.invitedBy.username).toBe(ada.username);
    expect((await world.api(`/api/invitations/${res.body.invitation.id}/accept`, { method: 'POST', cookie: zed, json: {} })).status).toBe(200);
  });

  it('inviting by email uses the quota: when it is used up the invitation is refused and nothing is sent', async () => {
    // Ada is a member with a quota of 3 (admins have none).
    while ((await world.as(ada)('/api/invites')).body.quota.used < 3) await world.as(ada)('/api/invites', { method: 'POST', json: {} });
    const over = await invite(ada, { email: 'yan@example.org' });
    expect(over.status).toBe(403);
    expect(over.body.error.message).toMatch(/used all 3 of your invites/);
  });

  it('an email that belongs to a member addresses the invitation to them (no invite used)', async () => {
    const res = await invite(ada, { email: dee.email.toUpperCase() });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.invitation).toMatchObject({ invitee: { username: dee.username }, inviteeEmail: null });
  });
});

describe('pinging someone into a live room', () => {
  it('the room’s host invites a listener to the stage now; accepting puts them on stage at once', async () => {
    const room = (await world.as(ada)('/api/rooms', { method: 'POST', json: { title: 'Open mic' } })).body.room;
    const adaSocket = await world.socket(ada.cookie);
    await adaSocket.request({ type: 'room.join', roomId: room.id });
    const deeSocket = await world.socket(dee.cookie);
    const joined = await deeSocket.request({ type: 'room.join', roomId: room.id });
    expect(joined.type === 'room.snapshot' && joined.snapshot.participants.find((p) => p.id === dee.user.id)?.role).toBe('listener');

    expect((await world.as(dee)('/api/invitations', { method: 'POST', json: { roomId: room.id, username: ben.username, topic: 'x', recorded: false } })).status).toBe(403);
    const ping = await world.as(ada)('/api/invitations', { method: 'POST', json: { roomId: room.id, username: dee.username, topic: 'Tell us about it', recorded: false } });
    expect(ping.status, JSON.stringify(ping.body)).toBe(201);
    expect(ping.body.invitation).toMatchObject({ kind: 'room', room: { id: room.id, title: 'Open mic', status: 'live' }, event: null });
    const expiresIn = Date.parse(ping.body.invitation.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(14 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000);
    expect((await nextNotification(deeSocket, 'invitation.received')).notification.text).toBe('Ada invited you onto the stage of “Open mic”, live now.');

    const accepted = await world.as(dee)(`/api/invitations/${ping.body.invitation.id}/accept`, { method: 'POST', json: {} });
    expect(accepted.status).toBe(200);
    const promoted = await adaSocket.waitFor((m) => m.type === 'room.event' && m.event.kind === 'roleChanged' && m.event.participantId === dee.user.id);
    expect(promoted.type === 'room.event' && promoted.event.kind === 'roleChanged' && promoted.event.role).toBe('speaker');
    expect(world.media.rooms.get(room.id)?.allowed.get(dee.user.id)).toBe(true);
    // Leaving and coming back, they are on stage again.
    await deeSocket.request({ type: 'room.leave', roomId: room.id });
    const back = await deeSocket.request({ type: 'room.join', roomId: room.id });
    expect(back.type === 'room.snapshot' && back.snapshot.participants.find((p) => p.id === dee.user.id)?.role).toBe('speaker');
  });
});
