/**
 * The walking skeleton in real browsers: a host's microphone is heard by a listener who opened the
 * room link, the listener is brought on stage and heard by a third browser, and the pages pass axe.
 * Each browser has its own fake microphone file (TESTING.md): A 440 Hz, B 1000 Hz, C 1 kHz bursts.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createAccount, fillSignIn, signIn, signUpWithInvite } from './support/accounts';
import { launchChromium, newParleyContext } from './support/browser';
import { reportFigure } from './support/figures';
import { moderate } from './support/moderation-ui';
import {
  analyseRemoteAudio,
  collectOnsets,
  firstRemoteAudioAt,
  inboundAudioStats,
  median,
  navigationStartedAt,
  pairOnsets,
  startOnsetDetector,
  type SlotSpectrum,
} from './support/page-media';
import {
  clickListen,
  enableMusicMode,
  expectNoAxeViolations,
  participantRow,
  pickDisplayName,
  roomSection,
  startRoom,
  waitFor,
} from './support/parley-ui';
import { burstWav, toneWav } from './support/tones';

const baseUrl = inject('baseUrl');
/** Unique per run, so a server that outlives a run (E2E_BASE_URL) never lists two rooms with one title. */
const run = Math.random().toString(36).slice(2, 6);
const roomTitle = `Tone check ${run}`;

/** The strongest peak of each slot that carries sound (slots without a speaker are silent). */
function dominantFrequencies(spectra: SlotSpectrum[]): number[] {
  return spectra.flatMap((s) => (s.peaks[0] && s.peaks[0].db > -80 ? [s.peaks[0].hz] : []));
}

function near(hz: number, target: number, tolerance = 5): boolean {
  return Math.abs(hz - target) <= tolerance;
}

/** Wait until the page has received audio packets and return its stats. */
async function waitForPackets(page: Page, minimum: number) {
  return waitFor(
    async () => {
      const stats = await inboundAudioStats(page);
      return stats.packetsReceived >= minimum ? stats : null;
    },
    15_000,
    `${minimum} inbound audio packets`,
  );
}

