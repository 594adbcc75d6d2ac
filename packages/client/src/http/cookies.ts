/**
 * A cookie jar for Node, where `fetch` keeps no cookies. Parley talks to one server, so the jar keeps
 * name → value and honours only expiry: the server's `Path=/` and host-only cookies need no more.
 * Browsers never use it: they keep the HttpOnly session cookie themselves and hide it from scripts.
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** Take the `Set-Cookie` headers of a response. */
  store(setCookieHeaders: readonly string[]): void {
    for (const header of setCookieHeaders) {
      const [pair = '', ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (isExpired(attributes) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** The `Cookie` header to send, or undefined when the jar is empty. */
  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Value of one cookie (tests, diagnostics). */
  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  clear(): void {
    this.cookies.clear();
  }
}

/** A cookie the server deletes comes with `Max-Age=0` or an `Expires` in the past. */
function isExpired(attributes: readonly string[]): boolean {
  for (const attribute of attributes) {
    const eq = attribute.indexOf('=');
    const key = (eq < 0 ? attribute : attribute.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? '' : attribute.slice(eq + 1).trim();
    if (key === 'max-age' && Number(value) <= 0) return true;
    if (key === 'expires') {
      const at = Date.parse(value);
      if (!Number.isNaN(at) && at <= Date.now()) return true;
    }
  }
  return false;
}
