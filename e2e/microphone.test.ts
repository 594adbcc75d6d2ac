/**
 * Microphone failures a real person hits: permission denied, or no microphone at all. They get a
 * clear alert explaining how to fix it, and keep listening; an invited listener stays in the audience.
 */
import { afterEach, describe, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { createAccount, signIn } from './support/accounts';
import { launchChromium, newParleyContext } from './support/browser';
import {
  clickListen,
  expectNoAxeViolations,
  participantRow,
  roomSection,
  startRoom,
} from './support/parley-ui';

const baseUrl = inject('baseUrl');

describe('when the microphone cannot be used', () => {
  let browser: Browser | undefined;

  afterEach(async () => {
    await browser?.close();
    browser = undefined;
  });

  test('permission denied: the host is told how to allow it; an invited listener stays a listener', async () => {
    browser = await launchChromium({ kind: 'denied' });
    const host = await (await newParleyContext(browser)).newPage();
    // Hosting and speaking need accounts (guests only listen).
    await signIn(host, baseUrl, await createAccount(baseUrl, 'Hana'));
    await host.goto(baseUrl);
    const link = await startRoom(host, 'No mic allowed');
    await clickListen(host);

    const hostAlert = host.getByRole('alert').filter({ hasText: 'not allowed to use your microphone' });
    await hostAlert.waitFor();
    expect(await hostAlert.textContent()).toContain('set Microphone to Allow');
    await hostAlert.getByRole('button', { name: 'Try again' }).waitFor();
    await expectNoAxeViolations(host, 'room page with the microphone denied');

    const guest = await (await newParleyContext(browser)).newPage();
    await signIn(guest, baseUrl, await createAccount(baseUrl, 'Gil'));
    await guest.goto(link);
    await clickListen(guest);
    await guest.getByRole('button', { name: 'Raise hand', exact: true }).click();
    await participantRow(host, 'Gil').getByRole('button', { name: 'Invite Gil to speak', exact: true }).click();
    await guest.getByRole('dialog', { name: 'You’re invited to speak' }).getByRole('button', { name: 'Accept' }).click();

    const guestAlert = guest.getByRole('alert').filter({ hasText: 'not allowed to use your microphone' });
    await guestAlert.waitFor();
    expect(await guestAlert.textContent()).toContain('You are still a listener');
    // Back in the audience, with the listener's controls, as everyone else sees too.
    await guest.getByRole('button', { name: 'Raise hand', exact: true }).waitFor();
    await roomSection(guest, 'Audience').getByText('Gil (you)').waitFor();
    await roomSection(host, 'Audience').getByText('Gil', { exact: true }).waitFor();
    expect(await guest.getByRole('button', { name: 'Mute', exact: true }).count()).toBe(0);
  });

  test('no microphone: the host gets a clear message and can retry', async () => {
    browser = await launchChromium({ kind: 'missing' });
    const host = await (await newParleyContext(browser)).newPage();
    await signIn(host, baseUrl, await createAccount(baseUrl, 'Nomi'));
    await host.goto(baseUrl);
    await startRoom(host, 'No mic here');
    await clickListen(host);
    const alert = host.getByRole('alert').filter({ hasText: 'No microphone was found.' });
    await alert.waitFor();
    await alert.getByRole('button', { name: 'Try again' }).waitFor();
    await expectNoAxeViolations(host, 'room page with no microphone');
  });
});
