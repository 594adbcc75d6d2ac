/**
 * The story Parley was born from, in real browsers: a founder (A) schedules a talk and invites a head
 * of state (B), whose press office (C, B's delegate) asks what exactly is proposed, gets an answer,
 * and accepts for B. B is told. At the start A goes live; B joins on stage from the invitation and a
 * listener hears B's voice (a 660 Hz tone); a guest with no account joins on stage by a one-time link
 * and is heard too (880 Hz); the link does not open a second time. The mails go through SMTP to a sink.
 *
 * Browsers (one Chromium per fake microphone): A 440 Hz, B 660 Hz, the guest 880 Hz, and one without a
 * microphone for C, the listener and the second visit of the used link (separate contexts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { createAccount, signIn, type TestAccount } from './support/accounts';
import { BrowserSet } from './support/browser-set';
import { linkIn, MailSink } from './support/mail-sink';
import { clickListen, enableMusicMode, expectNoAxeViolations, waitFor } from './support/parley-ui';
import { startServerProcess, type ServerProcess } from './support/server';
import { waitForTones } from './support/tone-checks';
import { toneWav } from './support/tones';

const A_TONE = 440;
const B_TONE = 660;
const GUEST_TONE = 880;
const run = Math.random().toString(36).slice(2, 6);
const eventTitle = `A conversation with the President ${run}`;

/** `date` as a datetime-local value in this machine's time zone (the browsers run in the same one). */
function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

