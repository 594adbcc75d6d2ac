import { Route } from 'react-router';
import { NotificationSettingsPage } from '../notifications/NotificationSettingsPage';
import { NotificationsPage } from '../notifications/NotificationsPage';
import { DelegatesPage } from './DelegatesPage';
import { InvitationPage } from './InvitationPage';
import { InvitationsPage } from './InvitationsPage';

/** Invitations to speak, delegates and notifications, mounted inside the app's layout route. */
export const invitationRoutes = (
  <>
    <Route path="invitations" element={<InvitationsPage />} />
    <Route path="invitations/:invitationId" element={<InvitationPage />} />
    <Route path="notifications" element={<NotificationsPage />} />
    <Route path="settings/delegates" element={<DelegatesPage />} />
    <Route path="settings/notifications" element={<NotificationSettingsPage />} />
  </>
);
