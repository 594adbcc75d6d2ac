import nodeDataChannel from 'node-datachannel';
import { MediaConnectError, type MediaAdapter } from '../media';
import { NodePublishLeg, NodeSubscribeLeg, type NodePeerSettings } from './legs';
import { AudioReceiver, type ReceiveStats, type SlotReceiver } from './receiver';

/**
 * True for the libdatachannel error that a retry with a fresh peer cures ("Got a remote candidate
 * without ICE transport": the peer closed while the description was being applied, see ../sdp). The
 * adapter reports it from its own legs as a {@link MediaConnectError}, which the room session retries;
 * the server's SFU throws it raw (tests driving the SFU directly retry on it).
 */
export function isTransientNegotiationError(error: unknown): boolean {
  return error instanceof Error && error.message.includes('without ICE transport');
}

/** Options of {@link NodeMediaAdapter}. */
export interface NodeMediaAdapterOptions {
  /** Frequency of the sine tone the publish leg sends, Hz. Default 440. */
  toneHz?: number;
  /** Peak amplitude of the tone, 0..1 of full scale. Default 0.5 (−9 dBov). */
  toneAmplitude?: number;
  /** Opus frame duration of the publish leg: 20 ms (default, as browsers send), 40 or 60 ms. */
  frameMs?: 20 | 40 | 60;
  /** Opus bitrate of the publish leg, bits/s. Default 32000. */
  bitsPerSecond?: number;
  /** Local address to gather ICE host candidates on. Default 127.0.0.1 (loopback tests, local bots). */
  bindAddress?: string;
  /** ICE servers (TURN URLs in node-datachannel form); none by default: no public STUN. */
  iceServers?: string[];
  /** Decode received Opus for frequency analysis. Default true; bench bots that only count pass false. */
  decode?: boolean;
  /** Decoded samples kept per slot for {@link NodeMediaAdapter.dominantFrequencyHz}. Default 16384 (0.34 s). */
  analysisWindowSamples?: number;
  /** Longest wait for ICE gathering before an SDP is used anyway. Default 5000 ms. */
  gatheringTimeoutMs?: number;
  /**
   * Share one UDP port between all peers of the process that pass the same port (libjuice's ICE UDP
   * mux): one socket for hundreds of bot peers instead of one each, which the native poll loop would
   * otherwise scan on every packet. Works when the server gives each peer its own port (the server
   * tells bot peers apart by their address, and they it by its port).
   */
  udpMuxPort?: number;
}

/**
 * The Node peer of the client SDK, on node-datachannel: publishes a synthetic sine tone (Opus, with
 * the RFC 6464 audio level a browser would send) and receives the server's audio slots, counting
 * packets and losses and, unless told not to, decoding them to find the dominant frequency heard.
 * Used by `parley bot`, the benchmark and media tests.
 *
 * node-datachannel keeps the process alive until {@link releaseNativeResources} is called: do it
 * once every adapter of the process is closed.
 */
export class NodeMediaAdapter implements MediaAdapter {
  private readonly settings: NodePeerSettings;
  private readonly receiver: AudioReceiver;
  private publishLeg: NodePublishLeg | undefined;
  private subscribeLeg: NodeSubscribeLeg | undefined;
  private closed = false;

  constructor(private readonly options: NodeMediaAdapterOptions = {}) {
    this.settings = {
      rtcConfig: {
        iceServers: options.iceServers ?? [],
        bindAddress: options.bindAddress ?? '127.0.0.1',
        ...(options.udpMuxPort ? { enableIceUdpMux: true, portRangeBegin: options.udpMuxPort, portRangeEnd: options.udpMuxPort } : {}),
      },
      gatheringTimeoutMs: options.gatheringTimeoutMs ?? 5000,
    };
    this.receiver = new AudioReceiver({
      decode: options.decode ?? true,
      windowSamples: options.analysisWindowSamples ?? 16_384,
    });
  }

  async publish(negotiate: (offerSdp: string) => Promise<string>): Promise<NodePublishLeg> {
    this.assertOpen();
    this.publishLeg?.close();
    const toneOptions = {
      toneHz: this.options.toneHz ?? 440,
      toneAmplitude: this.options.toneAmplitude ?? 0.5,
      bitsPerSecond: this.options.bitsPerSecond ?? 32_000,
      frameMs: this.options.frameMs ?? 20,
    };
    let leg: NodePublishLeg;
    try {
      leg = await NodePublishLeg.start(negotiate, this.settings, toneOptions);
    } catch (error) {
      // A fresh negotiation cures it: the room session (or the caller) retries.
      if (isTransientNegotiationError(error)) throw new MediaConnectError('failed', (error as Error).message);
      throw error;
    }
    if (this.closed) {
      leg.close();
      throw new Error('media adapter closed during publish');
    }
    this.publishLeg = leg;
    return leg;
  }

  async subscribe(offerSdp: string): Promise<NodeSubscribeLeg> {
    this.assertOpen();
    this.subscribeLeg?.close();
    const leg = await NodeSubscribeLeg.accept(offerSdp, this.settings, this.receiver);
    if (this.closed) {
      leg.close();
      throw new Error('media adapter closed during subscribe');
    }
    this.subscribeLeg = leg;
    return leg;
  }

  /** The current publish leg, if any. */
  get publishing(): NodePublishLeg | undefined {
    return this.publishLeg;
  }

  /** The current subscribe leg, if any. */
  get listening(): NodeSubscribeLeg | undefined {
    return this.subscribeLeg;
  }

  /** RTP packets received over every slot and subscribe leg. */
  get packetsReceived(): number {
    return this.receiver.packetsReceived;
  }

  /** RTP packets lost (sequence gaps) over every slot and subscribe leg. */
  get packetsLost(): number {
    return this.receiver.packetsLost;
  }

  /** RTP packets the publish leg sent. */
  get packetsSent(): number {
    return this.publishLeg?.packetsSent ?? 0;
  }

  /** Epoch ms of the first received packet, or undefined. */
  get firstPacketAt(): number | undefined {
    return this.receiver.firstPacketAt;
  }

  /** Per-slot receivers (counts, frequency), by slot index. */
  get slots(): readonly SlotReceiver[] {
    return this.receiver.slots;
  }

  /**
   * Dominant frequency (Hz) of what was heard recently: of slot `slot`, or of the loudest recently
   * active slot. NaN when nothing was decoded (decoding off, or no audio yet).
   */
  dominantFrequencyHz(slot?: number): number {
    return this.receiver.dominantFrequencyHz(slot);
  }

  /** Everything received, as JSON-ready data. */
  receiveStats(): ReceiveStats {
    return this.receiver.stats();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.publishLeg?.close();
    this.subscribeLeg?.close();
    this.receiver.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('media adapter is closed');
  }
}

/**
 * Release node-datachannel's native threads so the process can exit. Process-wide: call it once at
 * shutdown or test teardown, after every adapter is closed.
 */
export function releaseNativeResources(): void {
  nodeDataChannel.cleanup();
}
