/**
 * Test-side instrumentation of the pages' WebRTC and audio, and measurements taken inside the page.
 *
 * The web app has no test hooks. Instead, {@link installMediaProbe} adds an init script to a browser
 * context that wraps `RTCPeerConnection` before the app loads, keeping every connection in
 * `window.__parleyE2E.peerConnections` and noting when the first remote audio arrived. Remote audio is
 * read from the app's own `<audio>` elements (one per audio slot). The functions passed to
 * `page.evaluate` run in the browser: they must not use anything from this module's scope.
 */
import type { BrowserContext, Page } from 'playwright-core';

/** What the probe keeps in the page. */
interface ProbeState {
  peerConnections: RTCPeerConnection[];
  /** Wall-clock ms (performance.timeOrigin + now) when a remote track first unmuted (first RTP). */
  firstRemoteAudioAt: number | null;
  /** Onset times (wall-clock ms) collected by {@link startOnsetDetector}. */
  onsets: number[];
}
type ProbeWindow = Window & { __parleyE2E?: ProbeState };

/** Runs in the page before any app script. */
function probeScript(): void {
  const w = window as ProbeWindow;
  if (w.__parleyE2E) return;
  const state: ProbeState = { peerConnections: [], firstRemoteAudioAt: null, onsets: [] };
  w.__parleyE2E = state;
  const Native = window.RTCPeerConnection;
  class ProbedPeerConnection extends Native {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      state.peerConnections.push(this);
      // A remote track unmutes when its first RTP packet arrives: the moment audio starts flowing.
      this.addEventListener('track', (event) => {
        const mark = () => {
          state.firstRemoteAudioAt ??= performance.timeOrigin + performance.now();
        };
        if (!event.track.muted) mark();
        else event.track.addEventListener('unmute', mark, { once: true });
      });
    }
  }
  window.RTCPeerConnection = ProbedPeerConnection;
}

/** Install the probe in every page of `context` (call before opening pages). */
export async function installMediaProbe(context: BrowserContext): Promise<void> {
  await context.addInitScript(probeScript);
}

/** Sum of the page's inbound audio RTP statistics over all its peer connections. */
export interface InboundAudioStats {
  packetsReceived: number;
  packetsLost: number;
  /** Mean jitter-buffer delay (ms) of the audio emitted so far. */
  jitterBufferDelayMs: number;
  /** Highest `audioLevel` (0..1) among inbound tracks. */
  maxAudioLevel: number;
  peerConnections: number;
}

/** Read `inbound-rtp` audio stats from every RTCPeerConnection of the page. */
export async function inboundAudioStats(page: Page): Promise<InboundAudioStats> {
  return page.evaluate(async () => {
    const state = (window as ProbeWindow).__parleyE2E;
    const result = { packetsReceived: 0, packetsLost: 0, jitterBufferDelayMs: 0, maxAudioLevel: 0, peerConnections: 0 };
    if (!state) return result;
    let delay = 0;
    let emitted = 0;
    for (const pc of state.peerConnections) {
      if (pc.connectionState === 'closed') continue;
      result.peerConnections += 1;
      const report = await pc.getStats();
      report.forEach((entry: Record<string, unknown>) => {
        if (entry.type !== 'inbound-rtp' || entry.kind !== 'audio') return;
        result.packetsReceived += Number(entry.packetsReceived ?? 0);
        result.packetsLost += Number(entry.packetsLost ?? 0);
        delay += Number(entry.jitterBufferDelay ?? 0);
        emitted += Number(entry.jitterBufferEmittedCount ?? 0);
        result.maxAudioLevel = Math.max(result.maxAudioLevel, Number(entry.audioLevel ?? 0));
      });
    }
    result.jitterBufferDelayMs = emitted > 0 ? (delay / emitted) * 1000 : 0;
    return result;
  });
}

/** When the page received its first remote audio packet (wall-clock ms), or null. */
export async function firstRemoteAudioAt(page: Page): Promise<number | null> {
  return page.evaluate(() => (window as ProbeWindow).__parleyE2E?.firstRemoteAudioAt ?? null);
}

/** The page's navigation start in wall-clock ms: when the link was opened. */
export async function navigationStartedAt(page: Page): Promise<number> {
  return page.evaluate(() => performance.timeOrigin);
}

/** One spectral peak. */
export interface Peak {
  hz: number;
  db: number;
}

/** Spectrum of one remote audio slot, as heard through the app's `<audio>` element. */
export interface SlotSpectrum {
  trackId: string;
  /** Whether the element is playing (false means autoplay was blocked or nothing is attached). */
  playing: boolean;
  /** Strongest peaks, strongest first (frequency interpolated between FFT bins). */
  peaks: Peak[];
}

/**
 * Listen to every remote audio slot for `durationMs` with an AnalyserNode (fftSize 8192, power
 * averaged over frames) and report each slot's strongest peaks.
 */
