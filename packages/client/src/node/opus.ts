import OpusScript from 'opusscript';
import { FRAME_SAMPLES, SAMPLE_RATE } from './tone';

function createCodec(channels: number): OpusScript {
  return new OpusScript(SAMPLE_RATE, channels, OpusScript.Application.AUDIO);
}

/** Opus encoder for 48 kHz mono frames, 20 ms unless told (WebAssembly, no native build). */
export class OpusEncoder {
  private readonly codec = createCodec(1);
  private closed = false;

  constructor(
    bitsPerSecond = 32_000,
    /** Samples per frame: 960 (20 ms), or 480, 1920, 2880 (10, 40, 60 ms). */
    readonly frameSamples = FRAME_SAMPLES,
  ) {
    this.codec.setBitrate(bitsPerSecond);
  }

  /** Encode one frame of {@link frameSamples} samples; returns a fresh Opus packet. */
  encode(frame: Int16Array): Buffer {
    if (this.closed) throw new Error('Opus encoder is closed');
    if (frame.length !== this.frameSamples) throw new RangeError(`expected ${this.frameSamples} samples, got ${frame.length}`);
    // opusscript takes the PCM as little-endian bytes: a Buffer view over the samples, no copy.
    return this.codec.encode(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength), this.frameSamples);
  }

  /** Free the WebAssembly state. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.codec.delete();
  }
}

/** Opus decoder to 48 kHz mono PCM (any Opus stream, mono or stereo, decodes to mono). */
export class OpusDecoder {
  private readonly codec = createCodec(1);
  private closed = false;

  /** Decode one Opus packet to 16-bit samples (a view valid until the next call). */
  decode(packet: Buffer): Int16Array {
    if (this.closed) throw new Error('Opus decoder is closed');
    const bytes = this.codec.decode(packet);
    const samples = bytes.length >> 1;
    if (bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, samples);
    const copy = new Int16Array(samples);
    for (let i = 0; i < samples; i += 1) copy[i] = bytes.readInt16LE(2 * i);
    return copy;
  }

  /** Free the WebAssembly state. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.codec.delete();
  }
}
