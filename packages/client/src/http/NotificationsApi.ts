import {
  NotificationListReply,
  NotificationPreferencesReply,
  UnreadCountReply,
  type NotificationListQuery,
  type NotificationPreferences,
  type UpdateNotificationPreferencesBody,
} from '@parley/protocol';
import type { HttpClient } from './HttpClient';

/**
 * Notifications over HTTP (`client.notifications`): the list, marking read, and the switches. New ones
 * arrive live on the signalling socket: `client.on('notification', …)` after `client.connect()`.
 */
export class NotificationsApi {
  constructor(private readonly http: HttpClient) {}

  /** Newest first; pass `nextBefore` back as `before` for the next page. */
  list = (query: NotificationListQuery = {}): Promise<NotificationListReply> => {
    const params = new URLSearchParams();
    if (query.before) params.set('before', query.before);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.unread !== undefined) params.set('unread', query.unread);
    const suffix = params.size > 0 ? `?${params}` : '';
    return this.http.send('GET', `/api/notifications${suffix}`, NotificationListReply);
  };

  /** Mark these read; resolves with the unread count (every open tab is told it too). */
  markRead = async (ids: string[]): Promise<number> => (await this.http.send('POST', '/api/notifications/read', UnreadCountReply, { ids })).unreadCount;

  markAllRead = async (): Promise<number> => (await this.http.send('POST', '/api/notifications/read', UnreadCountReply, { all: true })).unreadCount;

  /** Every kind's switches (in the app, by email). */
  preferences = async (): Promise<NotificationPreferences> => (await this.http.send('GET', '/api/account/notification-preferences', NotificationPreferencesReply)).preferences;

  /** Change some switches, e.g. `{ 'followee.live': { email: true } }`. */
  updatePreferences = async (changes: UpdateNotificationPreferencesBody): Promise<NotificationPreferences> =>
    (await this.http.send('PATCH', '/api/account/notification-preferences', NotificationPreferencesReply, changes)).preferences;
}
