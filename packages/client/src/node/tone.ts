/** Sample rate of every PCM buffer in the Node media pieces (Opus's native rate). */
export const SAMPLE_RATE = 48_000;
/** Samples in one 20 ms frame at {@link SAMPLE_RATE}. */
export const FRAME_SAMPLES = 960;
/** Level of digital silence in dBov (the RFC 6464 floor). */
export const SILENCE_DBOV = -127;

/**
 * A continuous sine tone cut into 20 ms mono frames: the synthetic microphone of bots and tests.
 * The phase carries over between frames, so consecutive frames join without clicks.
 */
export class ToneGenerator {
  private phase = 0;
  private readonly step: number;

  constructor(
    /** Tone frequency in Hz. */
    readonly frequencyHz: number,
    /** Peak amplitude as a fraction of full scale (0.5 ≈ −9 dBov). */
    readonly amplitude = 0.5,
    /** Sample rate in Hz. */
    readonly sampleRate = SAMPLE_RATE,
  ) {
    if (!(frequencyHz > 0 && frequencyHz < sampleRate / 2)) throw new RangeError(`tone frequency ${frequencyHz} Hz out of range`);
    if (!(amplitude >= 0 && amplitude <= 1)) throw new RangeError(`tone amplitude ${amplitude} out of range 0..1`);
    this.step = (2 * Math.PI * frequencyHz) / sampleRate;
  }

  /** Fill `frame` with the next samples of the tone (16-bit PCM); returns the frame's level in dBov. */
  nextFrame(frame: Int16Array): number {
    const peak = this.amplitude * 32767;
    for (let i = 0; i < frame.length; i += 1) {
      frame[i] = Math.round(peak * Math.sin(this.phase));
      this.phase += this.step;
    }
    this.phase %= 2 * Math.PI;
    return levelDbov(frame);
  }
}

/**
 * RMS level of 16-bit PCM in dBov, clamped to −127..0 as RFC 6464 carries it (a full-scale sine
 * reads −3, a half-scale one −9, as Chrome reports them).
 */
export function levelDbov(pcm: Int16Array): number {
  if (pcm.length === 0) return SILENCE_DBOV;
  let sum = 0;
  for (let i = 0; i < pcm.length; i += 1) {
    const sample = (pcm[i] ?? 0) / 32768;
    sum += sample * sample;
  }
  const rms = Math.sqrt(sum / pcm.length);
  if (rms === 0) return SILENCE_DBOV;
  return Math.max(SILENCE_DBOV, Math.min(0, 20 * Math.log10(rms)));
}
