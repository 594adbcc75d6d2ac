import { request } from 'node:http';
import type { WebSocketFactory, WebSocketLike } from '@parley/client';
import WebSocket from 'ws';

/**
 * Bench clients come from their own loopback addresses (127.0.0.2, 127.0.0.3, …: Linux routes all of
 * 127/8 to lo), as a real audience comes from many addresses. Without this, a thousand bots share one
 * IP and the server's per-IP rate limits (rightly) refuse them.
 */

/** A `fetch` over plain HTTP whose connections leave from `localAddress`. */
export function boundFetch(localAddress: string): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (url.protocol !== 'http:') throw new Error(`bench clients speak plain HTTP only (got ${url.protocol})`);
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const body = typeof init?.body === 'string' ? init.body : undefined;
    if (init?.body !== undefined && init.body !== null && body === undefined) throw new Error('bench fetch sends string bodies only');
    return new Promise<Response>((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: init?.method ?? 'GET', headers, localAddress },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              if (value === undefined) continue;
              for (const one of Array.isArray(value) ? value : [value]) responseHeaders.append(name, one);
            }
            const status = res.statusCode ?? 500;
            const payload = status === 204 || status === 304 ? null : Buffer.concat(chunks);
            resolve(new Response(payload, { status, headers: responseHeaders }));
          });
        },
      );
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  };
}

/** A WebSocket factory (the `ws` package) whose connections leave from `localAddress`. */
export function boundWebSocketFactory(localAddress: string): WebSocketFactory {
  return (url, headers): WebSocketLike => new WebSocket(url, { headers, localAddress });
}
