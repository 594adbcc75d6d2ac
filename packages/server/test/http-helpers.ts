/** Options of one request: a cookie or bearer token, a JSON body or raw bytes. */
export type ApiInit = Omit<RequestInit, 'body'> & { cookie?: string; token?: string; json?: unknown; bytes?: Uint8Array; type?: string };

/**
 * `fetch` against a server with the conveniences the tests need. JSON bodies come back parsed and
 * untyped on purpose: the tests assert on their shape, and the SDK tests check the protocol schemas.
 */
export function apiAt(baseUrl: () => string) {
  return async function api(path: string, init: ApiInit = {}) {
    const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined) };
    if (init.cookie) headers.cookie = init.cookie;
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    let body: BodyInit | undefined;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    } else if (init.bytes) {
      headers['content-type'] = init.type ?? 'application/octet-stream';
      body = Buffer.from(init.bytes);
    }
    const response = await fetch(`${baseUrl()}${path}`, { ...init, headers, body });
    const isJson = (response.headers.get('content-type') ?? '').startsWith('application/json');
    const text = isJson ? await response.text() : '';
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null, bytes: isJson ? null : new Uint8Array(await response.arrayBuffer()) };
  };
}

/** The `name=value` part of a response's session cookie. */
export function sessionCookieOf(headers: Headers): string {
  const cookie = headers.getSetCookie().find((c) => c.startsWith('parley_session='));
  if (!cookie) throw new Error('no session cookie in the reply');
  return cookie.split(';')[0]!;
}

/** A person with an account, signed in. */
export interface Member {
  cookie: string;
  user: { id: string; displayName: string; kind: string };
  email: string;
  password: string;
  username: string;
}

/**
 * Makes accounts on a test server: the first becomes the admin (a fresh server needs no code); every
 * later one signs up with an invite code the admin creates, as a real invitee would.
 */
export function accountFactory(api: ReturnType<typeof apiAt>) {
  let admin: Member | null = null;
  let counter = 0;

  async function signUp(displayName: string, inviteCode?: string): Promise<Member> {
    counter += 1;
    const username = `${displayName.replace(/[^A-Za-z0-9]/g, '')}${counter}`.replace(/^[^A-Za-z]+/, 'u');
    const email = `${username.toLowerCase()}@example.org`;
    const password = `correct horse ${username}`;
    const res = await api('/api/accounts', { method: 'POST', json: { email, password, username, displayName, inviteCode } });
    if (res.status !== 201) throw new Error(`sign-up of ${displayName} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { cookie: sessionCookieOf(res.headers), user: res.body.user, email, password, username };
  }

  return {
    /** The admin (the server's first account), made on first use. */
    async admin(): Promise<Member> {
      admin ??= await signUp('Admin');
      return admin;
    },
    /** A new member, invited by the admin. */
    async member(displayName: string): Promise<Member> {
      const inviter = await this.admin();
      const invite = await api('/api/invites', { method: 'POST', cookie: inviter.cookie, json: {} });
      if (invite.status !== 201) throw new Error(`invite failed: ${invite.status} ${JSON.stringify(invite.body)}`);
      return signUp(displayName, invite.body.invite.code);
    },
  };
}
