/**
 * Accounts in a real browser, on a server of its own (fresh data, so the first sign-up is the admin)
 * whose mail goes through SMTP to a sink in this process: the admin confirms their email and invites
 * someone by email, the invitation link arrives in the sink, the new person signs up through it,
 * their profile shows who invited them, they follow the admin and both see the counts change.
 * axe-core runs on every page opened.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fillSignUp, newAccount, type TestAccount } from './support/accounts';
import { launchChromium } from './support/browser';
import { linkIn, MailSink } from './support/mail-sink';
import { expectNoAxeViolations } from './support/parley-ui';
import { startServerProcess, type ServerProcess } from './support/server';

describe('accounts, invitations by email and follows', () => {
  let sink: MailSink;
  let server: ServerProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let adminPage: Page;
  let newcomerPage: Page;
  const admin: TestAccount = { ...newAccount('Ada'), displayName: 'Ada Admin' };
  const newcomer: TestAccount = { ...newAccount('Noor'), displayName: 'Noor New' };

  async function openPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 800, height: 900 } });
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    sink = await MailSink.start();
    [server, browser] = await Promise.all([startServerProcess({ SMTP_URL: sink.url, MAIL_FROM: 'Parley <parley@parley.test>' }), launchChromium({ kind: 'missing' })]);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
    await sink?.close();
  });

  test('the first person signs up without a code, becomes admin, and confirms their email from the mail', async () => {
    adminPage = await openPage();
    await adminPage.goto(server.url);
    await adminPage.getByRole('heading', { level: 1, name: 'Hallway' }).waitFor();
    await expectNoAxeViolations(adminPage, 'hallway of a fresh server');
    await adminPage.getByRole('link', { name: 'Sign up', exact: true }).first().click();
    await adminPage.getByRole('heading', { level: 1, name: 'Sign up' }).waitFor();
    await adminPage.getByText('You are the first person here').waitFor();
    expect(await adminPage.getByLabel('Invite code').count()).toBe(0);
    await expectNoAxeViolations(adminPage, 'sign-up page on a fresh server');

    // A mistake first: the field says what is wrong, and gets the focus.
    await adminPage.getByLabel('Email', { exact: true }).fill('not an email');
    await adminPage.getByRole('button', { name: 'Create account', exact: true }).click();
    await adminPage.getByRole('alert').filter({ hasText: 'enter an email address like name@example.org' }).waitFor();
    expect(await adminPage.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');
    await expectNoAxeViolations(adminPage, 'sign-up page with a field error');

    await fillSignUp(adminPage, admin);
    await adminPage.getByText(`@${admin.username}`).waitFor();
    await expectNoAxeViolations(adminPage, 'own profile after sign-up');

    const mail = await sink.waitForMailTo(admin.email, /Confirm your email address/);
    const link = linkIn(mail, '/verify-email');
    expect(link.origin).toBe(server.url);
    await adminPage.goto(link.toString());
    await adminPage.getByText('Your email address is confirmed.').waitFor();
    await expectNoAxeViolations(adminPage, 'email confirmed page');
  });

  test('the admin invites by email from the Invites page; the link arrives in the SMTP sink', async () => {
    await adminPage.getByRole('link', { name: 'Invites', exact: true }).click();
    await adminPage.getByRole('heading', { level: 1, name: 'Invites' }).waitFor();
    await adminPage.getByText('You can invite as many people as you like.').waitFor();
    await expectNoAxeViolations(adminPage, 'invites page');
    await adminPage.getByLabel('Their email (optional)').fill(newcomer.email);
    await adminPage.getByRole('button', { name: 'Create invite', exact: true }).click();
    await adminPage.locator('[aria-live="polite"]').getByText(`Invite sent to ${newcomer.email}.`).waitFor({ state: 'attached' });
    await adminPage.getByRole('region', { name: 'Your invites' }).getByText(`sent to ${newcomer.email}`).waitFor();
    await expectNoAxeViolations(adminPage, 'invites page with an invite');

    const mail = await sink.waitForMailTo(newcomer.email, /Ada Admin invited you to Parley/);
    const link = linkIn(mail, '/sign-up');
    expect(link.searchParams.get('invite')).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    newcomerPage = await openPage();
    await newcomerPage.goto(link.toString());
    await newcomerPage.getByRole('status').filter({ hasText: 'invited you' }).waitFor();
    expect(await newcomerPage.getByRole('status').filter({ hasText: 'invited you' }).textContent()).toContain('Ada Admin');
    expect(await newcomerPage.getByLabel('Invite code').inputValue()).toBe(link.searchParams.get('invite'));
    await expectNoAxeViolations(newcomerPage, 'sign-up page from an invitation link');
  });

  test('the new person signs up through the link; their profile shows "Invited by" the admin', async () => {
    await fillSignUp(newcomerPage, newcomer);
    const invitedBy = newcomerPage.getByText('Invited by');
    await invitedBy.waitFor();
    expect(await invitedBy.textContent()).toContain('Invited by Ada Admin');
    await expectNoAxeViolations(newcomerPage, 'new member’s profile');

    // The admin's invite list shows who joined through it.
    await adminPage.reload();
    await adminPage.getByRole('link', { name: newcomer.displayName, exact: true }).waitFor();
  });

  test('they follow the admin, and both profiles’ counts update', async () => {
    await newcomerPage.getByRole('link', { name: 'Ada Admin', exact: true }).click();
    await newcomerPage.getByRole('heading', { level: 1, name: 'Ada Admin' }).waitFor();
    await newcomerPage.getByText('0 followers').waitFor();
    await expectNoAxeViolations(newcomerPage, 'someone else’s profile');
    await newcomerPage.getByRole('button', { name: 'Follow', exact: true }).click();
    await newcomerPage.getByRole('button', { name: 'Unfollow', exact: true }).waitFor();
    await newcomerPage.getByText('1 follower', { exact: true }).waitFor();
    await newcomerPage.locator('[aria-live="polite"]').getByText('You follow Ada Admin.').waitFor({ state: 'attached' });

    await newcomerPage.goto(`${server.url}/people/${newcomer.username}`);
    await newcomerPage.getByText('1 following').waitFor();
    await expectNoAxeViolations(newcomerPage, 'own profile after following');

    await adminPage.goto(`${server.url}/people/${admin.username}`);
    await adminPage.getByText('1 follower', { exact: true }).waitFor();
    await expectNoAxeViolations(adminPage, 'admin’s profile with a follower');
    await adminPage.getByRole('link', { name: /1 follower/ }).click();
    await adminPage.getByRole('heading', { level: 1, name: `Followers of @${admin.username}` }).waitFor();
    const row = adminPage.getByRole('listitem').filter({ has: adminPage.getByRole('link', { name: newcomer.displayName }) });
    await row.getByText('Follows you').waitFor();
    await expectNoAxeViolations(adminPage, 'followers list');
  });

  test('sign-in by keyboard alone, with a wrong password announced first', async () => {
    await newcomerPage.getByRole('button', { name: 'Sign out', exact: true }).click();
    await newcomerPage.getByRole('link', { name: 'Sign in', exact: true }).waitFor();
    await newcomerPage.goto(`${server.url}/sign-in`);
    await newcomerPage.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await expectNoAxeViolations(newcomerPage, 'sign-in page');

    await newcomerPage.getByLabel('Email', { exact: true }).focus();
    await newcomerPage.keyboard.type(newcomer.email);
    await newcomerPage.keyboard.press('Tab');
    await newcomerPage.keyboard.type('not my password');
    await newcomerPage.keyboard.press('Enter');
    await newcomerPage.getByRole('alert').filter({ hasText: 'The email or password is not right.' }).waitFor();
    await expectNoAxeViolations(newcomerPage, 'sign-in page with an error');

    await newcomerPage.getByLabel('Password', { exact: true }).fill('');
    await newcomerPage.getByLabel('Password', { exact: true }).focus();
    await newcomerPage.keyboard.type(newcomer.password);
    await newcomerPage.keyboard.press('Enter');
    await newcomerPage.getByText(`Signed in as ${newcomer.displayName}`).waitFor();
  });

  test('settings: edit profile, create an API token; the reset page asks for an address', async () => {
    await newcomerPage.getByRole('link', { name: 'Settings', exact: true }).click();
    await newcomerPage.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await newcomerPage.getByLabel('Token name').fill('Tone bot');
    await newcomerPage.getByRole('button', { name: 'Create token', exact: true }).click();
    const secret = await newcomerPage.getByLabel(/New token “Tone bot”/).inputValue();
    expect(secret).toMatch(/^parley_/);
    const me = await fetch(`${server.url}/api/session`, { headers: { authorization: `Bearer ${secret}` } });
    expect(((await me.json()) as { user: { displayName: string } }).user.displayName).toBe(newcomer.displayName);
    await expectNoAxeViolations(newcomerPage, 'settings page with a new token');

    await newcomerPage.getByRole('link', { name: 'Edit profile', exact: true }).click();
    await newcomerPage.getByRole('heading', { level: 1, name: 'Edit profile' }).waitFor();
    await expectNoAxeViolations(newcomerPage, 'edit profile page');
    await newcomerPage.getByLabel('Bio').fill('Here for the late-night jazz rooms.');
    await newcomerPage.getByRole('button', { name: 'Save profile', exact: true }).click();
    await newcomerPage.getByText('Here for the late-night jazz rooms.').waitFor();

    const visitor = await openPage();
    await visitor.goto(`${server.url}/reset-password`);
    await visitor.getByLabel('Email', { exact: true }).fill(newcomer.email);
    await visitor.getByRole('button', { name: 'Send the link', exact: true }).click();
    await visitor.getByRole('status').filter({ hasText: 'If an account uses this address' }).waitFor();
    await expectNoAxeViolations(visitor, 'password reset page after a request');
    const mail = await sink.waitForMailTo(newcomer.email, /Reset your Parley password/);
    await visitor.goto(linkIn(mail, '/reset-password').toString());
    await visitor.getByLabel('New password', { exact: true }).fill('a new passphrase for noor');
    await visitor.getByRole('button', { name: 'Change password', exact: true }).click();
    await visitor.getByRole('status').filter({ hasText: 'Your password is changed' }).waitFor();
    await expectNoAxeViolations(visitor, 'password changed page');
  });
});