describe('the whole story: an invitation answered by a delegate, a scheduled talk held live, a guest by link', () => {
  let sink: MailSink;
  let server: ServerProcess;
  let browsers: BrowserSet | undefined;
  let baseUrl = '';
  let founder: TestAccount;
  let president: TestAccount;
  let pressOffice: TestAccount;
  let a: Page;
  let b: Page;
  let c: Page;
  let eventUrl = '';
  let invitationUrl = '';
  let roomUrl = '';
  let guestLink = '';
  let listener: Page;
  const [BROWSER_A, BROWSER_B, BROWSER_GUEST, NO_MIC] = [0, 1, 2, 3];

  beforeAll(async () => {
    sink = await MailSink.start();
    [server, browsers] = await Promise.all([
      startServerProcess({ SMTP_URL: sink.url, MAIL_FROM: 'Parley <parley@parley.test>' }),
      BrowserSet.launch([{ kind: 'file', wav: toneWav(A_TONE) }, { kind: 'file', wav: toneWav(B_TONE) }, { kind: 'file', wav: toneWav(GUEST_TONE) }, { kind: 'missing' }]),
    ]);
    baseUrl = server.url;
    founder = await createAccount(baseUrl, 'Elena Founder');
    president = await createAccount(baseUrl, 'President Marek');
    pressOffice = await createAccount(baseUrl, 'Press Office');
  });

  afterAll(async () => {
    await browsers?.close();
    await server?.stop();
    await sink?.close();
  });

  test('B confirms their email and makes C their delegate for invitations', async () => {
    b = await browsers!.openPage(BROWSER_B);
    await signIn(b, baseUrl, president);
    // Notification mail goes only to confirmed addresses: B confirms from the sign-up mail.
    const welcome = await sink.waitForMailTo(president.email, /confirm|verify/i);
    await b.goto(linkIn(welcome, '/verify-email').toString());
    await b.getByText('Your email address is confirmed.').waitFor();

    await b.goto(`${baseUrl}/settings/delegates`);
    await b.getByRole('heading', { level: 1, name: 'Delegates' }).waitFor();
    await b.getByRole('textbox', { name: 'Username' }).fill(pressOffice.username);
    for (const box of await b.getByRole('checkbox').all()) await box.check();
    await b.getByRole('button', { name: 'Add delegate' }).click();
    await b.getByRole('button', { name: `Revoke ${pressOffice.displayName}` }).waitFor();
    await expectNoAxeViolations(b, 'delegates settings');
  });

  test('A schedules the event and invites B to speak', async () => {
    a = await browsers!.openPage(BROWSER_A);
    await signIn(a, baseUrl, founder);
    await a.goto(baseUrl);
    await a.getByRole('link', { name: 'Schedule an event' }).click();
    await a.getByRole('heading', { level: 1, name: 'Schedule an event' }).waitFor();
    await a.getByRole('textbox', { name: 'Title' }).fill(eventTitle);
    await a.getByRole('textbox', { name: 'Description' }).fill('On governing in public, live and unedited.');
    // Five minutes from now: within the window in which hosts may go live.
    await a.getByLabel('Starts at').fill(localInputValue(new Date(Date.now() + 5 * 60_000)));
    await a.getByRole('button', { name: 'Schedule event' }).click();
    await a.waitForURL((url) => /^\/events\/[A-Za-z0-9_-]+$/.test(url.pathname) && url.pathname !== '/events/new');
    eventUrl = a.url();
    await a.getByRole('heading', { level: 1, name: eventTitle }).waitFor();

    const invite = a.getByRole('region', { name: 'Invite a speaker' });
    await invite.getByRole('textbox', { name: 'Username or email' }).fill(president.username);
    await invite.getByRole('textbox', { name: 'Topic' }).fill('Governing in public');
    await invite.getByRole('textbox', { name: 'Expected audience' }).fill('About 20,000 listeners');
    await invite.getByRole('checkbox', { name: 'Recorded' }).check();
    await invite.getByRole('textbox', { name: 'Message' }).fill('Would you join me for an hour?');
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await a.getByText(`Invitation sent to ${president.displayName}`).waitFor();
    await expectNoAxeViolations(a, 'event page as host');

    // B's confirmed address gets the invitation by mail.
    const mail = await sink.waitForMailTo(president.email, /invit/i);
    expect(mail.text).toContain('/invitations/');
    invitationUrl = linkIn(mail, '/invitations/').toString();
  });

  test('C, B’s delegate, sees the invitation for B and asks a question; A answers', async () => {
    c = await browsers!.openPage(NO_MIC);
    await signIn(c, baseUrl, pressOffice);
    await c.getByRole('link', { name: 'Invitations' }).click();
    await c.getByRole('heading', { level: 1, name: 'Invitations' }).waitFor();
    await c.getByRole('link', { name: new RegExp(`^${eventTitle}.*for ${president.displayName}`) }).click();
    await c.getByRole('heading', { level: 1, name: 'Invitation to speak' }).waitFor();
    await c.getByText('Status: pending').waitFor();
    await c.getByRole('textbox', { name: 'Your message' }).fill('Will questions be screened in advance?');
    await c.getByRole('button', { name: 'Send' }).click();
    const thread = c.getByRole('list', { name: 'Thread' });
    await thread.getByText(`${pressOffice.displayName} for ${president.displayName}`).waitFor();
    await expectNoAxeViolations(c, 'invitation page as a delegate');

    // A is told of the question (live badge), opens the invitation and answers.
    await a.getByRole('link', { name: /^Notifications \(\d+ unread\)$/ }).waitFor();
    await a.goto(invitationUrl);
    await a.getByRole('list', { name: 'Thread' }).getByText('Will questions be screened in advance?').waitFor();
    await a.getByRole('textbox', { name: 'Your message' }).fill('No screening: the audience asks live.');
    await a.getByRole('button', { name: 'Send' }).click();
    await thread.getByText('No screening: the audience asks live.').waitFor();
  });

  test('C accepts for B; B is notified live and by mail', async () => {
    const since = sink.received.length;
    await c.getByRole('button', { name: 'Accept' }).click();
    await c.getByText('Status: accepted').waitFor();
    await c.getByText(new RegExp(`Accepted by ${pressOffice.displayName} for ${president.displayName}`)).waitFor();

    await b.goto(baseUrl);
    await b.getByRole('link', { name: /^Notifications \(\d+ unread\)$/ }).click();
    await b.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    await b.getByText(/accepted/i).first().waitFor();
    await expectNoAxeViolations(b, 'notifications page');
    const mail = await sink.waitForMailTo(president.email, /accepted/i, since);
    expect(mail.text).toContain(pressOffice.displayName);
  });

  test('at the start A goes live; B joins on stage from the invitation and a listener hears B', async () => {
    // B has the accepted invitation open; "Join on stage" appears there as soon as A goes live.
    await b.goto(invitationUrl);
    await b.getByText('Status: accepted').waitFor();
    await a.goto(eventUrl);
    await a.getByRole('button', { name: 'Go live' }).click();
    await a.waitForURL(/\/rooms\/[A-Za-z0-9_-]+$/);
    roomUrl = a.url();
    await enableMusicMode(a);
    await clickListen(a);

    // Well before the page's 15 s refresh: the hallway hint over the WebSocket brought it.
    await b.getByRole('link', { name: 'Join on stage' }).waitFor({ timeout: 5_000 });
    await b.getByRole('link', { name: 'Join on stage' }).click();
    await b.waitForURL(roomUrl);
    await enableMusicMode(b);
    await clickListen(b);

    listener = await browsers!.openPage(NO_MIC);
    await listener.goto(roomUrl);
    await listener.getByLabel('Display name', { exact: true }).fill('Listener');
    await listener.getByRole('button', { name: 'Continue', exact: true }).click();
    await clickListen(listener);
    await waitForTones(listener, { present: [B_TONE] }, 'the President’s voice at the listener', 30_000);
  });

  test('A makes a one-time guest link; the guest joins on stage without an account and is heard', async () => {
    await a.goto(eventUrl);
    const links = a.getByRole('region', { name: 'Guest speaker links' });
    await links.getByRole('textbox', { name: 'Guest name' }).fill('Guest Gia');
    await links.getByRole('button', { name: 'Create link' }).click();
    const field = a.getByRole('textbox', { name: 'Guest link for Guest Gia' });
    guestLink = await waitFor(async () => (await field.inputValue().catch(() => '')) || null, 10_000, 'the guest link');
    expect(guestLink).toContain('/speak/');
    // A goes back to the room (the host stays in it as a listener too).
    await a.goto(roomUrl);

    const guest = await browsers!.openPage(BROWSER_GUEST);
    await guest.goto(guestLink);
    // Music mode (no voice filters, which cut a steady test tone), as the room's lobby switch would set it.
    await guest.evaluate(() => window.localStorage.setItem('parley.musicMode', 'on'));
    await guest.reload();
    await guest.getByRole('heading', { level: 1, name: "You're invited to speak" }).waitFor();
    await guest.getByRole('button', { name: 'Test microphone' }).click();
    await guest.getByText('Microphone works').waitFor();
    await expectNoAxeViolations(guest, 'guest speaker link page');
    await guest.getByRole('button', { name: 'Join on stage' }).click();
    // The guest lands in the room on stage and speaks without another click.
    await guest.waitForURL(roomUrl);
    await waitForTones(listener, { present: [B_TONE, GUEST_TONE] }, 'the President and the guest at the listener', 30_000);
  });

  test('the used link does not open again', async () => {
    const again = await browsers!.openPage(NO_MIC);
    await again.goto(guestLink);
    await again.getByRole('alert').filter({ hasText: /already been used/i }).waitFor();
    await expect(again.getByRole('button', { name: 'Join on stage' }).count()).resolves.toBe(0);
  });
});
