/**
 * CSRF defence for cookie-authenticated requests: a browser always sends `Origin` on cross-site
 * writes and WebSocket handshakes, so a write whose Origin is present and not our own is refused.
 * Requests without Origin come from non-browser clients (bots, curl), which a cookie cannot be
 * forged into.
 */
export function isSameOrigin(originHeader: string | undefined, hostHeader: string | undefined, publicUrl: string | undefined): boolean {
  if (originHeader === undefined) return true;
  let origin: URL;
  try {
    origin = new URL(originHeader);
  } catch {
    return false;
  }
  if (publicUrl && origin.origin === new URL(publicUrl).origin) return true;
  return hostHeader !== undefined && origin.host === hostHeader;
}
