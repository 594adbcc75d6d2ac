/**
 * @parley/client/browser — the media adapter for browsers: RTCPeerConnection and the microphone.
 * No Node imports: this is what the web bundle pulls in.
 */
import { MediaConnectError, pollUntilConnected, type MediaAdapter, type PublishLeg, type SubscribeLeg } from '../media';
import { splitCandidates } from '../sdp';

/** Why the microphone could not be used; the UI shows a different message for each. */
export type MicrophoneErrorReason =
  /** The person (or a browser policy) refused access. */
  | 'denied'
  /** There is no microphone, or none that satisfies the constraints. */
  | 'missing'
  /** Anything else: the device is busy, the page is not a secure context, the capture failed. */
  | 'failed';

/** The microphone could not be opened (from `getUserMedia`). */
export class MicrophoneError extends Error {
  override readonly name = 'MicrophoneError';
  constructor(
    readonly reason: MicrophoneErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Classify a `getUserMedia` failure by the DOMException's name. */
  static from(error: unknown): MicrophoneError {
    const name = error instanceof Error ? error.name : '';
    const detail = error instanceof Error ? error.message : String(error);
    switch (name) {
      case 'NotAllowedError':
      case 'SecurityError':
      case 'PermissionDeniedError':
        return new MicrophoneError('denied', 'Microphone access was denied', { cause: error });
      case 'NotFoundError':
      case 'OverconstrainedError':
      case 'DevicesNotFoundError':
        return new MicrophoneError('missing', 'No microphone was found', { cause: error });
      default:
        return new MicrophoneError('failed', `The microphone could not be started: ${detail}`, { cause: error });
    }
  }
}

/** Options of a {@link BrowserMediaAdapter}. */
export interface BrowserMediaAdapterOptions {
  /** Peer connection configuration (ICE servers from `client.rtcConfig()`). */
  rtcConfig?: RTCConfiguration;
  /** Constraints of the microphone track; default `true` (the browser's defaults). */
  audioConstraints?: MediaTrackConstraints;
  /** Called for each audio slot track the server sends; attach it to an `<audio>` element. */
  onRemoteTrack?: (track: MediaStreamTrack, stream: MediaStream) => void;
  /** Longest wait for ICE gathering before sending what was gathered. Default 5 s. */
  iceGatheringTimeoutMs?: number;
}

/**
 * The browser's media adapter. Publish: microphone → one sendonly Opus transceiver → offer with all
 * candidates (non-trickle ICE) → the server's answer. Subscribe: the server's offer of audio slots →
 * answer with all candidates; remote tracks go to {@link onRemoteTrack}.
 */
export class BrowserMediaAdapter implements MediaAdapter {
  /** Receives each remote audio slot track; may be set after construction (e.g. by a React effect). */
  onRemoteTrack: ((track: MediaStreamTrack, stream: MediaStream) => void) | undefined;
  private readonly legs = new Set<{ close(): void }>();
  private publishPeer: RTCPeerConnection | undefined;
  private subscribePeer: RTCPeerConnection | undefined;

  constructor(private readonly options: BrowserMediaAdapterOptions = {}) {
    this.onRemoteTrack = options.onRemoteTrack;
  }

  async publish(negotiate: (offerSdp: string) => Promise<string>): Promise<PublishLeg> {
    const stream = await openMicrophone(this.options.audioConstraints);
    const track = stream.getAudioTracks()[0];
    if (!track) {
      stopStream(stream);
      throw new MicrophoneError('missing', 'The microphone gave no audio track');
    }
    const pc = new RTCPeerConnection(this.options.rtcConfig);
    try {
      pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
      await pc.setLocalDescription(await pc.createOffer());
      await waitForIceGathering(pc, this.gatheringTimeout());
      const answerSdp = await negotiate(localSdp(pc));
      await pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
    } catch (err) {
      pc.close();
      stopStream(stream);
      throw err;
    }
    this.publishPeer = pc;
    const leg: PublishLeg = {
      // A disabled track sends silence (and, with DTX, almost nothing); the peer stays up for unmute.
      setMuted: (muted) => {
        track.enabled = !muted;
      },
      connected: (timeoutMs) => whenConnected(pc, timeoutMs),
      close: () => {
        this.legs.delete(leg);
        if (this.publishPeer === pc) this.publishPeer = undefined;
        pc.close();
        stopStream(stream);
      },
    };
    this.legs.add(leg);
    return leg;
  }

