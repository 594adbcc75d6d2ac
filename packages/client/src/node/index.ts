/**
 * The Node side of the client SDK (bots, benchmark, media tests). Loads node-datachannel: never
 * import this from code that runs in a browser.
 *
 * ```ts
 * const media = new NodeMediaAdapter({ toneHz: 440 });          // { decode: false } for bench bots
 * const session = await client.joinRoom(roomId, { media });
 * await session.startListening();                                // server offer → answer
 * // … later
 * media.receiveStats();   // { packetsReceived, packetsLost, firstPacketAt, dominantFrequencyHz, slots }
 * media.close();
 * releaseNativeResources();                                      // once per process, at exit
 * ```
 */
export { isTransientNegotiationError, NodeMediaAdapter, releaseNativeResources, type NodeMediaAdapterOptions } from './NodeMediaAdapter';
export { NodePublishLeg, NodeSubscribeLeg } from './legs';
export { AudioReceiver, SlotReceiver, type AudioReceiverOptions, type ReceiveStats, type SlotReceiveStats } from './receiver';
export { ToneGenerator, levelDbov, SAMPLE_RATE, FRAME_SAMPLES } from './tone';
export { OpusEncoder, OpusDecoder } from './opus';
export { dominantFrequency, type DominantFrequencyOptions } from './frequency';
