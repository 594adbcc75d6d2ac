import type { Notification, NotificationKind, NotificationPreferences } from '@parley/protocol';

/** Accessible name of the header link: "Notifications", or "Notifications (3 unread)". */
export function notificationsLinkLabel(unread: number | null): string {
  return unread !== null && unread > 0 ? `Notifications (${unread} unread)` : 'Notifications';
}

/** What each kind of notification is about, as the settings page lists it. */
export const kindLabels: Record<NotificationKind, string> = {
  'invitation.received': 'Invitations to speak',
  'invitation.question': 'Questions about invitations I sent',
  'invitation.answer': 'Answers about invitations I received',
  'invitation.accepted': 'Accepted invitations',
  'invitation.declined': 'Declined invitations',
  'event.starting': 'Events about to start',
  'followee.live': 'People I follow going live',
};

/** The two channels as the settings page names them. */
export const channelLabels = { inApp: 'in the app', email: 'by email' } as const;
export type Channel = keyof typeof channelLabels;

/** Accessible name of one switch, e.g. "Invitations to speak by email". */
export function switchLabel(kind: NotificationKind, channel: Channel): string {
  return `${kindLabels[kind]} ${channelLabels[channel]}`;
}

/** A notification that arrived live, added on top of a list (newest first) unless it is already there. */
export function prependNotification(list: readonly Notification[], fresh: Notification): Notification[] {
  if (list.some((n) => n.id === fresh.id)) return [...list];
  return [fresh, ...list];
}

/** The list after marking some notifications (or all: `ids` = 'all') read at `at`. */
export function markListRead(list: readonly Notification[], ids: readonly string[] | 'all', at: string): Notification[] {
  return list.map((n) => (n.readAt === null && (ids === 'all' || ids.includes(n.id)) ? { ...n, readAt: at } : n));
}

/** Appends a further page, skipping notifications already listed (one may have arrived live meanwhile). */
export function appendPage(list: readonly Notification[], page: readonly Notification[]): Notification[] {
  const known = new Set(list.map((n) => n.id));
  return [...list, ...page.filter((n) => !known.has(n.id))];
}

/** Whether two sets of preferences differ (the Save button then has something to send). */
export function preferencesDiffer(a: NotificationPreferences, b: NotificationPreferences): boolean {
  return (Object.keys(kindLabels) as NotificationKind[]).some((kind) => a[kind]?.inApp !== b[kind]?.inApp || a[kind]?.email !== b[kind]?.email);
}

/** A notification's link, kept inside the app: anything that is not a local path goes to the list. */
export function safeLink(link: string): string {
  return link.startsWith('/') && !link.startsWith('//') ? link : '/notifications';
}
