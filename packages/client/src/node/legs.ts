import { randomInt } from 'node:crypto';
import nodeDataChannel from 'node-datachannel';
import type { Audio, PeerConnection, RtcConfig, Track } from 'node-datachannel';
import { pollUntilConnected, type PublishLeg, type SubscribeLeg } from '../media';
import { splitCandidates, type SdpCandidate } from '../sdp';
import { OpusEncoder } from './opus';
import type { AudioReceiver } from './receiver';
import { findAudioLevelExtensionId, writeRtpPacket } from './rtp';
import { FRAME_SAMPLES, ToneGenerator } from './tone';

/** Payload type the Node peer offers for Opus (the server rewrites to its own on the way out). */
const OPUS_PAYLOAD_TYPE = 111;
/** Audio-level extension id the Node peer offers. */
const OFFERED_AUDIO_LEVEL_ID = 1;
/** The sender checks the clock this often and sends every frame that is due. */
const SEND_TICK_MS = 10;
/** If the event loop stalled longer than this, skip the missed frames instead of bursting them. */
const MAX_CATCH_UP_FRAMES = 10;

/** Peer settings shared by both legs. */
export interface NodePeerSettings {
  rtcConfig: RtcConfig;
  gatheringTimeoutMs: number;
}

let peerCounter = 0;

function createPeer(settings: NodePeerSettings, label: string): PeerConnection {
  peerCounter += 1;
  return new nodeDataChannel.PeerConnection(`${label}-${peerCounter}`, settings.rtcConfig);
}

/**
 * Resolve when ICE gathering completes, or after `timeoutMs`. Polls rather than registering
 * onGatheringStateChange: every native callback is a libuv async handle for the life of the peer,
 * scanned on each event-loop wake-up, which a bot process with hundreds of peers pays per packet.
 */
function whenGatheringComplete(pc: PeerConnection, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  return new Promise((resolve) => {
    const check = () => {
      let state: string;
      try {
        state = pc.gatheringState();
      } catch {
        resolve();
        return;
      }
      if (state === 'complete' || performance.now() >= deadline) resolve();
      else setTimeout(check, 5);
    };
    setTimeout(check, 5);
  });
}

/**
 * Tracks kept reachable until node-datachannel has seen them close: its Track wrapper stays in a
 * native registry until its close callback ran, and one collected before leaves a dangling pointer
 * that crashes `cleanup()` (a Track collected while open also stops its media).
 */
const liveTracks = new Set<Track>();

function retainTrack(track: Track): Track {
  liveTracks.add(track);
  track.onClosed(() => {
    liveTracks.delete(track);
    // Release the wrapper's other native callbacks, which would otherwise hold the event loop open.
    track.close();
  });
  return track;
}

function localSdp(pc: PeerConnection): string {
  const description = pc.localDescription();
  if (!description) throw new Error('peer connection has no local description');
  return description.sdp;
}

/** Options of a tone-publishing leg. */
export interface TonePublishOptions {
  toneHz: number;
  toneAmplitude: number;
  bitsPerSecond: number;
  /** Opus frame duration: 20 ms (default, what browsers send), 40 or 60 ms (fewer packets). */
  frameMs?: 20 | 40 | 60;
}

/**
 * A Node publish leg: one sendonly Opus track carrying a sine tone in 20 ms RTP packets, each with
 * the RFC 6464 audio level of the frame it carries (as a browser sends its microphone).
 */
export class NodePublishLeg implements PublishLeg {
  /** RTP packets sent so far. */
  packetsSent = 0;
  private muted = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private sequenceNumber = randomInt(0, 0x10000);
  private timestamp = randomInt(0, 0xffffffff);
  private framesDone = 0;
  private startedAt = 0;
  private audioLevelExtensionId: number | undefined = OFFERED_AUDIO_LEVEL_ID;
  private readonly frame: Int16Array;
  /** Frame duration in ms (20 unless told) and in RTP ticks (48 per ms). */
  private readonly frameMs: number;
  private readonly frameTicks: number;
  /** Reused for every packet: node-datachannel copies what it sends. */
  private readonly packet = Buffer.alloc(1500);
  private readonly tone: ToneGenerator;
  private readonly encoder: OpusEncoder;

