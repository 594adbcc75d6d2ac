import { Decoder, Encoder } from '@evan/opus';
import { FRAME_SAMPLES, SAMPLE_RATE } from './tone';

// @evan/opus: libopus as a prebuilt native addon (Linux, macOS, Windows on x64/arm64) with a
// WebAssembly fallback, no install script. Each codec's state is freed when it is garbage-collected.

/** Opus encoder for 48 kHz mono frames, 20 ms unless told. */
export class OpusEncoder {
  private readonly codec = new Encoder({ channels: 1, sample_rate: SAMPLE_RATE, application: 'audio' });
  private closed = false;

  constructor(
    bitsPerSecond = 32_000,
    /** Samples per frame: 960 (20 ms), or 480, 1920, 2880 (10, 40, 60 ms). */
    readonly frameSamples = FRAME_SAMPLES,
  ) {
    this.codec.bitrate = bitsPerSecond;
  }

  /** Encode one frame of {@link frameSamples} samples; returns a fresh Opus packet. */
  encode(frame: Int16Array): Uint8Array {
    if (this.closed) throw new Error('Opus encoder is closed');
    if (frame.length !== this.frameSamples) throw new RangeError(`expected ${this.frameSamples} samples, got ${frame.length}`);
    return this.codec.encode(frame);
  }

  /** Refuse further use (the native state goes with the object). */
  close(): void {
    this.closed = true;
  }
}

/** Opus decoder to 48 kHz mono PCM (any Opus stream, mono or stereo, decodes to mono). */
export class OpusDecoder {
  private readonly codec = new Decoder({ channels: 1, sample_rate: SAMPLE_RATE });
  private closed = false;

  /** Decode one Opus packet to 16-bit samples. */
  decode(packet: Uint8Array): Int16Array {
    if (this.closed) throw new Error('Opus decoder is closed');
    const bytes = this.codec.decode(packet);
    const samples = bytes.byteLength >> 1;
    if (bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, samples);
    return new Int16Array(bytes.slice().buffer, 0, samples);
  }

  /** Refuse further use (the native state goes with the object). */
  close(): void {
    this.closed = true;
  }
}
