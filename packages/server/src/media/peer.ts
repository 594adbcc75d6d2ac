import nodeDataChannel from 'node-datachannel';
import type { PeerConnection, RtcConfig, Track } from 'node-datachannel';

/** How the engine's peer connections gather and announce ICE candidates. */
export interface PeerSettings {
  /**
   * The node-datachannel configurations peers are created with, taken in turn: one per ICE mux port
   * (a single one without a fixed port).
   */
  rtcConfigs: readonly RtcConfig[];
  /** Extra host addresses to announce on the gathered port (127.0.0.1, PUBLIC_IP). */
  announcedAddresses: string[];
  /** Longest wait for ICE gathering before an SDP is returned anyway. */
  gatheringTimeoutMs: number;
}

let peerCounter = 0;

/** Create a peer connection with the engine's settings; `label` names it in native logs. */
export function createPeerConnection(settings: PeerSettings, label: string): PeerConnection {
  peerCounter += 1;
  const config = settings.rtcConfigs[peerCounter % settings.rtcConfigs.length];
  if (!config) throw new Error('no peer configuration');
  return new nodeDataChannel.PeerConnection(`${label}-${peerCounter}`, config);
}

/** How often a gathering peer is checked. */
const GATHERING_POLL_MS = 5;

/**
 * Resolve once ICE gathering is complete (non-trickle: the SDP we return must carry every
 * candidate), or after `timeoutMs`. Polls the state rather than registering onGatheringStateChange:
 * each native callback is a libuv async handle that lives as long as the peer, and the event loop
 * scans every such handle on each wake-up (every forwarded packet's arrival), so a thousand listeners'
 * gathering callbacks would tax the forwarding path for the whole life of the room.
 */
export function whenGatheringComplete(pc: PeerConnection, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  return new Promise((resolve) => {
    const check = () => {
      let state: string;
      try {
        state = pc.gatheringState();
      } catch {
        resolve(); // closed meanwhile: the caller notices when it reads the description
        return;
      }
      if (state === 'complete' || performance.now() >= deadline) resolve();
      else setTimeout(check, GATHERING_POLL_MS);
    };
    setTimeout(check, GATHERING_POLL_MS);
  });
}

/** The local SDP of a peer whose gathering is complete, with the configured addresses announced. */
export function localSdp(pc: PeerConnection, settings: PeerSettings): string {
  const description = pc.localDescription();
  if (!description) throw new Error('peer connection has no local description');
  return announceAddresses(description.sdp, settings.announcedAddresses);
}

/**
 * Add a host candidate for each address on the port(s) of the gathered host candidates, unless one
 * is already there. libjuice gathers only the interfaces it enumerates (no loopback unless bound to
 * it), yet a socket bound to every interface answers on 127.0.0.1 and on a NAT-mapped PUBLIC_IP too.
 */
export function announceAddresses(sdp: string, addresses: readonly string[]): string {
  if (addresses.length === 0) return sdp;
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(eol);
  const candidates = lines.filter((line) => line.startsWith('a=candidate:'));
  const ports = new Set<string>();
  const present = new Set<string>();
  for (const line of candidates) {
    const fields = line.split(' ');
    // a=candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type>
    if (fields[2]?.toUpperCase() !== 'UDP' || fields[7] !== 'host') continue;
    if (fields[4] !== undefined) present.add(fields[4]);
    if (fields[5] !== undefined) ports.add(fields[5]);
  }
  const extra: string[] = [];
  let foundation = 100;
  for (const address of addresses) {
    if (present.has(address)) continue;
    for (const port of ports) {
      foundation += 1;
      // Lower priority than the gathered candidates: real interfaces are tried first.
      extra.push(`a=candidate:${foundation} 1 UDP ${1_000_000 - foundation} ${address} ${port} typ host`);
    }
  }
  if (extra.length === 0) return sdp;
  const out: string[] = [];
  let inserted = false;
  for (const line of lines) {
    if (!inserted && line === 'a=end-of-candidates') {
      out.push(...extra);
      inserted = true;
    }
    out.push(line);
  }
  return out.join(eol);
}

/** True for the peer states after which a node-datachannel peer never carries media again. */
export function isTerminalState(state: string): boolean {
  return state === 'closed' || state === 'failed';
}

/**
 * Tracks kept reachable until node-datachannel has seen them close. Its Track wrapper stays in a
 * native registry until its close callback ran, and a wrapper collected before that leaves a dangling
 * pointer that crashes `cleanup()` (node-datachannel 0.33.4); a Track collected while open also stops
 * its media.
 */
const liveTracks = new Set<Track>();

/**
 * Keep `track` alive until it closes (with its peer), and register the close callback that lets the
 * native binding forget it. `onClosed` runs then too. Call once per Track, right after getting it.
 */
export function retainTrack(track: Track, onClosed?: () => void): Track {
  liveTracks.add(track);
  track.onClosed(() => {
    liveTracks.delete(track);
    // Release the wrapper's other native callbacks now: once forgotten by the registry, cleanup()
    // no longer reaches them, and they would hold the event loop open until a garbage collection.
    track.close();
    onClosed?.();
  });
  return track;
}
