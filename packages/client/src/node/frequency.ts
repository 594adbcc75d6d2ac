/** Options of {@link dominantFrequency}. */
export interface DominantFrequencyOptions {
  /** Ignore energy below this frequency (DC, rumble). Default 20 Hz. */
  minHz?: number;
  /** Ignore energy above this frequency. Default: half the sample rate. */
  maxHz?: number;
}

/** Largest analysis window: 65536 samples is 1.4 s at 48 kHz, plenty for a steady tone. */
const MAX_WINDOW = 65_536;
/** Smallest useful window (bins of ~190 Hz at 48 kHz are too coarse to interpolate reliably). */
const MIN_WINDOW = 256;

/**
 * The frequency (Hz) of the strongest spectral peak in the most recent samples of `pcm`: Hann window,
 * FFT over the largest power-of-two tail, then Gaussian interpolation between the peak bin and its
 * neighbours (accurate to a small fraction of a bin for a steady tone: ±0.1 Hz with 16384 samples at
 * 48 kHz). Returns NaN when there are too few samples or only silence.
 */
export function dominantFrequency(
  pcm: ArrayLike<number>,
  sampleRate: number,
  options: DominantFrequencyOptions = {},
): number {
  let size = MIN_WINDOW;
  while (size * 2 <= Math.min(pcm.length, MAX_WINDOW)) size *= 2;
  if (pcm.length < size) return Number.NaN;
  const real = new Float64Array(size);
  const imag = new Float64Array(size);
  const start = pcm.length - size;
  for (let i = 0; i < size; i += 1) {
    const hann = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (size - 1));
    real[i] = (pcm[start + i] ?? 0) * hann;
  }
  fft(real, imag);

  const binHz = sampleRate / size;
  const first = Math.max(1, Math.ceil((options.minHz ?? 20) / binHz));
  const last = Math.min(size / 2 - 1, Math.floor((options.maxHz ?? sampleRate / 2) / binHz));
  let peak = -1;
  let peakPower = 0;
  for (let k = first; k <= last; k += 1) {
    const power = (real[k] ?? 0) ** 2 + (imag[k] ?? 0) ** 2;
    if (power > peakPower) {
      peakPower = power;
      peak = k;
    }
  }
  if (peak < 0) return Number.NaN;
  const lnMagnitude = (k: number) => 0.5 * Math.log((real[k] ?? 0) ** 2 + (imag[k] ?? 0) ** 2 + 1e-30);
  const left = lnMagnitude(peak - 1);
  const centre = lnMagnitude(peak);
  const right = lnMagnitude(peak + 1);
  const curvature = left - 2 * centre + right;
  const offset = curvature < 0 ? (0.5 * (left - right)) / curvature : 0;
  return (peak + offset) * binHz;
}

/** In-place iterative radix-2 complex FFT; the length must be a power of two. */
export function fft(real: Float64Array, imag: Float64Array): void {
  const n = real.length;
  if (n !== imag.length || (n & (n - 1)) !== 0) throw new RangeError('FFT length must be a power of two');
  for (let i = 1, j = 0; i < n; i += 1) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const tr = real[i] ?? 0;
      real[i] = real[j] ?? 0;
      real[j] = tr;
      const ti = imag[i] ?? 0;
      imag[i] = imag[j] ?? 0;
      imag[j] = ti;
    }
  }
  for (let length = 2; length <= n; length <<= 1) {
    const angle = (-2 * Math.PI) / length;
    const stepReal = Math.cos(angle);
    const stepImag = Math.sin(angle);
    const half = length >> 1;
    for (let start = 0; start < n; start += length) {
      let wReal = 1;
      let wImag = 0;
      for (let k = 0; k < half; k += 1) {
        const a = start + k;
        const b = a + half;
        const bReal = real[b] ?? 0;
        const bImag = imag[b] ?? 0;
        const tReal = bReal * wReal - bImag * wImag;
        const tImag = bReal * wImag + bImag * wReal;
        const aReal = real[a] ?? 0;
        const aImag = imag[a] ?? 0;
        real[b] = aReal - tReal;
        imag[b] = aImag - tImag;
        real[a] = aReal + tReal;
        imag[a] = aImag + tImag;
        const nextReal = wReal * stepReal - wImag * stepImag;
        wImag = wReal * stepImag + wImag * stepReal;
        wReal = nextReal;
      }
    }
  }
}
