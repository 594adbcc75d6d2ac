import type { FastifyInstance } from 'fastify';
import type { DelegationService } from '../../domain/delegations';
import type { HallwayService } from '../../domain/hallway';
import type { InvitationService } from '../../domain/invitations';
import type { NotificationService } from '../../domain/notifications';
import type { EventService } from '../../domain/scheduled-events';
import type { SpeakerLinkService } from '../../domain/speaker-links';
import type { Auth } from '../auth';
import { eventRoutes } from './events';
import { invitationRoutes } from './invitations';
import { notificationRoutes } from './notifications';

/** The scheduling services the HTTP API serves (built in the composition root). */
export interface SchedulingHttp {
  events: EventService;
  invitations: InvitationService;
  delegations: DelegationService;
  speakerLinks: SpeakerLinkService;
  notifications: NotificationService;
  hallway: HallwayService;
}

/** Everything the scheduling routes need. */
export interface SchedulingRouteDeps extends SchedulingHttp {
  auth: Auth;
  /** Requests per IP per minute on public endpoints that take a secret (speaker links, calendar files). */
  publicRateLimit: number;
}

/** Events, the hallway, invitations, delegations, speaker links and notifications. */
export async function schedulingRoutes(app: FastifyInstance, deps: SchedulingRouteDeps): Promise<void> {
  await eventRoutes(app, deps);
  await invitationRoutes(app, deps);
  await notificationRoutes(app, deps);
}
