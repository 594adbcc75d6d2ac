import {
  ActivityReply,
  CalendarFeedReply,
  CalendarFeedStatusReply,
  CreatedSpeakerLinkReply,
  CreateEventBody,
  CreateInvitationBody,
  CreateSpeakerLinkBody,
  DecideInvitationBody,
  DelegationListReply,
  DelegationReply,
  EventListReply,
  EventReply,
  GoLiveReply,
  GrantDelegationBody,
  HallwayReply,
  InvitationListReply,
  InvitationReply,
  MarkNotificationsReadBody,
  NotificationListReply,
  NotificationPreferencesReply,
  RedeemSpeakerLinkReply,
  SpeakerLinkListReply,
  SpeakerLinkPreviewReply,
  ThreadMessageBody,
  UnreadCountReply,
  UpdateEventBody,
  UpdateNotificationPreferencesBody,
} from '@parley/protocol';
import { body, error, noContent, ok, param, query } from './openapi-helpers';

const calendar = { description: 'text/calendar (RFC 5545)', content: { 'text/calendar': {} } };
const forbidden = error('A guest, or not allowed (not a host, not a delegate with the scope, the wrong side)');
const conflict = error('The state does not allow it (already decided, expired, live, cancelled, used)');

/** OpenAPI paths of events, the hallway, invitations, delegations, speaker links and notifications (prose in docs/protocol.md). */
export const schedulingPaths = {
  '/api/hallway': { get: { summary: 'Live rooms I may enter (followed speakers first, then fullest) and upcoming events that concern me', responses: { 200: ok(HallwayReply) } } },
  '/api/events': {
    get: { summary: 'Events I (or a principal of mine) host, speak at or RSVP’d to', responses: { 200: ok(EventListReply), 403: forbidden } },
    post: { summary: 'Schedule an event', requestBody: body(CreateEventBody), responses: { 201: ok(EventReply, 'Created'), 400: error('Invalid body'), 403: forbidden, 404: error('Unknown co-host') } },
  },
  '/api/events/{id}': {
    get: { summary: 'An event page', parameters: [param('id')], responses: { 200: ok(EventReply), 404: error('No such event (or a closed one not for you)') } },
    patch: { summary: 'Change an upcoming event', parameters: [param('id')], requestBody: body(UpdateEventBody), responses: { 200: ok(EventReply), 403: forbidden, 409: conflict } },
    delete: { summary: 'Cancel an upcoming event (withdraws its pending invitations)', parameters: [param('id')], responses: { 204: noContent, 403: forbidden, 409: conflict } },
  },
  '/api/events/{id}/rsvp': {
    put: { summary: 'Notify me (RSVP)', parameters: [param('id')], responses: { 200: ok(EventReply), 409: conflict } },
    delete: { summary: 'Stop notifying me', parameters: [param('id')], responses: { 200: ok(EventReply) } },
  },
  '/api/events/{id}/live': { post: { summary: 'Go live: open (or get) the event’s room', parameters: [param('id')], responses: { 200: ok(GoLiveReply), 403: forbidden, 409: conflict } } },
  '/api/events/{id}/event.ics': { get: { summary: 'The event as an iCalendar file', parameters: [param('id')], responses: { 200: calendar, 404: error('No such event') } } },
  '/api/calendar/{file}': { get: { summary: 'A personal calendar feed (`<secret>.ics`; no cookie needed)', parameters: [param('file')], responses: { 200: calendar, 404: error('Unknown or rotated secret') } } },
  '/api/account/calendar-feed': {
    get: { summary: 'Whether I have a feed URL', responses: { 200: ok(CalendarFeedStatusReply) } },
    post: { summary: 'Make (or rotate) my feed URL; shown only here', responses: { 201: ok(CalendarFeedReply, 'Created') } },
    delete: { summary: 'Turn my feed URL off', responses: { 204: noContent } },
  },
  '/api/invitations': {
    get: { summary: 'Invitations to and from me and my principals, newest first', parameters: [query('box'), query('status')], responses: { 200: ok(InvitationListReply) } },
    post: { summary: 'Invite someone to speak (at an event, or on stage now)', requestBody: body(CreateInvitationBody), responses: { 201: ok(InvitationReply, 'Created'), 403: forbidden, 404: error('Unknown person, event or room'), 409: conflict } },
  },
  '/api/invitations/{id}': { get: { summary: 'One invitation with its thread and history', parameters: [param('id')], responses: { 200: ok(InvitationReply), 404: error('No such invitation (or not yours)') } } },
  '/api/invitations/{id}/messages': { post: { summary: 'Ask or answer in the thread', parameters: [param('id')], requestBody: body(ThreadMessageBody), responses: { 201: ok(InvitationReply, 'Added'), 409: conflict } } },
  '/api/invitations/{id}/accept': { post: { summary: 'Accept (the invitee or their delegate)', parameters: [param('id')], requestBody: body(DecideInvitationBody), responses: { 200: ok(InvitationReply), 403: forbidden, 409: conflict } } },
  '/api/invitations/{id}/decline': { post: { summary: 'Decline (the invitee or their delegate)', parameters: [param('id')], requestBody: body(DecideInvitationBody), responses: { 200: ok(InvitationReply), 403: forbidden, 409: conflict } } },
  '/api/invitations/{id}/withdraw': { post: { summary: 'Withdraw (the inviter or their delegate)', parameters: [param('id')], requestBody: body(DecideInvitationBody), responses: { 200: ok(InvitationReply), 403: forbidden, 409: conflict } } },
  '/api/delegations': {
    get: { summary: 'Grants I gave and hold', responses: { 200: ok(DelegationListReply) } },
    post: { summary: 'Let someone act for me (scopes)', requestBody: body(GrantDelegationBody), responses: { 201: ok(DelegationReply, 'Granted'), 404: error('Unknown username'), 409: error('Yourself') } },
  },
  '/api/delegations/{id}': { delete: { summary: 'Revoke (principal) or give up (delegate)', parameters: [param('id')], responses: { 204: noContent, 404: error('Not yours or not active') } } },
  '/api/delegations/activity': { get: { summary: 'What was done in my name, and by me for others', responses: { 200: ok(ActivityReply) } } },
  '/api/speaker-links': {
    get: { summary: 'An event’s or room’s speaker links', parameters: [query('eventId'), query('roomId')], responses: { 200: ok(SpeakerLinkListReply), 403: forbidden } },
    post: { summary: 'Make a one-time guest speaker link', requestBody: body(CreateSpeakerLinkBody), responses: { 201: ok(CreatedSpeakerLinkReply, 'Created'), 403: forbidden } },
  },
  '/api/speaker-links/{id}': { delete: { summary: 'Revoke a speaker link', parameters: [param('id')], responses: { 204: noContent, 403: forbidden, 409: conflict } } },
  '/api/speaker-links/token/{token}': { get: { summary: 'What a link opens (public)', parameters: [param('token')], responses: { 200: ok(SpeakerLinkPreviewReply), 404: error('Not a link'), 409: conflict } } },
  '/api/speaker-links/token/{token}/redeem': {
    post: { summary: 'Use a link once: a guest session (cookie) for its name', parameters: [param('token')], responses: { 200: ok(RedeemSpeakerLinkReply), 404: error('Not a link'), 409: conflict } },
  },
  '/api/notifications': { get: { summary: 'My notifications, newest first', parameters: [query('before'), query('limit'), query('unread')], responses: { 200: ok(NotificationListReply) } } },
  '/api/notifications/read': { post: { summary: 'Mark read', requestBody: body(MarkNotificationsReadBody), responses: { 200: ok(UnreadCountReply) } } },
  '/api/account/notification-preferences': {
    get: { summary: 'My notification switches', responses: { 200: ok(NotificationPreferencesReply) } },
    patch: { summary: 'Change switches', requestBody: body(UpdateNotificationPreferencesBody), responses: { 200: ok(NotificationPreferencesReply) } },
  },
};