  private constructor(
    private readonly pc: PeerConnection,
    // Held for the life of the leg, like the track.
    private readonly media: Audio,
    private readonly track: Track,
    private readonly ssrc: number,
    options: TonePublishOptions,
  ) {
    this.frameMs = options.frameMs ?? 20;
    this.frameTicks = (FRAME_SAMPLES / 20) * this.frameMs;
    this.frame = new Int16Array(this.frameTicks);
    this.tone = new ToneGenerator(options.toneHz, options.toneAmplitude);
    this.encoder = new OpusEncoder(options.bitsPerSecond, this.frameTicks);
  }

  /** Offer, let `negotiate` exchange it for the server's answer, apply it; sending starts once open. */
  static async start(
    negotiate: (offerSdp: string) => Promise<string>,
    settings: NodePeerSettings,
    options: TonePublishOptions,
  ): Promise<NodePublishLeg> {
    const pc = createPeer(settings, 'node-publish');
    const ssrc = randomInt(1, 0xffffffff);
    const media = new nodeDataChannel.Audio('0', 'SendOnly');
    // Describe the track completely before addTrack(): the peer copies the description then.
    media.addOpusCodec(OPUS_PAYLOAD_TYPE);
    media.addSSRC(ssrc, 'parley-bot', 'parley-bot-stream', 'parley-bot-audio');
    media.parseSdpLine(`a=extmap:${OFFERED_AUDIO_LEVEL_ID} urn:ietf:params:rtp-hdrext:ssrc-audio-level`);
    const leg = new NodePublishLeg(pc, media, retainTrack(pc.addTrack(media)), ssrc, options);
    leg.track.onOpen(() => leg.startSending());
    try {
      const gathered = whenGatheringComplete(pc, settings.gatheringTimeoutMs);
      pc.setLocalDescription();
      await gathered;
      // No candidates in the offer: the server learns our address from our checks (see ../sdp).
      const answerSdp = await negotiate(splitCandidates(localSdp(pc)).sdp);
      if (leg.closed) throw new Error('publish leg closed during negotiation');
      leg.audioLevelExtensionId = findAudioLevelExtensionId(answerSdp);
      pc.setRemoteDescription(answerSdp, 'answer');
      return leg;
    } catch (error) {
      leg.close();
      throw error;
    }
  }

  private startSending(): void {
    if (this.closed || this.timer) return;
    this.startedAt = performance.now();
    this.timer = setInterval(() => this.sendDueFrames(), SEND_TICK_MS);
  }

  private sendDueFrames(): void {
    const due = Math.floor((performance.now() - this.startedAt) / this.frameMs) + 1;
    if (due - this.framesDone > MAX_CATCH_UP_FRAMES) {
      // The loop stalled: let the RTP clock jump as real time did, and carry on from now.
      this.timestamp = (this.timestamp + (due - 1 - this.framesDone) * this.frameTicks) >>> 0;
      this.framesDone = due - 1;
    }
    while (this.framesDone < due && !this.closed) {
      this.framesDone += 1;
      if (!this.muted) this.sendFrame();
      this.timestamp = (this.timestamp + this.frameTicks) >>> 0;
    }
  }

  private sendFrame(): void {
    const levelDbov = this.tone.nextFrame(this.frame);
    const payload = this.encoder.encode(this.frame);
    const length = writeRtpPacket(
      this.packet,
      {
        payloadType: OPUS_PAYLOAD_TYPE,
        sequenceNumber: this.sequenceNumber,
        timestamp: this.timestamp,
        ssrc: this.ssrc,
        audioLevelExtensionId: this.audioLevelExtensionId,
        levelDbov,
      },
      payload,
    );
    this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
    try {
      if (this.track.sendMessageBinary(this.packet.subarray(0, length))) this.packetsSent += 1;
    } catch {
      // The track closed under us (server closed the peer); close() stops the timer.
    }
  }

