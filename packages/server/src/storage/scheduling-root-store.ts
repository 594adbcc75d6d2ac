import type { SchedulingStore } from '../domain/scheduling-ports';
import type { Db } from './database';
import { delegationStore, invitationStore, speakerLinkStore } from './invitations-store';
import { actStore, calendarFeedStore, eventStore, peopleStore, stageGrantStore } from './scheduling-store';

export { jobStore, notificationStore } from './notifications-store';

/** `store.scheduling` over Drizzle: events, invitations, delegations, acts, speaker links, grants, feeds, people. */
export function schedulingStore(db: Db): SchedulingStore {
  return {
    events: eventStore(db),
    invitations: invitationStore(db),
    delegations: delegationStore(db),
    acts: actStore(db),
    speakerLinks: speakerLinkStore(db),
    stageGrants: stageGrantStore(db),
    calendarFeeds: calendarFeedStore(db),
    people: peopleStore(db),
  };
}
