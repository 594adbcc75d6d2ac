import { z } from 'zod';
import { PersonRef } from './accounts';
import { Id } from './model';

/**
 * Notifications: kept on the server, pushed over the WebSocket as they happen (`notification`, with
 * the unread count for a badge) and mailed according to each person's preferences
 * (docs/protocol.md, section "Notifications").
 */

/** What a notification is about. Each kind can be switched off, in the app and by email, separately. */
export const NotificationKind = z.enum([
  /** Someone invited you (or a principal of yours) to speak. */
  'invitation.received',
  /** The invitee's side asked a question in the thread of an invitation you sent. */
  'invitation.question',
  /** The inviter's side answered in the thread of an invitation you received. */
  'invitation.answer',
  /** An invitation you sent was accepted; or a delegate accepted one for you. */
  'invitation.accepted',
  /** An invitation you sent was declined; or a delegate declined one for you. */
  'invitation.declined',
  /** An event you host, speak at or RSVP'd to starts in 10 minutes. */
  'event.starting',
  /** Someone you follow went live (opened a room, or their event went live). */
  'followee.live',
]);
export type NotificationKind = z.infer<typeof NotificationKind>;

/** Every kind, in the order a settings page lists them. */
export const notificationKinds: readonly NotificationKind[] = NotificationKind.options;

/** One notification. `link` is a path of the web app (`/invitations/…`, `/events/…`, `/rooms/…`). */
export const Notification = z.object({
  id: Id,
  kind: NotificationKind,
  /** One sentence, ready to show. */
  text: z.string(),
  link: z.string(),
  /** Who caused it; null when the server did (reminders). */
  actor: PersonRef.nullable(),
  /** Set when it reached you as someone's delegate: it concerns their invitation or event. */
  onBehalfOf: PersonRef.nullable(),
  invitationId: Id.nullable(),
  eventId: Id.nullable(),
  roomId: Id.nullable(),
  createdAt: z.iso.datetime(),
  readAt: z.iso.datetime().nullable(),
});
export type Notification = z.infer<typeof Notification>;

/** Query of `GET /api/notifications`: newest first, `before` a notification id for the next page. */
export const NotificationListQuery = z.object({
  before: Id.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  unread: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type NotificationListQuery = z.input<typeof NotificationListQuery>;

/** `GET /api/notifications` reply. */
export const NotificationListReply = z.object({
  notifications: z.array(Notification),
  unreadCount: z.number().int().nonnegative(),
  /** Pass as `before` for the next page; null on the last. */
  nextBefore: Id.nullable(),
});
export type NotificationListReply = z.infer<typeof NotificationListReply>;

/** `POST /api/notifications/read`: mark some (`ids`) or all (`all: true`) as read. */
export const MarkNotificationsReadBody = z
  .object({ ids: z.array(Id).min(1).max(200).optional(), all: z.literal(true).optional() })
  .refine((body) => (body.ids === undefined) !== (body.all === undefined), 'give either ids or all: true');
export type MarkNotificationsReadBody = z.input<typeof MarkNotificationsReadBody>;

/** The unread count after a change. */
export const UnreadCountReply = z.object({ unreadCount: z.number().int().nonnegative() });
export type UnreadCountReply = z.infer<typeof UnreadCountReply>;

/** Where one kind of notification goes: listed in the app (and pushed live), and mailed. */
export const NotificationChannels = z.object({ inApp: z.boolean(), email: z.boolean() });
export type NotificationChannels = z.infer<typeof NotificationChannels>;

/** A person's preferences: every kind, both channels. */
export const NotificationPreferences = z.record(NotificationKind, NotificationChannels);
export type NotificationPreferences = z.infer<typeof NotificationPreferences>;

/** Preferences of a new account: everything on, except mail when someone you follow goes live. */
export const defaultNotificationPreferences: NotificationPreferences = Object.fromEntries(
  NotificationKind.options.map((kind) => [kind, { inApp: true, email: kind !== 'followee.live' }]),
) as NotificationPreferences;

/** `GET|PATCH /api/account/notification-preferences` reply. */
export const NotificationPreferencesReply = z.object({ preferences: NotificationPreferences });
export type NotificationPreferencesReply = z.infer<typeof NotificationPreferencesReply>;

/** `PATCH /api/account/notification-preferences`: change any channel of any kind. */
export const UpdateNotificationPreferencesBody = z.partialRecord(NotificationKind, NotificationChannels.partial());
export type UpdateNotificationPreferencesBody = z.input<typeof UpdateNotificationPreferencesBody>;
