import type { FastifyInstance } from 'fastify';
import {
  MarkNotificationsReadBody,
  NotificationListQuery,
  UpdateNotificationPreferencesBody,
  type NotificationListReply,
  type NotificationPreferencesReply,
  type UnreadCountReply,
} from '@parley/protocol';
import type { SchedulingRouteDeps } from './scheduling';

/** Notifications (list, mark read) and the switches of each kind. */
export async function notificationRoutes(app: FastifyInstance, deps: SchedulingRouteDeps): Promise<void> {
  const { auth, notifications } = deps;

  app.get('/api/notifications', async (request): Promise<NotificationListReply> => {
    const user = await auth.requireMember(request, 'get notifications');
    return notifications.list(user, NotificationListQuery.parse(request.query));
  });

  app.post('/api/notifications/read', async (request): Promise<UnreadCountReply> => {
    const user = await auth.requireMember(request, 'get notifications');
    return notifications.markRead(user, MarkNotificationsReadBody.parse(request.body));
  });

  app.get('/api/account/notification-preferences', async (request): Promise<NotificationPreferencesReply> => ({
    preferences: await notifications.preferencesOf((await auth.requireMember(request, 'get notifications')).id),
  }));

  app.patch('/api/account/notification-preferences', async (request): Promise<NotificationPreferencesReply> => {
    const user = await auth.requireMember(request, 'get notifications');
    return { preferences: await notifications.updatePreferences(user, UpdateNotificationPreferencesBody.parse(request.body)) };
  });
}
