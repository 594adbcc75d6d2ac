import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { User } from '@parley/protocol';
import type { Config } from './config';
import { DelegationService } from './domain/delegations';
import { HallwayService, LiveAnnouncer } from './domain/hallway';
import type { IdentityService } from './domain/identity';
import { InvitationService } from './domain/invitations';
import { JobRunner } from './domain/jobs';
import { NotificationService, type NotificationMail } from './domain/notifications';
import type { Store } from './domain/ports';
import type { RoomConnection, RoomObserver, RoomService, StageGrantSource } from './domain/rooms';
import { EventService } from './domain/scheduled-events';
import { SpeakerLinkService } from './domain/speaker-links';
import type { SchedulingHttp } from './http/routes/scheduling';
import { SocketRegistry } from './ws/live-updates';

/** The scheduling part of the server, wired in two steps around the room service. */
export interface SchedulingRoot {
  /** Give these to the RoomService: places on stage by arrangement, and who hears rooms open and end. */
  roomOptions: { stageGrants: StageGrantSource; observer: RoomObserver };
  /** Every signalling socket, by person: attach each as it opens (call the result when it closes). */
  socketOpened(user: User, connection: RoomConnection): () => void;
  /** Build the services on the room service and start running jobs. */
  start(rooms: RoomService): SchedulingHttp;
  /** Stop running jobs (before the database closes). */
  close(): Promise<void>;
}

/**
 * Part of the composition root (main.ts): events, invitations, delegation, speaker links, the
 * hallway and notifications, with the durable job runner (reminders, expiries) and the socket registry
 * that delivers notifications live. Mail goes through the accounts' mailer.
 */
export function createScheduling(store: Store, identity: IdentityService, config: Config, logger: Logger, mail: NotificationMail): SchedulingRoot {
  const log = logger.child({ component: 'scheduling' });
  const sockets = new SocketRegistry();
  const notifications = new NotificationService(store, sockets, mail);
  const announcer = new LiveAnnouncer(store, notifications, sockets, log);
  const jobs = new JobRunner(store.jobs, log, {
    workerId: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    pollMs: config.jobPollMs,
    leaseMs: 5 * 60_000,
    batch: 20,
    retryMs: 30_000,
    maxAttempts: 5,
  });
  return {
    roomOptions: { stageGrants: store.scheduling.stageGrants, observer: announcer },
    socketOpened(user, connection) {
      const detach = sockets.attach(user.id, connection);
      // Guests get no notifications: no badge to fill, and no query on each of their (many) joins.
      if (user.kind !== 'guest') notifications.greet(user.id).catch((error: unknown) => log.warn({ err: error }, 'sending the unread count failed'));
      return detach;
    },
    start(rooms) {
      const delegations = new DelegationService(store);
      const events = new EventService({ store, rooms, delegations, notifications, jobs, links: mail.links, hallwayChanged: () => announcer.changed() });
      const invitations = new InvitationService({
        store,
        rooms,
        delegations,
        notifications,
        jobs,
        mailer: mail.mailer,
        links: mail.links,
        background: mail.background,
        inviteQuota: config.inviteQuota,
      });
      const speakerLinks = new SpeakerLinkService({ store, identity, delegations, rooms, links: mail.links });
      const hallway = new HallwayService(store, rooms, events);
      jobs.start();
      return { events, invitations, delegations, speakerLinks, notifications, hallway };
    },
    close: () => jobs.stop(),
  };
}
