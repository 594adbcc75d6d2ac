/**
 * Holding ICE candidates back until the other side has our description.
 *
 * libdatachannel (the SFU, and the SDK's Node peer) checks a DTLS certificate against the fingerprint
 * of the remote description it has *finished* applying. When the other side already has a working
 * ICE pair at the moment that description is applied — because it started connectivity checks as
 * soon as it saw our candidates — the handshake completes within the same millisecond on a fast
 * link, before libdatachannel has stored the description: the check fails ("unknown CA") and the
 * peer closes, or a hello is dropped and the handshake stalls for a one-second retransmit.
 *
 * So a client lets the server start checks only once the server holds the whole exchange:
 * - its publish offer goes without candidates (the server learns the client's address from the
 *   client's own checks, as it must for a client behind NAT anyway);
 * - it answers the server's subscribe offer without applying the server's candidates, and adds them
 *   once the server has acknowledged the answer.
 */

/** An ICE candidate taken out of an SDP, with the media section it belongs to. */
export interface SdpCandidate {
  /** The attribute value, e.g. `candidate:1 1 UDP 2122317823 127.0.0.1 50000 typ host`. */
  candidate: string;
  /** The `a=mid` of its media section. */
  mid: string;
}

/** `sdp` without its candidate and end-of-candidates lines, and the candidates taken out. */
export function splitCandidates(sdp: string): { sdp: string; candidates: SdpCandidate[] } {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const kept: string[] = [];
  const candidates: SdpCandidate[] = [];
  const pending: string[] = [];
  let mid: string | undefined;
  for (const line of sdp.split(eol)) {
    if (line.startsWith('m=')) {
      mid = undefined;
    } else if (line.startsWith('a=mid:')) {
      mid = line.slice('a=mid:'.length);
      for (const candidate of pending.splice(0)) candidates.push({ candidate, mid });
    } else if (line.startsWith('a=candidate:')) {
      const candidate = line.slice('a='.length);
      if (mid === undefined) pending.push(candidate);
      else candidates.push({ candidate, mid });
      continue;
    } else if (line === 'a=end-of-candidates') {
      continue;
    }
    kept.push(line);
  }
  // Candidates in a section without a mid (not something Parley's peers produce) go with the first.
  for (const candidate of pending) candidates.push({ candidate, mid: '0' });
  return { sdp: kept.join(eol), candidates };
}
