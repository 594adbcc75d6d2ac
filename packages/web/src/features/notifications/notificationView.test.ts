import { describe, expect, test } from 'vitest';
import { defaultNotificationPreferences, notificationKinds, type Notification } from '@parley/protocol';
import { appendPage, kindLabels, markListRead, notificationsLinkLabel, preferencesDiffer, prependNotification, safeLink, switchLabel } from './notificationView';

function note(id: string, patch: Partial<Notification> = {}): Notification {
  return {
    id,
    kind: 'invitation.received',
    text: `Notification ${id}`,
    link: `/invitations/${id}`,
    actor: null,
    onBehalfOf: null,
    invitationId: id,
    eventId: null,
    roomId: null,
    createdAt: '2026-05-01T10:00:00.000Z',
    readAt: null,
    ...patch,
  };
}

describe('the notifications link', () => {
  test('names the unread count only when there is one', () => {
    expect(notificationsLinkLabel(null)).toBe('Notifications');
    expect(notificationsLinkLabel(0)).toBe('Notifications');
    expect(notificationsLinkLabel(3)).toBe('Notifications (3 unread)');
  });
});

describe('the notification list', () => {
  test('a live notification goes on top, once', () => {
    const list = [note('b0000001'), note('a0000001')];
    const fresh = note('c0000001');
    expect(prependNotification(list, fresh).map((n) => n.id)).toEqual(['c0000001', 'b0000001', 'a0000001']);
    expect(prependNotification([fresh, ...list], fresh)).toHaveLength(3);
  });

  test('marking read sets readAt on the unread ones asked for', () => {
    const list = [note('a0000001'), note('b0000001', { readAt: '2026-05-01T09:00:00.000Z' }), note('c0000001')];
    const some = markListRead(list, ['a0000001', 'b0000001'], '2026-05-02T00:00:00.000Z');
    expect(some.map((n) => n.readAt)).toEqual(['2026-05-02T00:00:00.000Z', '2026-05-01T09:00:00.000Z', null]);
    expect(markListRead(list, 'all', '2026-05-02T00:00:00.000Z').every((n) => n.readAt !== null)).toBe(true);
  });

  test('a further page skips what is listed already', () => {
    expect(appendPage([note('c0000001'), note('b0000001')], [note('b0000001'), note('a0000001')]).map((n) => n.id)).toEqual(['c0000001', 'b0000001', 'a0000001']);
  });

  test('links stay inside the app', () => {
    expect(safeLink('/invitations/abc')).toBe('/invitations/abc');
    expect(safeLink('https://evil.example/')).toBe('/notifications');
    expect(safeLink('//evil.example/')).toBe('/notifications');
  });
});

describe('the settings', () => {
  test('every kind has a label and distinct switch names', () => {
    const names = notificationKinds.flatMap((kind) => [switchLabel(kind, 'inApp'), switchLabel(kind, 'email')]);
    expect(new Set(names).size).toBe(notificationKinds.length * 2);
    for (const kind of notificationKinds) expect(kindLabels[kind]).toBeTruthy();
    expect(switchLabel('invitation.received', 'email')).toBe('Invitations to speak by email');
  });

  test('a change is noticed', () => {
    const changed = { ...defaultNotificationPreferences, 'followee.live': { inApp: true, email: true } };
    expect(preferencesDiffer(defaultNotificationPreferences, { ...defaultNotificationPreferences })).toBe(false);
    expect(preferencesDiffer(defaultNotificationPreferences, changed)).toBe(true);
  });
});
