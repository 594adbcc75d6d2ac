import { Route, Routes } from 'react-router';
import { accountRoutes } from '../features/account/routes';
import { AdminPage } from '../features/admin/AdminPage';
import { eventRoutes } from '../features/events/routes';
import { HallwayPage } from '../features/hallway/HallwayPage';
import { invitationRoutes } from '../features/invitations/routes';
import { RoomPage } from '../features/room/RoomPage';
import { SessionProvider } from '../features/session/SessionProvider';
import { speakRoutes } from '../features/speak/routes';
import { AnnouncerProvider } from './Announcer';
import { Layout } from './Layout';
import { NotFoundPage } from './NotFoundPage';

/** Routes of the web app. The server answers unknown paths with index.html, so deep links work. */
export function App() {
  return (
    <SessionProvider>
      <AnnouncerProvider>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<HallwayPage />} />
            <Route path="rooms/:roomId" element={<RoomPage />} />
            {accountRoutes}
            {speakRoutes}
            {eventRoutes}
            {invitationRoutes}
            <Route path="admin" element={<AdminPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </AnnouncerProvider>
    </SessionProvider>
  );
}