  async subscribe(offerSdp: string): Promise<SubscribeLeg> {
    const pc = new RTCPeerConnection(this.options.rtcConfig);
    pc.ontrack = (event) => {
      const stream = event.streams[0] ?? new MediaStream([event.track]);
      this.onRemoteTrack?.(event.track, stream);
    };
    let answerSdp: string;
    // The server's candidates wait until it has our answer (see ../sdp): its DTLS stack would
    // otherwise see our handshake before it has finished applying the answer.
    const { sdp, candidates } = splitCandidates(offerSdp);
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp });
      await pc.setLocalDescription(await pc.createAnswer());
      await waitForIceGathering(pc, this.gatheringTimeout());
      answerSdp = localSdp(pc);
    } catch (err) {
      pc.close();
      throw err;
    }
    this.subscribePeer = pc;
    const leg: SubscribeLeg = {
      answerSdp,
      // Called once the server has acknowledged the answer: now let ICE reach it.
      connected: async (timeoutMs) => {
        try {
          for (const { candidate, mid } of candidates.splice(0)) await pc.addIceCandidate({ candidate, sdpMid: mid });
        } catch (err) {
          throw new MediaConnectError(pc.connectionState, `The server's address was refused: ${(err as Error).message}`);
        }
        await whenConnected(pc, timeoutMs);
      },
      close: () => {
        this.legs.delete(leg);
        if (this.subscribePeer === pc) this.subscribePeer = undefined;
        pc.close();
      },
    };
    this.legs.add(leg);
    return leg;
  }

  /** WebRTC statistics of a leg (inbound-rtp of the slots, outbound-rtp of the microphone), if it is up. */
  async getStats(leg: 'publish' | 'subscribe'): Promise<RTCStatsReport | undefined> {
    const pc = leg === 'publish' ? this.publishPeer : this.subscribePeer;
    return pc?.getStats();
  }

  close(): void {
    for (const leg of [...this.legs]) leg.close();
  }

  private gatheringTimeout(): number {
    return this.options.iceGatheringTimeoutMs ?? 5_000;
  }
}

async function openMicrophone(constraints: MediaTrackConstraints | undefined): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    // Browsers hide mediaDevices outside secure contexts (plain http on a non-localhost address).
    throw new MicrophoneError('failed', 'This page cannot use a microphone (it needs HTTPS)');
  }
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: constraints ?? true });
  } catch (err) {
    throw MicrophoneError.from(err);
  }
}

function stopStream(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

/** Resolve once `pc` is connected; reject if it fails, closes, or takes longer than `timeoutMs`. */
function whenConnected(pc: RTCPeerConnection, timeoutMs: number): Promise<void> {
  return pollUntilConnected(() => pc.connectionState, timeoutMs);
}

function localSdp(pc: RTCPeerConnection): string {
  const sdp = pc.localDescription?.sdp;
  if (!sdp) throw new Error('The peer connection has no local description');
  return sdp;
}

/**
 * Resolve when ICE gathering is complete, so the SDP we send carries every candidate (the server does
 * not trickle). After `timeoutMs` we go with what we have: host candidates come first and suffice on
 * a LAN; a slow TURN server should not block the join.
 */
function waitForIceGathering(pc: RTCPeerConnection, timeoutMs: number): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', onState);
      pc.removeEventListener('icecandidate', onCandidate);
      resolve();
    };
    const onState = () => {
      if (pc.iceGatheringState === 'complete') done();
    };
    // A null candidate marks the end of gathering in browsers that skip the state event.
    const onCandidate = (event: RTCPeerConnectionIceEvent) => {
      if (event.candidate === null) done();
    };
    const timer = setTimeout(done, timeoutMs);
    pc.addEventListener('icegatheringstatechange', onState);
    pc.addEventListener('icecandidate', onCandidate);
  });
}
