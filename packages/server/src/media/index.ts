import type { MediaEngine, MediaEngineOptions } from './engine';
import { NdcMediaEngine } from './NdcMediaEngine';

export type { MediaEngine, MediaEngineOptions, MediaRoom, MediaRoomEvents, MediaRoomStats, SpeakingLevel } from './engine';
export type { MediaLogger } from './events';
export { NdcMediaEngine, type MediaEngineStats } from './NdcMediaEngine';
export { NdcMediaRoom } from './MediaRoom';

/** The default SFU (node-datachannel). Importing this module loads the native library. */
export function createMediaEngine(options: MediaEngineOptions = {}): MediaEngine {
  return new NdcMediaEngine(options);
}
