import {
  defaultNotificationPreferences,
  notificationKinds,
  type MarkNotificationsReadBody,
  type NotificationKind,
  type NotificationListReply,
  type NotificationPreferences,
  type ServerMessage,
  type UnreadCountReply,
  type UpdateNotificationPreferencesBody,
  type User,
} from '@parley/protocol';
import { newId } from './ids';
import type { LinkBuilder } from './invites';
import type { Mailer, Store } from './ports';
import type { NotificationRecord } from './scheduling-ports';
import { notificationMail } from './scheduling-mail';
import { toNotification } from './scheduling-views';

/**
 * Pushes server messages to connected people (src/ws keeps the sockets). Within one process: a
 * cluster needs the bus to reach sockets on other nodes.
 */
export interface LiveUpdates {
  /** Send to every socket of this person. */
  toUser(userId: string, message: ServerMessage): void;
  /** Send to every socket. */
  toEveryone(message: ServerMessage): void;
}

/** Who gets a notification; `onBehalfOf` when it reaches them as that person's delegate. */
export interface NotificationRecipient {
  userId: string;
  onBehalfOf: string | null;
}

/** A notification to send to several people. */
export interface NotificationDraft {
  kind: NotificationKind;
  recipients: readonly NotificationRecipient[];
  /** Who caused it (left out of the recipients); null for the server. */
  actorId: string | null;
  /** The sentence for one recipient; `principalName` when it reaches them as that person's delegate. */
  text: (principalName: string | null) => string;
  /** Path of the web app it points to. */
  link: string;
  invitationId?: string;
  eventId?: string;
  roomId?: string;
  /** Stored once per person and key: a retried job or a repeated call does not notify twice. */
  dedupeKey: string;
}

/** How notification mail goes out. */
export interface NotificationMail {
  mailer: Mailer;
  links: LinkBuilder;
  /** Run after the reply (mail must never delay or fail a request). */
  background: (task: Promise<unknown>, what: string) => void;
}

/** Where people switch notifications on and off, in the web app. */
export const notificationSettingsPath = '/settings/notifications';

/**
 * Notifications: stored per person (so the app lists them and counts the unread), pushed over the
 * WebSocket as they happen, and mailed, each kind and channel as the person chose. Mail goes only to
 * confirmed addresses, after the reply.
 */
export class NotificationService {
  constructor(
    private readonly store: Store,
    private readonly live: LiveUpdates,
    private readonly mail: NotificationMail,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Send a notification to its recipients, each by the channels they chose. */
  async notify(draft: NotificationDraft): Promise<void> {
    // Each person once (the first mention wins), and never the person who caused it.
    const byUser = new Map<string, NotificationRecipient>();
    for (const recipient of draft.recipients) if (recipient.userId !== draft.actorId && !byUser.has(recipient.userId)) byUser.set(recipient.userId, recipient);
    const recipients = [...byUser.values()];
    if (recipients.length === 0) return;
    const people = await this.store.scheduling.people.byIds([...recipients.flatMap((r) => (r.onBehalfOf ? [r.onBehalfOf] : [])), ...(draft.actorId ? [draft.actorId] : [])]);
    const nameOf = (id: string | null) => (id ? (people.find((p) => p.id === id)?.displayName ?? null) : null);
    for (const recipient of recipients) {
      const preferences = await this.preferencesOf(recipient.userId);
      const channels = preferences[draft.kind];
      const text = draft.text(nameOf(recipient.onBehalfOf));
      let fresh = false;
      if (channels.inApp) {
        const record: NotificationRecord = {
          id: newId(),
          userId: recipient.userId,
          kind: draft.kind,
          text,
          link: draft.link,
          actorId: draft.actorId,
          onBehalfOf: recipient.onBehalfOf,
          invitationId: draft.invitationId ?? null,
          eventId: draft.eventId ?? null,
          roomId: draft.roomId ?? null,
          dedupeKey: draft.dedupeKey,
          createdAt: this.clock(),
          readAt: null,
        };
        fresh = await this.store.notifications.insert(record);
        if (fresh) {
          const actor = people.find((p) => p.id === draft.actorId) ?? null;
          const onBehalfOf = people.find((p) => p.id === recipient.onBehalfOf) ?? null;
          const unreadCount = await this.store.notifications.unreadCount(recipient.userId);
          this.live.toUser(recipient.userId, { type: 'notification', notification: toNotification({ notification: record, actor, onBehalfOf }), unreadCount });
        }
      }
      // Without an in-app copy there is no stored key to stop a repeat: mail then goes out each time it is asked for.
      if (channels.email && (fresh || !channels.inApp)) this.sendMail(recipient.userId, text, draft.link, draft.kind);
    }
  }

  /** One page of the person's notifications, newest first, with the unread count. */
  async list(user: User, query: { before?: string | undefined; limit: number; unread?: boolean | undefined }): Promise<NotificationListReply> {
    const views = await this.store.notifications.list(user.id, { before: query.before, limit: query.limit + 1, unread: query.unread });
    const page = views.slice(0, query.limit);
    return {
      notifications: page.map(toNotification),
      unreadCount: await this.store.notifications.unreadCount(user.id),
      nextBefore: views.length > query.limit ? (page.at(-1)?.notification.id ?? null) : null,
    };
  }

  /** Mark some or all read; every open tab of the person gets the new count. */
  async markRead(user: User, body: MarkNotificationsReadBody): Promise<UnreadCountReply> {
    await this.store.notifications.markRead(user.id, body.all ? 'all' : (body.ids ?? []), this.clock());
    const unreadCount = await this.store.notifications.unreadCount(user.id);
    this.live.toUser(user.id, { type: 'notifications.unread', unreadCount });
    return { unreadCount };
  }

  /** Tell a freshly opened socket the person's unread count (the badge). */
  async greet(userId: string): Promise<void> {
    this.live.toUser(userId, { type: 'notifications.unread', unreadCount: await this.store.notifications.unreadCount(userId) });
  }

  /** The person's switches, every kind filled in. */
  async preferencesOf(userId: string): Promise<NotificationPreferences> {
    return { ...defaultNotificationPreferences, ...(await this.store.notifications.preferences(userId)) };
  }

  /** Change some switches; returns them all. */
  async updatePreferences(user: User, changes: UpdateNotificationPreferencesBody): Promise<NotificationPreferences> {
    const current = await this.preferencesOf(user.id);
    const next: Partial<NotificationPreferences> = {};
    for (const kind of notificationKinds) {
      const change = changes[kind];
      if (change) next[kind] = { ...current[kind], ...change };
    }
    await this.store.notifications.setPreferences(user.id, next);
    return { ...current, ...next };
  }

  private sendMail(userId: string, text: string, path: string, kind: NotificationKind): void {
    const send = async () => {
      const [address, user] = await Promise.all([this.store.scheduling.people.emailOf(userId), this.store.users.get(userId)]);
      if (!address?.verified || !user) return;
      await this.mail.mailer.send(notificationMail(address.email, user.displayName, text, this.mail.links(path), this.mail.links(notificationSettingsPath)));
    };
    this.mail.background(send(), `${kind} notification mail`);
  }
}
