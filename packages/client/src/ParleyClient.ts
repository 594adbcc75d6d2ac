import {
  CreateRoomBody,
  CreateSessionBody,
  HealthReply,
  ParleyError,
  RoomListReply,
  RoomReply,
  RtcConfigReply,
  SessionReply,
} from '@parley/protocol';
import type { Notification, RoomEvent, RoomSummary, RoomType, User } from '@parley/protocol';
import { TypedEmitter } from './emitter';
import type { ConnectionError } from './errors';
import { AccountsApi, InvitesApi, ProfilesApi, TokensApi } from './http/AccountsApi';
import { AdminApi, SafetyApi } from './http/SafetyApi';
import { EventsApi } from './http/EventsApi';
import { DelegationsApi, InvitationsApi, SpeakerLinksApi } from './http/InvitationsApi';
import { NotificationsApi } from './http/NotificationsApi';
import { CookieJar } from './http/cookies';
import { HttpClient, joinUrl } from './http/HttpClient';
import type { Logger } from './logger';
import { consoleLogger } from './logger';
import type { MediaAdapter } from './media';
import { RoomSession } from './room/RoomSession';
import { SignalClient } from './signal/SignalClient';
import type { WebSocketFactory } from './signal/websocket';
import { defaultWebSocketFactory, isBrowser } from './signal/websocket';

/** Options of a {@link ParleyClient}. */
export interface ParleyClientOptions {
  /**
   * Where the server is, e.g. `http://127.0.0.1:8080`. In a browser, `''` means the page's own origin
   * (the web app is served by the server it talks to).
   */
  baseUrl: string;
  /** The fetch to use; defaults to the global one. */
  fetch?: typeof fetch;
  /** Opens the signalling WebSocket; defaults to the browser's, or `ws` in Node. */
  webSocketFactory?: WebSocketFactory;
  /** Keep the session cookie in the client and send it by hand. Default: true outside a browser. */
  cookieJar?: boolean;
  /**
   * A personal API token (Settings → API tokens, or `parley admin create-user … --token`): every
   * request and the WebSocket act as its owner, without a session. For bots and scripts.
   */
  token?: string;
  /** How long a WebSocket request waits for its reply. Default 10 s. */
  requestTimeoutMs?: number;
  /** Keep-alive interval of the WebSocket; 0 disables. Default 25 s. */
  pingIntervalMs?: number;
  /** Where logs go. Default: `console`, warnings and errors only. */
  logger?: Logger;
}

/** Events of a {@link ParleyClient}. */
export type ParleyClientEvents = {
  /** The signalling socket dropped on its own; every open room session closed with `disconnected`. */
  disconnected: [error: ConnectionError];
  /** The server reported an error that answers no request. */
  serverError: [error: ParleyError];
  /** A new notification arrived (after {@link ParleyClient.connect} or a room join), with the unread count. */
  notification: [notification: Notification, unreadCount: number];
  /** The unread count changed (read on another tab), or the socket just opened. */
  unreadCount: [unreadCount: number];
  /** The hallway changed: fetch `client.events.hallway()` again. */
  hallwayChanged: [];
};

interface PendingJoin {
  promise: Promise<RoomSession>;
  /** Deltas that arrived before the join's snapshot; replayed into the new session. */
  early: { seq: number; event: RoomEvent }[];
}

/**
 * The headless Parley client: HTTP for the session and rooms, one signalling WebSocket shared by
 * every room session, and {@link RoomSession}s that hold each room's live state. Runs in the browser
 * and in Node; the peer connections come from the {@link MediaAdapter} passed to {@link joinRoom}.
 */
export class ParleyClient extends TypedEmitter<ParleyClientEvents> {
  private readonly baseUrl: string;
  private readonly http: HttpClient;
  private readonly jar: CookieJar | undefined;
  private signalClient: SignalClient | undefined;
  private readonly sessions = new Map<string, RoomSession>();
  private readonly joins = new Map<string, PendingJoin>();

