/**
 * @parley/client — the headless Parley SDK, for the browser and for Node. No Node-only or DOM-only
 * imports at module top level: the peer connections come from a {@link MediaAdapter}
 * (`@parley/client/browser` or `@parley/client/node`).
 *
 * ```ts
 * const client = new ParleyClient({ baseUrl: 'http://127.0.0.1:8080' }); // '' in the web app
 * await client.session.start('Ada');
 * const room = await client.rooms.create('Friday talk');
 * const session = await client.joinRoom(room.id, { media: new BrowserMediaAdapter({ onRemoteTrack }) });
 * await session.startListening();          // hear the room's audio slots
 * await session.startSpeaking();           // the host is on stage from the start
 * session.subscribe(() => render(session.state, session.speaking));
 * session.on('closed', (reason) => …);     // 'ended' | 'replaced' | 'removed' | 'left' | 'disconnected'
 * ```
 *
 * Layers, after LiveKit's split: {@link SignalClient} is the transport (one WebSocket, request ids,
 * one reply per request, typed events for what the server pushes); {@link RoomSession} is the domain
 * (state folded from snapshot + numbered deltas, resync on a gap, stage commands, media legs) and gets
 * its data through `handle*()` methods from {@link ParleyClient}, which wires the two together.
 *
 * Failures: a request the server refuses rejects with {@link ParleyError} (the server's `code`); a
 * transport failure (unreachable, closed, timeout, not the protocol) rejects with {@link ConnectionError}.
 * In Node the client keeps the session cookie in a {@link CookieJar} and sends it on the WebSocket
 * handshake; in a browser the HttpOnly cookie travels by itself.
 */
export { ParleyClient } from './ParleyClient';
export type { ParleyClientEvents, ParleyClientOptions } from './ParleyClient';
export { RoomSession } from './room/RoomSession';
export type { RoomSessionOptions, RoomSignal } from './room/RoomSession';
export type { RoomCloseReason, RoomMediaState, RoomSessionEvents } from './room/events';
export { SignalClient } from './signal/SignalClient';
export type { ReplyTo, RequestBody, SignalClientOptions } from './signal/SignalClient';
export type { ServerCloseReason, SignalClientEvents } from './signal/events';
export { defaultWebSocketFactory } from './signal/websocket';
export type { WebSocketFactory, WebSocketLike } from './signal/websocket';
export { CookieJar } from './http/cookies';
export { AccountsApi, InvitesApi, ProfilesApi, TokensApi } from './http/AccountsApi';
export { AdminApi, SafetyApi } from './http/SafetyApi';
export { EventsApi } from './http/EventsApi';
export { DelegationsApi, InvitationsApi, SpeakerLinksApi } from './http/InvitationsApi';
export { NotificationsApi } from './http/NotificationsApi';
export { ConnectionError, ErrorCode, ParleyError } from './errors';
export type { ConnectionErrorReason } from './errors';
export { consoleLogger, silentLogger } from './logger';
export type { LogFields, Logger, LogLevel } from './logger';
export { MediaConnectError, pollUntilConnected, type MediaAdapter, type MediaLeg, type PublishLeg, type SubscribeLeg } from './media';
export { handQueue, isOnStage } from '@parley/protocol';
export type { Participant, Role, RoomSnapshot, RoomSummary, User } from '@parley/protocol';
export type { Act, Delegation, HallwayReply, Invitation, InvitationDetail, Notification, NotificationPreferences, ScheduledEvent, SpeakerLink } from '@parley/protocol';