export async function analyseRemoteAudio(page: Page, durationMs: number): Promise<SlotSpectrum[]> {
  return page.evaluate(async (duration) => {
    const elements = Array.from(document.querySelectorAll('audio')).filter((el) => el.srcObject instanceof MediaStream);
    const context = new AudioContext();
    await context.resume();
    const taps = elements.map((element) => {
      const stream = element.srcObject as MediaStream;
      const analyser = context.createAnalyser();
      analyser.fftSize = 8192;
      analyser.smoothingTimeConstant = 0;
      context.createMediaStreamSource(stream).connect(analyser);
      return {
        trackId: stream.getAudioTracks()[0]?.id ?? '',
        playing: !element.paused && !element.muted,
        analyser,
        power: new Float64Array(analyser.frequencyBinCount),
      };
    });
    const frame = new Float32Array(4096);
    const end = performance.now() + duration;
    let frames = 0;
    while (performance.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      frames += 1;
      for (const tap of taps) {
        tap.analyser.getFloatFrequencyData(frame);
        for (let i = 0; i < frame.length; i++) tap.power[i]! += 10 ** ((frame[i] ?? -200) / 10);
      }
    }
    const binHz = context.sampleRate / 8192;
    const spectra = taps.map((tap) => {
      const db = Array.from(tap.power, (p) => 10 * Math.log10(p / Math.max(frames, 1) + 1e-20));
      const peaks: { hz: number; db: number }[] = [];
      // Local maxima above 50 Hz, refined by a parabola through the bin and its neighbours.
      for (let i = Math.ceil(50 / binHz); i < db.length - 1; i++) {
        const [a, b, c] = [db[i - 1]!, db[i]!, db[i + 1]!];
        if (b < a || b < c || b < -100) continue;
        const denominator = a - 2 * b + c;
        const offset = denominator === 0 ? 0 : (0.5 * (a - c)) / denominator;
        peaks.push({ hz: (i + offset) * binHz, db: b });
      }
      peaks.sort((x, y) => y.db - x.db);
      return { trackId: tap.trackId, playing: tap.playing, peaks: peaks.slice(0, 5) };
    });
    await context.close();
    return spectra;
  }, durationMs);
}

/**
 * Start timing tone onsets (a sample above 0.05 after ≥ 300 ms below it) on the page's own published
 * track (`local`) or on the received slots (`remote`). Times are wall-clock ms, comparable across
 * browsers on one machine. Read them with {@link collectOnsets}.
 */
export async function startOnsetDetector(page: Page, which: 'local' | 'remote'): Promise<number> {
  return page.evaluate((side) => {
    const state = (window as ProbeWindow).__parleyE2E;
    if (!state) throw new Error('media probe not installed');
    const tracks =
      side === 'local'
        ? state.peerConnections.flatMap((pc) => pc.getSenders().map((s) => s.track)).filter((t): t is MediaStreamTrack => !!t)
        : Array.from(document.querySelectorAll('audio')).flatMap((el) =>
            el.srcObject instanceof MediaStream ? el.srcObject.getAudioTracks() : [],
          );
    const context = new AudioContext();
    const sink = context.createGain();
    sink.gain.value = 0;
    sink.connect(context.destination);
    const rate = context.sampleRate;
    const quietNeeded = rate * 0.3;
    state.onsets = [];
    for (const track of tracks) {
      const processor = context.createScriptProcessor(256, 1, 1);
      let quiet = 0;
      processor.onaudioprocess = (event) => {
        const data = event.inputBuffer.getChannelData(0);
        const stamp = context.getOutputTimestamp();
        const now = performance.timeOrigin + performance.now();
        for (let i = 0; i < data.length; i++) {
          if (Math.abs(data[i]!) > 0.05) {
            if (quiet >= quietNeeded) {
              // Map the sample's context time to wall-clock time through the output timestamp; the same
              // mapping on both sides, so the constant pipeline offsets cancel in the difference.
              const sampleTime = event.playbackTime - data.length / rate + i / rate;
              const at =
                stamp.performanceTime && stamp.contextTime
                  ? performance.timeOrigin + stamp.performanceTime + (sampleTime - stamp.contextTime) * 1000
                  : now - ((data.length - i) / rate) * 1000;
              state.onsets.push(at);
            }
            quiet = 0;
          } else {
            quiet += 1;
          }
        }
      };
      context.createMediaStreamSource(new MediaStream([track])).connect(processor);
      processor.connect(sink);
    }
    void context.resume();
    return tracks.length;
  }, which);
}

/** Onsets collected since {@link startOnsetDetector}. */
export async function collectOnsets(page: Page): Promise<number[]> {
  return page.evaluate(() => [...((window as ProbeWindow).__parleyE2E?.onsets ?? [])]);
}

/**
 * Pair each received onset with the latest sent onset before it (within `windowMs`) and return the
 * delays in ms: mouth-to-ear latency without the capture and playout devices.
 */
export function pairOnsets(sent: number[], received: number[], windowMs = 500): number[] {
  const delays: number[] = [];
  for (const r of received) {
    const candidates = sent.filter((s) => s <= r && r - s < windowMs);
    if (candidates.length > 0) delays.push(r - Math.max(...candidates));
  }
  return delays;
}

/** The median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