  constructor(private readonly options: ParleyClientOptions) {
    super(options.logger ?? consoleLogger());
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    const useJar = options.cookieJar ?? !isBrowser();
    this.jar = useJar ? new CookieJar() : undefined;
    const fetchImpl = options.fetch;
    this.http = new HttpClient({
      baseUrl: this.baseUrl,
      // Wrapped: browsers refuse a `fetch` called with another object as `this`.
      fetch: fetchImpl ? (input, init) => fetchImpl(input, init) : (input, init) => globalThis.fetch(input, init),
      jar: this.jar,
      token: options.token,
      logger: this.logger,
    });
    this.accounts = new AccountsApi(this.http);
    this.profiles = new ProfilesApi(this.http);
    this.invites = new InvitesApi(this.http);
    this.tokens = new TokensApi(this.http);
    this.safety = new SafetyApi(this.http);
    this.admin = new AdminApi(this.http);
    this.events = new EventsApi(this.http);
    this.invitations = new InvitationsApi(this.http);
    this.delegations = new DelegationsApi(this.http);
    this.speakerLinks = new SpeakerLinksApi(this.http);
    this.notifications = new NotificationsApi(this.http);
  }

  /** Sign-up, sign-in, the signed-in account, emailed links. */
  readonly accounts: AccountsApi;
  /** Profiles, avatars, follows. */
  readonly profiles: ProfilesApi;
  /** Invitations to join the server. */
  readonly invites: InvitesApi;
  /** Personal API tokens. */
  readonly tokens: TokensApi;
  /** Blocks, reports, closed rooms' access lists, rooms' audit logs. */
  readonly safety: SafetyApi;
  /** The admins' tools: moderation queue, suspensions, the whole audit log, ending any room. */
  readonly admin: AdminApi;
  /** Scheduled events, RSVPs, going live, the calendar feed, and the hallway. */
  readonly events: EventsApi;
  /** Invitations to speak (at an event, or on stage now) and their threads. */
  readonly invitations: InvitationsApi;
  /** Delegates who act for me, and what they did. */
  readonly delegations: DelegationsApi;
  /** One-time guest speaker links. */
  readonly speakerLinks: SpeakerLinksApi;
  /** Notifications (new ones also arrive live: the `notification` event, after {@link connect}). */
  readonly notifications: NotificationsApi;

  /**
   * Open the signalling socket without joining a room, so that notifications (`notification`,
   * `unreadCount`) and hallway hints (`hallwayChanged`) arrive live. Joining a room opens it as well.
   */
  async connect(): Promise<void> {
    await this.signal().connect();
  }

  /** The visitor's session (a guest with a display name until accounts exist). */
  readonly session = {
    /** Who is signed in, or null without a session. */
    get: async (): Promise<User | null> => {
      try {
        return (await this.http.send('GET', '/api/session', SessionReply)).user;
      } catch (err) {
        if (err instanceof ParleyError && err.code === 'unauthorized') return null;
        throw err;
      }
    },
    /** Start a guest session; the server sets the session cookie. */
    start: async (displayName: string): Promise<User> => {
      const body: CreateSessionBody = { displayName };
      return (await this.http.send('POST', '/api/session', SessionReply, body)).user;
    },
    /** End the session (sign out). */
    end: async (): Promise<void> => {
      await this.http.sendEmpty('DELETE', '/api/session');
      this.jar?.clear();
    },
  };

  /** Rooms over HTTP: the hallway list, opening a room, looking one up. */
  readonly rooms = {
    /** Live rooms, most listeners first. */
    list: async (): Promise<RoomSummary[]> => (await this.http.send('GET', '/api/rooms', RoomListReply)).rooms,
    /** Open a live room; the caller becomes its host. `type` decides who may enter (default `open`). */
    create: async (title: string, type: RoomType = 'open'): Promise<RoomSummary> => {
      const body: CreateRoomBody = { title, type };
      return (await this.http.send('POST', '/api/rooms', RoomReply, body)).room;
    },
    /** One room by id. */
    get: async (id: string): Promise<RoomSummary> =>
      (await this.http.send('GET', `/api/rooms/${encodeURIComponent(id)}`, RoomReply)).room,
  };

  /** ICE servers for the browser's peer connections (TURN when the server has it configured). */
  async rtcConfig(): Promise<RtcConfigReply> {
    return this.http.send('GET', '/api/rtc-config', RtcConfigReply);
  }

  /** The server's health. */
  async health(): Promise<HealthReply> {
    return this.http.send('GET', '/api/health', HealthReply);
  }

  /** The link people open in a browser to join a room. */
  roomLink(roomId: string): string {
    return joinUrl(this.baseUrl, `/rooms/${encodeURIComponent(roomId)}`);
  }

  /** The session of a room this client is in, if any. */
  roomSession(roomId: string): RoomSession | undefined {
    return this.sessions.get(roomId);
  }

