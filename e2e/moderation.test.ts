/**
 * Moderation in real browsers: the host mutes a speaker (a listener stops hearing their tone, and
 * hears it again when they unmute), makes a listener a moderator (who then has the moderation tools),
 * and removes someone (who is told, and is refused when they open the link again); then a crowd of
 * guests (WebSocket clients, no audio) fills the audience beyond the page the server lists, and the
 * host browses the rest with "Show more". Three browsers:
 * A the host (440 Hz), B a speaker (1000 Hz), both signed in; C a guest listener with no microphone.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Page } from 'playwright-core';
import { ParleyClient, silentLogger, type MediaAdapter } from '@parley/client';
import { AUDIENCE_PAGE_SIZE } from '@parley/protocol';
import { boundFetch, boundWebSocketFactory } from '../bench/lib/net';
import { createAccount, signIn } from './support/accounts';
import { BrowserSet } from './support/browser-set';
import { reportFigure } from './support/figures';
import { actionsButton, moderate, openModerationMenu, waitForAnnouncement } from './support/moderation-ui';
import {
  clickListen,
  enableMusicMode,
  expectNoAxeViolations,
  participantRow,
  roomSection,
  startRoom,
} from './support/parley-ui';
import { heardTones, near, waitForTones } from './support/tone-checks';
import { toneWav } from './support/tones';

const baseUrl = inject('baseUrl');
const run = Math.random().toString(36).slice(2, 6);
const roomTitle = `Moderation check ${run}`;
const HOST_TONE = 440;
const SPEAKER_TONE = 1000;

describe('moderation in three browsers', () => {
  let browsers: BrowserSet | undefined;
  let host: Page;
  let speaker: Page;
  let listener: Page;
  let roomLink = '';
  const [A, B, C] = [0, 1, 2];
  const openPage = (index: number) => browsers!.openPage(index);

  beforeAll(async () => {
    browsers = await BrowserSet.launch([
      { kind: 'file', wav: toneWav(HOST_TONE) },
      { kind: 'file', wav: toneWav(SPEAKER_TONE) },
      { kind: 'missing' },
    ]);
  });

  afterAll(async () => {
    await browsers?.close();
  });

  test('raised hands line up in the host’s hand queue, oldest first; the host brings a speaker up', async () => {
    host = await openPage(A);
    // Hosting, asking to speak and moderating need an account: everyone here signs in.
    await signIn(host, baseUrl, await createAccount(baseUrl, 'Ada'));
    await host.goto(baseUrl);
    roomLink = await startRoom(host, roomTitle);
    await enableMusicMode(host);
    await clickListen(host);

    speaker = await openPage(B);
    await signIn(speaker, baseUrl, await createAccount(baseUrl, 'Ben'));
    await speaker.goto(roomLink);
    await enableMusicMode(speaker);
    await clickListen(speaker);
    await speaker.getByRole('button', { name: 'Raise hand', exact: true }).click();

    listener = await openPage(C);
    await signIn(listener, baseUrl, await createAccount(baseUrl, 'Cy'));
    await listener.goto(roomLink);
    await clickListen(listener);
    await participantRow(listener, 'Ben').getByText('Hand raised').waitFor();
    await listener.getByRole('button', { name: 'Raise hand', exact: true }).click();

    const queue = roomSection(host, 'Hand queue');
    const queued = queue.getByRole('listitem');
    await queued.nth(1).waitFor();
    await expect(queued.count()).resolves.toBe(2);
    await expect(queued.nth(0).getByText('Ben', { exact: true }).count()).resolves.toBe(1);
    await expect(queued.nth(1).getByText('Cy', { exact: true }).count()).resolves.toBe(1);
    await expectNoAxeViolations(host, 'room page as host with two raised hands in the queue');

    // A listener runs nothing: no queue of their own, no moderation tools.
    await expect(roomSection(listener, 'Hand queue').count()).resolves.toBe(0);
    await expect(listener.getByRole('button', { name: /^Actions for / }).count()).resolves.toBe(0);

    await queue.getByRole('button', { name: 'Invite Ben to speak', exact: true }).click();
    await speaker.getByRole('dialog', { name: 'You’re invited to speak' }).getByRole('button', { name: 'Accept', exact: true }).click();
    await speaker.getByRole('button', { name: 'Mute', exact: true }).waitFor();
    await waitForTones(listener, { present: [HOST_TONE, SPEAKER_TONE] }, 'the listener to hear the host and the speaker');
  });

  test('the host mutes the speaker: the listener stops hearing them, and hears them again when they unmute', async () => {
    // By keyboard: the menu opens on Enter with focus on its first item.
    await actionsButton(host, 'Ben').focus();
    await host.keyboard.press('Enter');
    const mute = host.getByRole('menuitem', { name: 'Mute Ben', exact: true });
    await expect.poll(() => mute.evaluate((el) => el === document.activeElement)).toBe(true);
    const mutedAt = Date.now();
    await host.keyboard.press('Enter');
    // The host is still heard: the listener's audio is alive, only the muted speaker is gone.
    await waitForTones(listener, { present: [HOST_TONE], absent: [SPEAKER_TONE], windowMs: 300 }, 'the speaker’s tone to stop');
    reportFigure('moderator mute (key press) → speaker’s tone gone at the listener (ms, upper bound: 300 ms windows)', Date.now() - mutedAt);
    // Still gone over a whole second: a short window could have caught a mere gap in the stream.
    const heard = await heardTones(listener);
    expect(heard.some((hz) => near(hz, SPEAKER_TONE)), `heard ${JSON.stringify(heard)} Hz`).toBe(false);

    const notice = speaker.getByRole('region', { name: 'Muted by a moderator' });
    await notice.waitFor();
    await waitForAnnouncement(speaker, 'A moderator muted you.');
    await participantRow(listener, 'Ben').getByText('Muted').waitFor();
    await expectNoAxeViolations(speaker, 'room page of a speaker muted by a moderator');

    await notice.getByRole('button', { name: 'Unmute', exact: true }).click();
    await notice.waitFor({ state: 'detached' });
    await waitForTones(listener, { present: [HOST_TONE, SPEAKER_TONE] }, 'the speaker’s tone to come back after unmuting');
  });

  test('the host makes the listener a moderator, who then has the moderation tools', async () => {
    expect(await openModerationMenu(host, 'Cy')).toEqual(['Make Cy a moderator', 'Remove Cy']);
    await host.getByRole('menuitem', { name: 'Make Cy a moderator', exact: true }).click();
    await waitForAnnouncement(host, 'Cy was made a moderator.');
    await waitForAnnouncement(listener, 'You are now a moderator. You can run the stage.');
    await participantRow(listener, 'Cy (you)').getByText('Moderator', { exact: true }).waitFor();

    // A moderator runs the stage: the hand queue and the tools the table gives a moderator, no more.
    await roomSection(listener, 'Hand queue').waitFor();
    await expect(actionsButton(listener, 'Ada').count()).resolves.toBe(0);
    expect(await openModerationMenu(listener, 'Ben')).toEqual(['Mute Ben', 'Move Ben to audience', 'Remove Ben']);
    await expectNoAxeViolations(listener, 'room page as a moderator with a moderation menu open');
    await listener.keyboard.press('Escape');
    await expect.poll(() => actionsButton(listener, 'Ben').evaluate((el) => el === document.activeElement)).toBe(true);
    await listener.getByRole('button', { name: 'End room', exact: true }).waitFor();
  });

  test('the host removes a listener: they are told, cannot rejoin, and the link refuses them', async () => {
    await moderate(host, 'Ben', 'Move Ben to audience');
    await speaker.getByRole('button', { name: 'Raise hand', exact: true }).waitFor();

    // Escape cancels, and focus goes back to Ben's menu button.
    await moderate(host, 'Ben', 'Remove Ben');
    const confirm = host.getByRole('dialog', { name: 'Remove Ben from the room?' });
    await confirm.waitFor();
    await host.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    await expect.poll(() => actionsButton(host, 'Ben').evaluate((el) => el === document.activeElement)).toBe(true);

    await moderate(host, 'Ben', 'Remove Ben');
    await confirm.waitFor();
    await expectNoAxeViolations(host, 'room page with the remove confirmation open');
    await confirm.getByRole('button', { name: 'Remove Ben', exact: true }).click();

    await speaker.getByRole('alert').getByText('You were removed from this room.', { exact: false }).waitFor();
    await expect(speaker.getByRole('button', { name: 'Rejoin' }).count()).resolves.toBe(0);
    await expectNoAxeViolations(speaker, 'room page after being removed');
    await waitForAnnouncement(host, 'Ben was removed.');
    await expect(participantRow(listener, 'Ben').count()).resolves.toBe(0);

    // Opening the link again: the lobby is there, but joining is refused and the page says so.
    await speaker.goto(roomLink);
    await speaker.getByRole('button', { name: 'Listen', exact: true }).click();
    const refusal = speaker.getByRole('alert');
    await refusal.getByText('You cannot join this room.').waitFor();
    expect(await refusal.textContent()).toContain('You were removed from this room.');
    await expect(speaker.getByRole('button', { name: 'Listen', exact: true }).count()).resolves.toBe(0);
    await expectNoAxeViolations(speaker, 'room page refusing a removed person');
  });
  test('a crowd beyond the audience page: the host sees how many more, and "Show more" lists them', async () => {
    const roomId = new URL(roomLink).pathname.split('/').pop()!;
    const audience = roomSection(host, 'Audience');
    const listedBefore = await audience.getByRole('listitem').count();
    // Guests with no audio, from several loopback addresses (per-address limits on sessions apply).
    const noMedia: MediaAdapter = {
      publish: () => Promise.reject(new Error('no audio')),
      subscribe: () => Promise.reject(new Error('no audio')),
      close: () => undefined,
    };
    const crowd = AUDIENCE_PAGE_SIZE + 5;
    const clients = Array.from({ length: crowd }, (_, i) => {
      const address = `127.0.9.${(i % 10) + 1}`;
      return new ParleyClient({ baseUrl, fetch: boundFetch(address), webSocketFactory: boundWebSocketFactory(address), logger: silentLogger });
    });
    try {
      for (let i = 0; i < crowd; i += 15) {
        await Promise.all(
          clients.slice(i, i + 15).map(async (client, k) => {
            await client.session.start(`Crowd ${i + k}`);
            await client.joinRoom(roomId, { media: noMedia });
          }),
        );
      }
      // The host's page lists a page of the audience and counts the rest.
      const unlisted = crowd + listedBefore - AUDIENCE_PAGE_SIZE;
      await audience.getByText(`and ${unlisted} more listeners`, { exact: false }).waitFor();
      expect(await audience.getByRole('listitem').count()).toBe(AUDIENCE_PAGE_SIZE);
      await expectNoAxeViolations(host, 'room page with more listeners than it lists');
      await audience.getByRole('button', { name: 'Show more', exact: true }).click();
      await waitForAnnouncement(host, `${unlisted} more listeners shown.`);
      await expect.poll(() => audience.getByRole('listitem').count()).toBe(crowd + listedBefore);
      await expect(audience.getByRole('button', { name: 'Show more', exact: true }).count()).resolves.toBe(0);
    } finally {
      for (const client of clients) client.close();
    }
    // They leave: the ones shown go from the list, and the count follows.
    await expect.poll(() => audience.getByRole('listitem').count(), { timeout: 15_000 }).toBe(listedBefore);
  });
});
