import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { WebSocketFactory, WebSocketLike } from '@parley/client';
import { InviteReply, type SignUpBody } from '@parley/protocol';
import WebSocket from 'ws';

/**
 * Bench clients come from their own loopback addresses (127.0.0.2, 127.0.0.3, …: Linux routes all of
 * 127/8 to lo), as a real audience comes from many addresses. Without this, a thousand bots share one
 * IP and the server's per-IP rate limits (rightly) refuse them.
 */

/** Longest wait for an HTTP reply. */
const REQUEST_TIMEOUT_MS = 30_000;

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
      // A bench client must never wait forever: a stuck request is a failed join, reported as such.
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no reply within ${REQUEST_TIMEOUT_MS} ms`)));
      if (body !== undefined) req.write(body);
      req.end();
    });
  };
}

/** A WebSocket factory (the `ws` package) whose connections leave from `localAddress`. */
export function boundWebSocketFactory(localAddress: string): WebSocketFactory {
  return (url, headers): WebSocketLike => new WebSocket(url, { headers, localAddress });
}

/**
 * An invite code from `member` (POST /api/invites): on a fresh server the first account is the admin,
 * and later sign-ups may need a code, as real invitees would.
 */
export async function createInviteCode(baseUrl: string, member: MemberTransport): Promise<string> {
  const response = await member.fetch(`${baseUrl}/api/invites`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: '{}',
  });
  if (response.status === 404) return ''; // no invitations on a server from before accounts
  if (!response.ok) throw new Error(`invite refused: ${response.status} ${await response.text()}`);
  const reply = InviteReply.parse(await response.json());
  return reply.invite.code;
}

/** Transport of a client that is signed in with a member account (hosts need one; guests only listen). */
export interface MemberTransport {
  fetch: typeof fetch;
  webSocketFactory: WebSocketFactory;
}

/**
 * Sign up a fresh member account (POST /api/accounts) from `localAddress` and return a transport that
 * carries its session cookie on every request and WebSocket, for a {@link ParleyClient} to use.
 */
export async function signUpMember(baseUrl: string, localAddress: string, displayName: string, inviteCode?: string): Promise<MemberTransport> {
  const base = boundFetch(localAddress);
  const suffix = randomBytes(6).toString('hex');
  const body: SignUpBody = {
    email: `bench-${suffix}@example.org`,
    password: randomBytes(18).toString('base64url'),
    username: `bench_${suffix}`,
    displayName,
    ...(inviteCode ? { inviteCode } : {}),
  };
  let response = await base(`${baseUrl}/api/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status === 404) {
    // A server from before accounts (an older commit under --server-root): guests host there.
    response = await base(`${baseUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ displayName }),
    });
  }
  if (!response.ok) throw new Error(`sign-up refused: ${response.status} ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0] ?? '')
    .filter((pair) => pair.includes('='))
    .join('; ');
  if (cookie === '') throw new Error('sign-up set no session cookie');
  const ws = boundWebSocketFactory(localAddress);
  return {
    fetch: (input, init) => {
      const headers = new Headers(init?.headers);
      if (!headers.has('cookie')) headers.set('cookie', cookie);
      return base(input, { ...init, headers });
    },
    webSocketFactory: (url, headers) => ws(url, { ...headers, cookie: headers.cookie ?? cookie }),
  };
}