  /** Stop or resume sending (no packets while muted; the RTP clock keeps running). */
  setMuted(muted: boolean): void {
    this.muted = muted;
  }

  /** The peer connection's state ('connected', 'closed', …). */
  state(): string {
    return this.pc.state();
  }

  connected(timeoutMs: number): Promise<void> {
    return pollUntilConnected(() => (this.closed ? 'closed' : this.pc.state()), timeoutMs);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.encoder.close();
    try {
      // Closing the peer closes its track (closing the track first trips node-datachannel's cleanup()).
      this.pc.close();
    } catch {
      // Already closed natively.
    }
  }
}

/**
 * A Node subscribe leg: answers the server's offer of N slot tracks and hands every packet to the
 * adapter's {@link AudioReceiver}, by slot index (the order of the tracks in the offer).
 */
export class NodeSubscribeLeg implements SubscribeLeg {
  private closed = false;

  private constructor(
    private readonly pc: PeerConnection,
    // Held so the tracks are not garbage-collected while the leg runs (filled as tracks appear).
    private readonly tracks: Track[],
    /** The SDP answer to send back with `media.answer`. */
    readonly answerSdp: string,
    /** The server's candidates, applied by {@link connected} once the server has the answer. */
    private heldCandidates: SdpCandidate[],
  ) {}

  /** Apply the server's offer and produce the answer (candidates included). */
  static async accept(offerSdp: string, settings: NodePeerSettings, receiver: AudioReceiver): Promise<NodeSubscribeLeg> {
    const pc = createPeer(settings, 'node-subscribe');
    const mids = [...offerSdp.matchAll(/^a=mid:(\S+)/gm)].map((match) => match[1] ?? '');
    const opusPayloadType = Number(/^a=rtpmap:(\d+)\s+opus\/48000/im.exec(offerSdp)?.[1] ?? OPUS_PAYLOAD_TYPE);
    // Our own receiving track per offered slot, made before the offer is applied: libdatachannel
    // matches them by mid, so no onTrack callback (a native async handle per peer) is needed.
    const tracks = mids.map((mid, index) => {
      const media = new nodeDataChannel.Audio(mid, 'RecvOnly');
      media.addOpusCodec(opusPayloadType);
      const track = retainTrack(pc.addTrack(media));
      const slot = receiver.slot(index);
      track.onMessage((packet) => slot.handlePacket(packet, Date.now()));
      return track;
    });
    try {
      const gathered = whenGatheringComplete(pc, settings.gatheringTimeoutMs);
      // The server's candidates wait until it has our answer (see ../sdp).
      const { sdp, candidates } = splitCandidates(offerSdp);
      pc.setRemoteDescription(sdp, 'offer');
      await gathered;
      return new NodeSubscribeLeg(pc, tracks, localSdp(pc), candidates);
    } catch (error) {
      pc.close();
      throw error;
    }
  }

  /** The peer connection's state ('connected', 'closed', …). */
  state(): string {
    return this.pc.state();
  }

  /**
   * Call once the server has acknowledged the answer: applies the server's candidates, which starts
   * our connectivity checks, then waits for the connection.
   */
  connected(timeoutMs: number): Promise<void> {
    const candidates = this.heldCandidates;
    this.heldCandidates = [];
    try {
      for (const { candidate, mid } of candidates) this.pc.addRemoteCandidate(candidate, mid);
    } catch {
      // Closed meanwhile: the poll below reports it.
    }
    return pollUntilConnected(() => (this.closed ? 'closed' : this.pc.state()), timeoutMs);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.pc.close(); // closes the tracks too
      this.tracks.length = 0;
    } catch {
      // Already closed natively.
    }
  }
}