/** Analyse until a slot's dominant frequency is near `target` (the slot mapping may take a moment). */
async function waitForTone(page: Page, target: number, what: string): Promise<SlotSpectrum[]> {
  let last: SlotSpectrum[] = [];
  await waitFor(
    async () => {
      last = await analyseRemoteAudio(page, 1_500);
      return dominantFrequencies(last).some((hz) => near(hz, target));
    },
    20_000,
    `${what} to hear ${target} Hz (last spectra: ${JSON.stringify(last)})`,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}; last spectra ${JSON.stringify(last)}`);
  });
  return last;
}

describe('a live room in three browsers', () => {
  let browserA: Browser;
  let browserB: Browser;
  let browserC: Browser;
  const contexts: BrowserContext[] = [];
  let hostPage: Page;
  let listenerPage: Page;
  let thirdPage: Page;
  let roomLink = '';

  async function openPage(browser: Browser): Promise<Page> {
    const context = await newParleyContext(browser);
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    [browserA, browserB, browserC] = await Promise.all([
      launchChromium({ kind: 'file', wav: toneWav(440) }),
      launchChromium({ kind: 'file', wav: toneWav(1000) }),
      launchChromium({ kind: 'file', wav: burstWav(1000, 100, 1000) }),
    ]);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await Promise.all([browserA?.close(), browserB?.close(), browserC?.close()]);
  });

  test('the host starts a room from the hallway and goes live on "Listen"', async () => {
    hostPage = await openPage(browserA);
    await hostPage.goto(baseUrl);
    await hostPage.getByRole('heading', { level: 1, name: 'Hallway' }).waitFor();
    await expectNoAxeViolations(hostPage, 'hallway without a session');
    // Hosting needs an account: Ada signs up with an invite code from the server's admin.
    await signUpWithInvite(hostPage, baseUrl, 'Ada');
    await hostPage.goto(baseUrl);
    await hostPage.getByRole('button', { name: 'Start room', exact: true }).waitFor();
    await expectNoAxeViolations(hostPage, 'hallway with a session');

    roomLink = await startRoom(hostPage, roomTitle);
    await expectNoAxeViolations(hostPage, 'room page before joining');
    await enableMusicMode(hostPage);
    await clickListen(hostPage);

    const hostRow = participantRow(hostPage, 'Ada (you)');
    await roomSection(hostPage, 'Stage').getByText('Ada (you)').waitFor();
    expect(await hostRow.textContent()).toContain('Host');
    // On stage, the host has the mute toggle, unpressed.
    const mute = hostPage.getByRole('button', { name: 'Mute', exact: true });
    await mute.waitFor();
    expect(await mute.getAttribute('aria-pressed')).toBe('false');
    await expect(hostPage.getByRole('alert').count()).resolves.toBe(0);
  });

  test('a listener opens the link, signs in, clicks "Listen" and hears the host (440 Hz)', async () => {
    const ben = await createAccount(baseUrl, 'Ben');
    listenerPage = await openPage(browserB);
    await listenerPage.goto(roomLink);
    await listenerPage.getByRole('heading', { level: 1, name: 'Join a room' }).waitFor();
    await expectNoAxeViolations(listenerPage, 'room page asking for a display name');
    // Ben will speak, which needs an account: the room page's "sign in" link brings him back here.
    await listenerPage.getByRole('link', { name: 'sign in', exact: true }).click();
    await fillSignIn(listenerPage, ben);
    await listenerPage.waitForURL(roomLink);
    await enableMusicMode(listenerPage);

    const clickedAt = Date.now();
    await clickListen(listenerPage);
    const firstAudio = await waitFor(() => firstRemoteAudioAt(listenerPage), 15_000, 'the first remote audio packet');
    const openedAt = await navigationStartedAt(listenerPage);
    reportFigure('join: Listen clicked → first audio packet (ms)', Math.round(firstAudio - clickedAt));
    reportFigure('join: room link opened → first audio packet, incl. signing in (ms)', Math.round(firstAudio - openedAt));

    const spectra = await waitForTone(listenerPage, 440, 'the listener');
    expect(spectra.every((s) => s.playing), 'every <audio> element plays after the Listen click').toBe(true);
    const stats = await waitForPackets(listenerPage, 50);
    expect(stats.packetsReceived).toBeGreaterThan(0);
    reportFigure('listener B inbound audio', stats);
    // The host's audio is in a slot of its own; the strongest frequency there is the tone.
    expect(dominantFrequencies(spectra).some((hz) => near(hz, 440))).toBe(true);

    await roomSection(listenerPage, 'Audience').getByText('Ben (you)').waitFor();
    await expectNoAxeViolations(listenerPage, 'room page as a listener');
  });

  test('the listener raises a hand; the host sees it, is told, and invites them', async () => {
    await listenerPage.getByRole('button', { name: 'Raise hand', exact: true }).click();
    await listenerPage.getByRole('button', { name: 'Lower hand', exact: true }).waitFor();

    const benOnHostPage = participantRow(hostPage, 'Ben');
    await benOnHostPage.getByText('Hand raised').waitFor();
    await hostPage.locator('[aria-live="polite"]').getByText('Ben raised their hand.').waitFor({ state: 'attached' });
    await expectNoAxeViolations(hostPage, 'room page as host with a raised hand');

    await benOnHostPage.getByRole('button', { name: 'Invite Ben to speak', exact: true }).click();
    const invitation = listenerPage.getByRole('dialog', { name: 'You’re invited to speak' });
    await invitation.waitFor();
    await expectNoAxeViolations(listenerPage, 'room page with an invitation to speak');
    await invitation.getByRole('button', { name: 'Accept', exact: true }).click();

    await listenerPage.getByRole('button', { name: 'Mute', exact: true }).waitFor();
    await roomSection(hostPage, 'Stage').getByText('Ben', { exact: true }).waitFor();
    await expect(listenerPage.getByRole('alert').count()).resolves.toBe(0);
  });

  test('a third browser joins from the hallway and hears both speakers (1000 Hz and 440 Hz)', async () => {
    thirdPage = await openPage(browserC);
    await thirdPage.goto(baseUrl);
    await pickDisplayName(thirdPage, 'Cy');
    const listed = thirdPage.getByRole('link', { name: roomTitle, exact: true });
    await listed.waitFor({ timeout: 10_000 });
    await listed.click();
    await thirdPage.waitForURL(roomLink);
    const clickedAt = Date.now();
    await clickListen(thirdPage);
    const firstAudio = await waitFor(() => firstRemoteAudioAt(thirdPage), 15_000, 'the first remote audio packet');
    reportFigure('join (third browser, two speakers): Listen clicked → first audio packet (ms)', Math.round(firstAudio - clickedAt));

    const spectra = await waitForTone(thirdPage, 1000, 'the third browser');
    const heard = dominantFrequencies(spectra);
    reportFigure('third browser: dominant frequency per slot (Hz)', heard.map((hz) => Math.round(hz * 10) / 10));
    expect(heard.some((hz) => near(hz, 1000))).toBe(true);
    expect(heard.some((hz) => near(hz, 440))).toBe(true);

    const stats = await waitForPackets(thirdPage, 100);
    reportFigure('third browser C inbound audio', stats);
    expect(stats.packetsLost).toBeLessThanOrEqual(Math.max(5, stats.packetsReceived * 0.02));

    // Speaking indicators: the host saw Ben start; a late joiner must see both speakers as well.
    await participantRow(hostPage, 'Ben').getByText('Speaking').waitFor({ timeout: 10_000 });
    await participantRow(thirdPage, 'Ben').getByText('Speaking').waitFor({ timeout: 10_000 });
    await participantRow(thirdPage, 'Ada').getByText('Speaking').waitFor({ timeout: 10_000 });
    await expectNoAxeViolations(thirdPage, 'room page with two speakers on stage');
  });

  test('a speaker who mutes is no longer heard, and is heard again after unmuting', async () => {
    const mute = listenerPage.getByRole('button', { name: 'Mute', exact: true });
    await mute.click();
    await waitFor(async () => (await mute.getAttribute('aria-pressed')) === 'true', 5_000, 'aria-pressed=true');
    await participantRow(thirdPage, 'Ben').getByText('Muted').waitFor();
    await waitFor(
      async () => !dominantFrequencies(await analyseRemoteAudio(thirdPage, 1_000)).some((hz) => near(hz, 1000)),
      10_000,
      'the 1000 Hz tone to stop after muting',
    );
    await mute.click();
    await waitFor(async () => (await mute.getAttribute('aria-pressed')) === 'false', 5_000, 'aria-pressed=false');
    await waitForTone(thirdPage, 1000, 'the third browser after unmuting');
  });

  test('the host moves the speaker back to the audience, then ends the room for everyone', async () => {
    await moderate(hostPage, 'Ben', 'Move Ben to audience');
    await listenerPage.getByRole('button', { name: 'Raise hand', exact: true }).waitFor();
    await roomSection(thirdPage, 'Audience').getByText('Ben', { exact: true }).waitFor();

    await hostPage.getByRole('button', { name: 'End room', exact: true }).click();
    await hostPage.getByRole('button', { name: 'End room for everyone', exact: true }).click();
    for (const page of [hostPage, listenerPage, thirdPage]) {
      await page.getByText('This room has ended.').waitFor();
      await page.getByRole('link', { name: 'Back to the hallway' }).waitFor();
    }
    await expectNoAxeViolations(thirdPage, 'room page after the room ended');
  });

  test('mouth-to-ear latency: onsets of 1 kHz bursts on the sender’s track and at a listener', async () => {
    // C's fake microphone plays 100 ms bursts once a second: C hosts, A listens.
    const sender = await openPage(browserC);
    await sender.goto(baseUrl);
    await signIn(sender, baseUrl, await createAccount(baseUrl, 'Burst'));
    await sender.goto(baseUrl);
    await startRoom(sender, `Latency check ${run}`);
    const link = sender.url();
    await enableMusicMode(sender);
    await clickListen(sender);
    await sender.getByRole('button', { name: 'Mute', exact: true }).waitFor();

    // A returning visitor (session cookie already set) opens the link and clicks "Listen".
    const receiver = await openPage(browserA);
    await receiver.goto(baseUrl);
    await pickDisplayName(receiver, 'Ear');
    await receiver.goto(link);
    await clickListen(receiver);
    const firstAudio = await waitFor(() => firstRemoteAudioAt(receiver), 15_000, 'the first remote audio packet');
    reportFigure(
      'join: room link opened (with a session) → first audio packet (ms)',
      Math.round(firstAudio - (await navigationStartedAt(receiver))),
    );
    await waitForPackets(receiver, 50);
    // Let the jitter buffer settle before timing anything (TESTING.md).
    await new Promise((resolve) => setTimeout(resolve, 5_000));

    expect(await startOnsetDetector(sender, 'local')).toBeGreaterThan(0);
    expect(await startOnsetDetector(receiver, 'remote')).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    const delays = pairOnsets(await collectOnsets(sender), await collectOnsets(receiver));
    const stats = await inboundAudioStats(receiver);
    reportFigure('mouth-to-ear latency (ms, sender track → listener slot, devices excluded)', {
      median: Math.round(median(delays)),
      min: Math.round(Math.min(...delays)),
      max: Math.round(Math.max(...delays)),
      samples: delays.length,
      jitterBufferDelayMs: Math.round(stats.jitterBufferDelayMs),
    });
    expect(delays.length).toBeGreaterThanOrEqual(4);
  });
});
