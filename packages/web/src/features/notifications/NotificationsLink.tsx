import { Link } from 'react-router';
import { notificationsLinkLabel } from './notificationView';
import { useUnreadCount } from './UnreadCountProvider';
import './notifications.css';

/** The header link to the notifications, named with the unread count ("Notifications (2 unread)"). */
export function NotificationsLink() {
  const { count } = useUnreadCount();
  const unread = count !== null && count > 0;
  return (
    <Link to="/notifications" aria-label={notificationsLinkLabel(count)}>
      Notifications
      {unread && (
        <>
          {' '}
          <span className="unread-count" aria-hidden="true">
            {count}
          </span>
        </>
      )}
    </Link>
  );
}
