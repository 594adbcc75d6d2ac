import { Route } from 'react-router';
import { EventPage } from './EventPage';
import { NewEventPage } from './NewEventPage';

/** The pages of scheduled events, mounted inside the app's layout route. */
export const eventRoutes = (
  <>
    <Route path="events/new" element={<NewEventPage />} />
    <Route path="events/:eventId" element={<EventPage />} />
  </>
);
