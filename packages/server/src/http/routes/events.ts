import type { FastifyInstance } from 'fastify';
import {
  CreateEventBody,
  Id,
  ParleyError,
  UpdateEventBody,
  type CalendarFeedReply,
  type CalendarFeedStatusReply,
  type EventListReply,
  type EventReply,
  type GoLiveReply,
  type HallwayReply,
} from '@parley/protocol';
import type { SchedulingRouteDeps } from './scheduling';

/** An id from a path, or `not_found` (a malformed id names nothing). */
export function pathId(raw: string, what: string): string {
  const parsed = Id.safeParse(raw);
  if (!parsed.success) throw new ParleyError('not_found', `No such ${what}.`);
  return parsed.data;
}

/** A feed file name: the 43-character secret and `.ics`. */
const feedFile = /^([A-Za-z0-9_-]{43})\.ics$/;

/** Scheduled events, RSVPs, going live, calendar files and feeds, and the hallway. */
export async function eventRoutes(app: FastifyInstance, deps: SchedulingRouteDeps): Promise<void> {
  const { auth, events } = deps;
  const publicLimit = { config: { rateLimit: { max: deps.publicRateLimit, timeWindow: '1 minute' } } };

  app.get('/api/hallway', async (request): Promise<HallwayReply> => deps.hallway.hallway(await auth.currentUser(request)));

  app.get('/api/events', async (request): Promise<EventListReply> => ({ events: await events.list(await auth.requireMember(request, 'list your events')) }));

  app.post('/api/events', async (request, reply): Promise<EventReply> => {
    const user = await auth.requireMember(request, 'schedule events');
    const body = CreateEventBody.parse(request.body);
    void reply.status(201);
    return { event: await events.create(user, body) };
  });

  app.get<{ Params: { id: string } }>('/api/events/:id', async (request): Promise<EventReply> => ({
    event: await events.get(pathId(request.params.id, 'event'), await auth.currentUser(request)),
  }));

  app.patch<{ Params: { id: string } }>('/api/events/:id', async (request): Promise<EventReply> => {
    const user = await auth.requireMember(request, 'manage events');
    const body = UpdateEventBody.parse(request.body);
    return { event: await events.update(user, pathId(request.params.id, 'event'), body) };
  });

  app.delete<{ Params: { id: string } }>('/api/events/:id', async (request, reply) => {
    await events.cancel(await auth.requireMember(request, 'manage events'), pathId(request.params.id, 'event'));
    return reply.status(204).send();
  });

  app.put<{ Params: { id: string } }>('/api/events/:id/rsvp', async (request): Promise<EventReply> => ({
    event: await events.rsvp(await auth.requireMember(request, 'get reminders'), pathId(request.params.id, 'event'), true),
  }));

  app.delete<{ Params: { id: string } }>('/api/events/:id/rsvp', async (request): Promise<EventReply> => ({
    event: await events.rsvp(await auth.requireMember(request, 'get reminders'), pathId(request.params.id, 'event'), false),
  }));

  app.post<{ Params: { id: string } }>('/api/events/:id/live', async (request): Promise<GoLiveReply> =>
    events.goLive(await auth.requireMember(request, 'go live'), pathId(request.params.id, 'event')),
  );

  app.get<{ Params: { id: string } }>('/api/events/:id/event.ics', publicLimit, async (request, reply) => {
    const text = await events.ics(pathId(request.params.id, 'event'), await auth.currentUser(request));
    return reply.type('text/calendar; charset=utf-8').header('content-disposition', 'attachment; filename="event.ics"').header('cache-control', 'no-cache').send(text);
  });

  // Calendar apps cannot send cookies: the feed's URL carries a secret instead.
  app.get<{ Params: { file: string } }>('/api/calendar/:file', publicLimit, async (request, reply) => {
    const token = feedFile.exec(request.params.file)?.[1];
    if (!token) throw new ParleyError('not_found', 'No such calendar.');
    const text = await events.feed(token);
    return reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, no-cache').send(text);
  });

  app.get('/api/account/calendar-feed', async (request): Promise<CalendarFeedStatusReply> => events.feedStatus(await auth.requireMember(request, 'have a calendar feed')));

  app.post('/api/account/calendar-feed', async (request, reply): Promise<CalendarFeedReply> => {
    const user = await auth.requireMember(request, 'have a calendar feed');
    void reply.status(201);
    return events.createFeed(user);
  });

  app.delete('/api/account/calendar-feed', async (request, reply) => {
    await events.deleteFeed(await auth.requireMember(request, 'have a calendar feed'));
    return reply.status(204).send();
  });
}
