/**
 * Accounts for the E2E suites. Hosting and speaking need an account, so the room tests sign their
 * hosts and speakers in. The shared server's first account (the admin, made here on first use, or
 * given by E2E_ADMIN_EMAIL / E2E_ADMIN_PASSWORD for a server you run) invites everyone else over
 * the HTTP API; people then sign in through the pages, by label, as a person would.
 */
import type { Page } from 'playwright-core';

/** Someone with an account on the server under test. */
export interface TestAccount {
  email: string;
  password: string;
  username: string;
  displayName: string;
}

const adminAccount: TestAccount = {
  email: process.env.E2E_ADMIN_EMAIL ?? 'e2e-admin@parley.test',
  password: process.env.E2E_ADMIN_PASSWORD ?? 'e2e admin passphrase',
  username: 'e2eadmin',
  displayName: 'E2E Admin',
};

async function post(baseUrl: string, path: string, body: unknown, cookie?: string): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
}

function cookieOf(response: Response): string {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('parley_session='));
  if (!cookie) throw new Error(`no session cookie (HTTP ${response.status})`);
  return cookie.split(';')[0]!;
}

/** The admin's session cookie: signs in, or on a fresh server signs up as its first account. */
async function adminCookie(baseUrl: string): Promise<string> {
  const signedIn = await post(baseUrl, '/api/sign-in', { email: adminAccount.email, password: adminAccount.password });
  if (signedIn.ok) return cookieOf(signedIn);
  const signedUp = await post(baseUrl, '/api/accounts', adminAccount);
  if (!signedUp.ok) {
    throw new Error(`cannot sign in as the E2E admin (${signedIn.status}) nor create it (${signedUp.status}): set E2E_ADMIN_EMAIL and E2E_ADMIN_PASSWORD`);
  }
  return cookieOf(signedUp);
}

/** A fresh invite code from the admin. */
export async function inviteCode(baseUrl: string): Promise<string> {
  const response = await post(baseUrl, '/api/invites', {}, await adminCookie(baseUrl));
  if (response.status !== 201) throw new Error(`creating an invite failed: HTTP ${response.status}`);
  return ((await response.json()) as { invite: { code: string } }).invite.code;
}

/** A unique account for `displayName` (the run's suffix keeps reruns against one server apart). */
export function newAccount(displayName: string): TestAccount {
  const suffix = Math.random().toString(36).slice(2, 8);
  const username = `${displayName.replace(/[^A-Za-z]/g, '')}_${suffix}`.slice(0, 24);
  return { email: `${username.toLowerCase()}@parley.test`, password: `passphrase of ${username}`, username, displayName };
}

/** Create the account over the API with an invite from the admin (for people whose sign-up is not the point). */
export async function createAccount(baseUrl: string, displayName: string): Promise<TestAccount> {
  const account = newAccount(displayName);
  const response = await post(baseUrl, '/api/accounts', { ...account, inviteCode: await inviteCode(baseUrl) });
  if (response.status !== 201) throw new Error(`sign-up of ${displayName} failed: HTTP ${response.status} ${await response.text()}`);
  return account;
}

/** Fill in the sign-up page (already open) and wait for the new profile. */
export async function fillSignUp(page: Page, account: TestAccount): Promise<void> {
  await page.getByLabel('Email', { exact: true }).fill(account.email);
  await page.getByLabel('Username', { exact: true }).fill(account.username);
  await page.getByLabel('Display name', { exact: true }).fill(account.displayName);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Create account', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: account.displayName }).waitFor();
}

/** Sign up through the page with an invite code from the admin; ends on the new profile page. */
export async function signUpWithInvite(page: Page, baseUrl: string, displayName: string): Promise<TestAccount> {
  const account = newAccount(displayName);
  await page.goto(`${baseUrl}/sign-up?invite=${encodeURIComponent(await inviteCode(baseUrl))}`);
  await fillSignUp(page, account);
  return account;
}

/** On the sign-in page (already open): email, password, "Sign in"; waits until the header says who. */
export async function fillSignIn(page: Page, account: TestAccount): Promise<void> {
  await page.getByLabel('Email', { exact: true }).fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByText(`Signed in as ${account.displayName}`).waitFor();
}

/** Open the sign-in page and sign in. */
export async function signIn(page: Page, baseUrl: string, account: TestAccount): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await fillSignIn(page, account);
}

/** The E2E admin, made if the server has none yet, to sign in through the pages (moderation desk). */
export async function adminAccountFor(baseUrl: string): Promise<TestAccount> {
  await adminCookie(baseUrl);
  return adminAccount;
}
