/**
 * Safety in real browsers: a closed room refuses a member who has its link (and says why), until the
 * host lets them in from the room's "Who can join" list; taking them off the list sends them out. A
 * listener reports someone from the room; the admin suspends that person from the moderation queue,
 * and the suspended person's open room page is cut off at once. Two browsers: A the host (440 Hz), B
 * without a microphone for the outsider and the admin (separate contexts, separate sessions).
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Page } from 'playwright-core';
import { adminAccountFor, createAccount, signIn, type TestAccount } from './support/accounts';
import { BrowserSet } from './support/browser-set';
import { waitForAnnouncement } from './support/moderation-ui';
import { clickListen, expectNoAxeViolations, participantRow } from './support/parley-ui';
import { toneWav } from './support/tones';

const baseUrl = inject('baseUrl');
const run = Math.random().toString(36).slice(2, 6);
const roomTitle = `Closed circle ${run}`;

describe('closed rooms, reports and suspension in two browsers', () => {
  let browsers: BrowserSet | undefined;
  let host: Page;
  let outsider: Page;
  let outsiderAccount: TestAccount;
  let roomLink = '';
  const [A, B] = [0, 1];

  beforeAll(async () => {
    browsers = await BrowserSet.launch([{ kind: 'file', wav: toneWav(440) }, { kind: 'missing' }]);
  });

  afterAll(async () => {
    await browsers?.close();
  });

  test('a closed room refuses a member who has the link, with a clear message, until the host lets them in', async () => {
    host = await browsers!.openPage(A);
    await signIn(host, baseUrl, await createAccount(baseUrl, `Hana ${run}`));
    await host.goto(baseUrl);
    await host.getByLabel('Room title', { exact: true }).fill(roomTitle);
    const closed = host.getByRole('radiogroup', { name: 'Who can join' }).getByRole('radio', { name: 'Closed', exact: true });
    await closed.check();
    await expectNoAxeViolations(host, 'hallway with the room type picker');
    await host.getByRole('button', { name: 'Start room', exact: true }).click();
    await host.waitForURL(/\/rooms\/[A-Za-z0-9_-]+$/);
    roomLink = host.url();
    await clickListen(host);
    const access = host.getByRole('region', { name: 'Who can join' });
    await access.getByText('Nobody yet.').waitFor();

    // The closed room is in nobody's hallway, the host's included.
    await host.goto(baseUrl);
    await host.getByRole('heading', { level: 1 }).first().waitFor();
    await expect(host.getByRole('link', { name: roomTitle, exact: true }).count()).resolves.toBe(0);
    await host.goto(roomLink);
    await clickListen(host);

    outsiderAccount = await createAccount(baseUrl, `Otto ${run}`);
    outsider = await browsers!.openPage(B);
    await signIn(outsider, baseUrl, outsiderAccount);
    await outsider.goto(roomLink);
    const refusal = outsider.getByRole('alert');
    await refusal.getByText('You cannot join this room.').waitFor();
    expect(await refusal.textContent()).toContain('This room is closed: only people the host invited can join.');
    // Nothing to click that would get them in, and nothing of the room is shown.
    await expect(outsider.getByRole('button', { name: 'Listen', exact: true }).count()).resolves.toBe(0);
    await expect(outsider.getByText(roomTitle).count()).resolves.toBe(0);
    await expectNoAxeViolations(outsider, 'a closed room refusing a member who has the link');

    await access.getByLabel('Username', { exact: true }).fill(outsiderAccount.username);
    await access.getByRole('button', { name: 'Let in', exact: true }).click();
    await waitForAnnouncement(host, `${outsiderAccount.displayName} can now join this room.`);
    await access.getByRole('button', { name: `Remove ${outsiderAccount.displayName} from the list`, exact: true }).waitFor();
    await expectNoAxeViolations(host, 'closed room with its access list');

    await outsider.reload();
    await clickListen(outsider);
    await participantRow(host, outsiderAccount.displayName).waitFor();

    // Taken off the list: out at once, and told why.
    await access.getByRole('button', { name: `Remove ${outsiderAccount.displayName} from the list`, exact: true }).click();
    await outsider.getByRole('alert').getByText('You no longer have access to this room', { exact: false }).waitFor();
    await expect(outsider.getByRole('button', { name: 'Rejoin' }).count()).resolves.toBe(0);
    await expectNoAxeViolations(outsider, 'room page after access was revoked');
  });

  test('the host reports a listener; the admin suspends them from the queue; their open room page is cut off', async () => {
    const access = host.getByRole('region', { name: 'Who can join' });
    await access.getByLabel('Username', { exact: true }).fill(outsiderAccount.username);
    await access.getByRole('button', { name: 'Let in', exact: true }).click();
    await outsider.goto(roomLink);
    await clickListen(outsider);
    const name = outsiderAccount.displayName;

    // From the person's row: "Report or block <name>" → "Report <name>".
    await participantRow(host, name).getByRole('button', { name: `Report or block ${name}`, exact: true }).click();
    await host.getByRole('menuitem', { name: `Report ${name}`, exact: true }).click();
    const dialog = host.getByRole('dialog', { name: `Report ${name}` });
    await dialog.waitFor();
    await dialog.getByRole('radio', { name: 'Harassment or bullying', exact: true }).check();
    await dialog.getByLabel('What happened? (optional)').fill('Kept interrupting and insulting the speakers.');
    await expectNoAxeViolations(host, 'the report dialog');
    await dialog.getByRole('button', { name: 'Send report', exact: true }).click();
    await dialog.getByRole('status').getByText('The admins of this server will review your report.', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    const admin = await browsers!.openPage(B);
    await signIn(admin, baseUrl, await adminAccountFor(baseUrl));
    await admin.getByRole('link', { name: 'Moderation', exact: true }).click();
    const reports = admin.getByRole('region', { name: /^Reports/ });
    const suspend = reports.getByRole('button', { name: `Suspend ${name}`, exact: true });
    await suspend.waitFor();
    await expect(reports.getByText('Kept interrupting and insulting the speakers.').count()).resolves.toBe(1);
    await expectNoAxeViolations(admin, 'the moderation queue with an open report');
    await suspend.click();

    // The suspended person's room page is cut off at once.
    const cutOff = outsider.getByRole('alert');
    await cutOff.getByText('Your account has been suspended', { exact: false }).waitFor({ timeout: 10_000 });
    await expect(outsider.getByRole('heading', { level: 2, name: 'Stage' }).count()).resolves.toBe(0);
    await expectNoAxeViolations(outsider, 'room page of a suspended account');
    await expect(participantRow(host, name).count()).resolves.toBe(0);

    const suspended = admin.getByRole('region', { name: 'Suspended accounts' });
    await suspended.getByRole('button', { name: `Unsuspend ${name}`, exact: true }).waitFor();
    await admin.getByRole('region', { name: 'Audit log' }).getByText(`suspended ${name}`, { exact: false }).first().waitFor();
    await expectNoAxeViolations(admin, 'the moderation desk after a suspension');

    // Signing in again is refused with the reason.
    const again = await browsers!.openPage(B);
    await again.goto(`${baseUrl}/sign-in`);
    await again.getByLabel('Email', { exact: true }).fill(outsiderAccount.email);
    await again.getByLabel('Password', { exact: true }).fill(outsiderAccount.password);
    await again.getByRole('button', { name: 'Sign in', exact: true }).click();
    await again.getByRole('alert').getByText('suspended', { exact: false }).waitFor();
  });
});
