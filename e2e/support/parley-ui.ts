/**
 * How a person uses Parley, in Playwright steps: by role and accessible name only, the way a screen
 * reader finds things. If one of these stops working, the page stopped being usable that way.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

/** Fill in the display-name form ("Display name", "Continue") and wait for the session. */
export async function pickDisplayName(page: Page, name: string): Promise<void> {
  await page.getByLabel('Display name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.getByText(`Signed in as ${name}`).waitFor();
}

/** From the hallway: start a room and wait for its page. Returns the room link. */
export async function startRoom(page: Page, title: string): Promise<string> {
  await page.getByLabel('Room title', { exact: true }).fill(title);
  await page.getByRole('button', { name: 'Start room', exact: true }).click();
  await page.waitForURL(/\/rooms\/[A-Za-z0-9_-]+$/);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  return page.url();
}

/**
 * Turn on music mode (no echo cancellation, noise suppression or auto gain): those filters cut a steady
 * test tone by ~19 dB. It is the same switch a musician would use.
 */
export async function enableMusicMode(page: Page): Promise<void> {
  await page.getByRole('checkbox', { name: 'Music mode' }).check();
}

/** Click the big "Listen" button and wait until the room (stage and audience) is shown. */
export async function clickListen(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Listen', exact: true }).click();
  await page.getByRole('heading', { level: 2, name: 'Stage' }).waitFor();
}

/** The row of a participant in the stage or audience list, found by their name. */
export function participantRow(page: Page, name: string): Locator {
  return page.getByRole('listitem').filter({ has: page.getByText(name, { exact: true }) });
}

/** The section (stage, the hand queue hosts and moderators see, or audience) with the given heading. */
export function roomSection(page: Page, heading: 'Stage' | 'Hand queue' | 'Audience'): Locator {
  return page.getByRole('region', { name: new RegExp(`^${heading}`) });
}

/** Run axe-core on the page as it is now and fail with a readable list if anything is violated. */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const violations = results.violations.map(
    (v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`,
  );
  expect(violations, `axe violations on ${label}`).toEqual([]);
}

/** Wait until `check` returns a value that is not null/undefined/false, polling every 200 ms. */
export async function waitFor<T>(check: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
