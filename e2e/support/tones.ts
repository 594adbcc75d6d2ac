import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where generated test audio lives; shared by runs (files are deterministic). */
const audioDir = join(tmpdir(), 'parley-e2e-audio');

/**
 * Length of every fake-microphone file. Longer than any test file's run: when the file ends, Chromium's
 * fake capture falls back to a ~400 Hz tone of its own, which would be mistaken for the 440 Hz tone.
 */
const seconds = 300;

function sox(file: string, effects: string[]): string {
  const path = join(audioDir, file);
  if (existsSync(path)) return path;
  mkdirSync(audioDir, { recursive: true });
  const partial = `${path}.partial.wav`;
  // 48 kHz, 16-bit mono: what Chromium's fake capture device reads without resampling surprises.
  execFileSync('sox', ['-n', '-r', '48000', '-b', '16', '-c', '1', partial, ...effects]);
  execFileSync('mv', [partial, path]);
  return path;
}

/** A steady sine tone at `hz` (−6 dBFS), as a WAV file for `--use-file-for-fake-audio-capture`. */
export function toneWav(hz: number): string {
  return sox(`tone-${hz}hz-${seconds}s.wav`, ['synth', String(seconds), 'sine', String(hz), 'gain', '-6']);
}

/**
 * Bursts of a sine tone: `burstMs` on, then silence up to `periodMs`, repeated. The onset of each burst
 * is timed on the sender's track and on the listener's to measure mouth-to-ear latency.
 */
export function burstWav(hz: number, burstMs: number, periodMs: number): string {
  const repeats = Math.floor((seconds * 1000) / periodMs) - 1;
  return sox(`burst-${hz}hz-${burstMs}of${periodMs}ms-${seconds}s.wav`, [
    'synth',
    String(burstMs / 1000),
    'sine',
    String(hz),
    'gain',
    '-6',
    'pad',
    '0',
    String((periodMs - burstMs) / 1000),
    'repeat',
    String(repeats),
  ]);
}
