/**
 * Hearing checks on a listener's page: which tones its audio slots carry, waiting for one to appear or
 * to stop. Built on {@link analyseRemoteAudio} (AnalyserNode, fftSize 8192) inside the page.
 */
import type { Page } from 'playwright-core';
import { analyseRemoteAudio, type SlotSpectrum } from './page-media';
import { waitFor } from './parley-ui';

/** A slot's strongest peak counts as heard above this level (silent slots sit near −100 dB and below). */
const audibleDb = -80;

/** The strongest peak of each slot that carries sound (slots without a speaker are silent). */
export function dominantFrequencies(spectra: SlotSpectrum[]): number[] {
  return spectra.flatMap((s) => (s.peaks[0] && s.peaks[0].db > audibleDb ? [s.peaks[0].hz] : []));
}

/** Whether `hz` is within `tolerance` of `target`. */
export function near(hz: number, target: number, tolerance = 5): boolean {
  return Math.abs(hz - target) <= tolerance;
}

/** What the page hears now: the dominant frequency of every audible slot, over `windowMs`. */
export async function heardTones(page: Page, windowMs = 1_000): Promise<number[]> {
  return dominantFrequencies(await analyseRemoteAudio(page, windowMs));
}

/**
 * Wait until every tone of `present` is heard and none of `absent` is (each within 5 Hz), analysing
 * windows of `windowMs` (shorter windows react faster; 1 s is the robust default). Returns the last
 * frequencies heard; the error says what was heard instead.
 */
export async function waitForTones(
  page: Page,
  { present = [], absent = [], windowMs = 1_000 }: { present?: number[]; absent?: number[]; windowMs?: number },
  what: string,
  timeoutMs = 15_000,
): Promise<number[]> {
  let last: number[] = [];
  return waitFor(
    async () => {
      last = await heardTones(page, windowMs);
      const ok = present.every((t) => last.some((hz) => near(hz, t))) && !absent.some((t) => last.some((hz) => near(hz, t)));
      return ok ? last : null;
    },
    timeoutMs,
    what,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}; last heard ${JSON.stringify(last.map((hz) => Math.round(hz)))} Hz`);
  });
}
