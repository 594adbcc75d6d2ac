/**
 * The part of the WebSocket API the signal client uses. The browser's `WebSocket`, Node 22's global
 * `WebSocket` and the `ws` package all provide it, so any of them can be passed in as is.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: EventHandler<unknown> | null;
  onmessage: EventHandler<{ data: unknown }> | null;
  onclose: EventHandler<{ code: number; reason: string }> | null;
  onerror: EventHandler<unknown> | null;
}

/**
 * An event handler property, checked bivariantly (as methods are) so that the DOM's and `ws`'s own
 * event classes fit the small shapes above.
 */
type EventHandler<E> = { handle(event: E): void }['handle'];

/**
 * Opens a WebSocket. `headers` carries the session `Cookie` in Node; browsers cannot set headers on a
 * WebSocket and send the cookie themselves, so a browser factory ignores it.
 */
export type WebSocketFactory = (url: string, headers: Record<string, string>) => WebSocketLike | Promise<WebSocketLike>;

/** `WebSocket.OPEN`, spelled out because `ws` and the DOM do not share a type for it. */
export const WS_OPEN = 1;

/** The constructor shape of the `ws` package (and of undici's WebSocket, which takes the same init). */
type NodeWebSocketConstructor = new (url: string, options?: { headers: Record<string, string> }) => WebSocketLike;

/** True when running in a browser (or a browser-like worker), where the cookie travels by itself. */
export function isBrowser(): boolean {
  return typeof document !== 'undefined' || typeof process === 'undefined' || !process.versions?.node;
}

function isConstructor(value: unknown): value is NodeWebSocketConstructor {
  return typeof value === 'function';
}

/** Cached so that every connection does not pay for the import again. */
let nodeWebSocket: Promise<NodeWebSocketConstructor | undefined> | undefined;

/**
 * Loads the `ws` package. The specifier is a variable so bundlers leave the import alone: the web
 * bundle never includes `ws`, and this code only runs in Node.
 */
function loadNodeWebSocket(): Promise<NodeWebSocketConstructor | undefined> {
  nodeWebSocket ??= (async () => {
    const specifier = 'ws';
    try {
      const mod: unknown = await import(/* @vite-ignore */ specifier);
      const ctor = typeof mod === 'object' && mod !== null ? Reflect.get(mod, 'WebSocket') ?? Reflect.get(mod, 'default') : undefined;
      return isConstructor(ctor) ? ctor : undefined;
    } catch {
      return undefined;
    }
  })();
  return nodeWebSocket;
}

/**
 * The default factory. In a browser: the global `WebSocket` (the cookie goes along by itself). In Node:
 * the `ws` package, which is certain to send our `Cookie` header; when it is not installed, the global
 * `WebSocket` of Node 22+ with undici's `headers` init.
 */
export const defaultWebSocketFactory: WebSocketFactory = async (url, headers) => {
  const globalWebSocket: unknown = globalThis.WebSocket;
  if (isBrowser()) {
    if (!isConstructor(globalWebSocket)) throw new Error('This browser has no WebSocket');
    // The second argument of the browser's constructor is the subprotocol list: pass none.
    return new globalWebSocket(url);
  }
  const ctor = (await loadNodeWebSocket()) ?? (isConstructor(globalWebSocket) ? globalWebSocket : undefined);
  if (!ctor) throw new Error('No WebSocket implementation: install the "ws" package or use Node 22+');
  return new ctor(url, { headers });
};