  /**
   * Join a live room: opens (or reuses) the WebSocket, sends `room.join`, and resolves once the
   * snapshot is in. Joining a room this client is already in returns the open session. With `listen`,
   * the room's audio offer is asked for in the same breath (`media.subscribe` right behind the join;
   * the server handles a socket's messages in order), and the session's first
   * {@link RoomSession.startListening} answers it: a round trip less before the first sound.
   */
  joinRoom(roomId: string, opts: { media: MediaAdapter; listen?: boolean }): Promise<RoomSession> {
    const open = this.sessions.get(roomId);
    if (open) return Promise.resolve(open);
    const pending = this.joins.get(roomId);
    if (pending) return pending.promise;
    const early: PendingJoin['early'] = [];
    // `finally` runs as a promise reaction, so the entry below is in the map before it is removed.
    const promise = this.join(roomId, opts.media, early, opts.listen ?? false).finally(() => {
      if (this.joins.get(roomId)?.early === early) this.joins.delete(roomId);
    });
    this.joins.set(roomId, { promise, early });
    return promise;
  }

  private async join(roomId: string, media: MediaAdapter, early: PendingJoin['early'], listen: boolean): Promise<RoomSession> {
    const signal = this.signal();
    const joined = signal.request('room.join', { roomId });
    const subscribeOffer = listen ? signal.request('media.subscribe', { roomId }) : undefined;
    // A join that fails takes the offer with it; that failure is the join's to report.
    subscribeOffer?.catch(() => undefined);
    const reply = await joined;
    const session = new RoomSession({ snapshot: reply.snapshot, signal, media, logger: this.logger, subscribeOffer });
    this.sessions.set(roomId, session);
    session.on('closed', () => {
      if (this.sessions.get(roomId) === session) this.sessions.delete(roomId);
    });
    for (const { seq, event } of early) session.handleEvent(seq, event);
    this.logger.info('joined room', { roomId, as: reply.snapshot.you });
    return session;
  }

  /** Leave every room and close the WebSocket. HTTP calls still work afterwards. */
  close(): void {
    for (const session of [...this.sessions.values()]) session.handleClosed('left');
    this.sessions.clear();
    this.signalClient?.close();
    this.signalClient = undefined;
  }

  /** The signalling client, created on first use and wired to the room sessions. */
  private signal(): SignalClient {
    if (this.signalClient) return this.signalClient;
    const signal = new SignalClient({
      url: this.webSocketUrl(),
      webSocketFactory: this.options.webSocketFactory ?? defaultWebSocketFactory,
      headers: (): Record<string, string> => {
        const headers: Record<string, string> = {};
        const cookie = this.jar?.header();
        if (cookie) headers.cookie = cookie;
        if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
        return headers;
      },
      requestTimeoutMs: this.options.requestTimeoutMs,
      pingIntervalMs: this.options.pingIntervalMs,
      logger: this.logger,
    });
    signal.on('roomEvent', (roomId, seq, event) => {
      const session = this.sessions.get(roomId);
      if (session) session.handleEvent(seq, event);
      else this.joins.get(roomId)?.early.push({ seq, event });
    });
    signal.on('speaking', (roomId, speakers) => this.sessions.get(roomId)?.handleSpeaking(speakers));
    signal.on('roomClosed', (roomId, reason) => this.sessions.get(roomId)?.handleClosed(reason));
    signal.on('snapshot', (snapshot) => this.sessions.get(snapshot.room.id)?.handleSnapshot(snapshot));
    signal.on('notification', (notification, unreadCount) => this.emit('notification', notification, unreadCount));
    signal.on('unreadCount', (unreadCount) => this.emit('unreadCount', unreadCount));
    signal.on('hallwayChanged', () => this.emit('hallwayChanged'));
    signal.on('serverError', (error) => {
      this.logger.warn('server error', { code: error.code, message: error.message });
      this.emit('serverError', error);
    });
    signal.on('disconnected', (error, byClient) => {
      for (const session of [...this.sessions.values()]) session.handleClosed(byClient ? 'left' : 'disconnected');
      this.sessions.clear();
      if (!byClient) this.emit('disconnected', error);
    });
    this.signalClient = signal;
    return signal;
  }

  /** `ws(s)://…/api/ws` for the base URL; a relative base resolves against the page (browser). */
  private webSocketUrl(): string {
    const base = globalThis.location?.href;
    const url = base ? new URL(joinUrl(this.baseUrl, '/api/ws'), base) : new URL(joinUrl(this.baseUrl, '/api/ws'));
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.toString();
  }
}
