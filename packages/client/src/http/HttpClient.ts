import { ErrorReply, ParleyError } from '@parley/protocol';
import type { z } from 'zod';
import { ConnectionError } from '../errors';
import type { Logger } from '../logger';
import type { CookieJar } from './cookies';

/** Options of an {@link HttpClient}. */
export interface HttpClientOptions {
  /** Origin (and optional path prefix) of the server, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  fetch: typeof fetch;
  /** Node only: where the session cookie is kept between requests. */
  jar: CookieJar | undefined;
  /** A personal API token, sent as `Authorization: Bearer <token>` (bots and scripts). */
  token?: string | undefined;
  logger: Logger;
}

/** HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * JSON over HTTP to the server's `/api`. Every reply is validated with its protocol schema; error
 * bodies become {@link ParleyError}s with the server's code; network failures and replies that are not
 * the protocol become {@link ConnectionError}s.
 */
export class HttpClient {
  constructor(private readonly options: HttpClientOptions) {}

  /** Absolute URL of an API path. */
  url(path: string): string {
    return joinUrl(this.options.baseUrl, path);
  }

  /** Send a request and parse the reply with `schema`. */
  async send<S extends z.ZodType>(
    method: HttpMethod,
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<z.infer<S>> {
    const response = await this.raw(method, path, body);
    return this.parse(response, method, path, schema);
  }

  /** Send raw bytes (an avatar image) with their content type and parse the reply with `schema`. */
  async sendBytes<S extends z.ZodType>(method: 'PUT' | 'POST', path: string, schema: S, bytes: Blob, contentType: string): Promise<z.infer<S>> {
    const response = await this.raw(method, path, new RawBody(bytes, contentType));
    return this.parse(response, method, path, schema);
  }

  private async parse<S extends z.ZodType>(response: Response, method: string, path: string, schema: S): Promise<z.infer<S>> {
    const json = await readJson(response);
    if (!response.ok) throw toError(response.status, json);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ConnectionError('protocol', `Unexpected reply to ${method} ${path}`);
    return parsed.data;
  }

  /** Send a request whose reply has no body worth reading (e.g. `DELETE /api/session`). */
  async sendEmpty(method: HttpMethod, path: string, body?: unknown): Promise<void> {
    const response = await this.raw(method, path, body);
    if (!response.ok) throw toError(response.status, await readJson(response));
  }

  /** The fetch itself: cookies in and out, JSON body, and network errors mapped. */
  async raw(method: string, path: string, body: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = body instanceof RawBody ? body.contentType : 'application/json';
    const cookie = this.options.jar?.header();
    if (cookie) headers.cookie = cookie;
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    let response: Response;
    try {
      response = await this.options.fetch(this.url(path), {
        method,
        headers,
        body: body === undefined ? undefined : body instanceof RawBody ? body.bytes : JSON.stringify(body),
        // The browser sends the HttpOnly session cookie itself to its own origin.
        credentials: 'same-origin',
      });
    } catch (err) {
      throw new ConnectionError('unreachable', `Cannot reach ${this.url(path)}: ${String(err)}`);
    }
    this.options.jar?.store(response.headers.getSetCookie?.() ?? []);
    this.options.logger.debug('http', { method, path, status: response.status });
    return response;
  }
}

/** A body sent as it is (not as JSON). */
class RawBody {
  constructor(
    readonly bytes: Blob,
    readonly contentType: string,
  ) {}
}

/** `base` + `path`, whatever slashes either carries. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The server's `{error:{code,message,issues}}` as a ParleyError; anything else as a protocol failure. */
function toError(status: number, json: unknown): Error {
  const parsed = ErrorReply.safeParse(json);
  if (!parsed.success) return new ConnectionError('protocol', `HTTP ${status} without an error body`);
  const { code, message, issues } = parsed.data.error;
  return new ParleyError(code, issues?.length ? `${message} (${issues.join('; ')})` : message);
}
