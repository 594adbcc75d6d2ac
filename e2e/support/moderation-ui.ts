/**
 * Moderation in Playwright steps, by role and accessible name only (as in parley-ui.ts): each
 * participant's "Actions for <name>" menu button, its menu items, and the page's live announcements.
 */
import type { Locator, Page } from 'playwright-core';
import { participantRow } from './parley-ui';

/** The "Actions for <name>" menu button on that person's row. */
export function actionsButton(page: Page, name: string): Locator {
  return participantRow(page, name).getByRole('button', { name: `Actions for ${name}`, exact: true });
}

/** Open the person's moderation menu and return the names of its items, in order. */
export async function openModerationMenu(page: Page, name: string): Promise<string[]> {
  await actionsButton(page, name).click();
  const menu = page.getByRole('menu', { name: `Actions for ${name}` });
  await menu.waitFor();
  return (await menu.getByRole('menuitem').allTextContents()).map((text) => text.trim());
}

/** Choose one item ("Mute Ben", "Make Ben a moderator", …) from the person's moderation menu. */
export async function moderate(page: Page, name: string, item: string): Promise<void> {
  await actionsButton(page, name).click();
  await page.getByRole('menuitem', { name: item, exact: true }).click();
}

/** Wait until the page's polite live region has said `text`. */
export async function waitForAnnouncement(page: Page, text: string): Promise<void> {
  await page.locator('[aria-live="polite"]').getByText(text, { exact: true }).first().waitFor({ state: 'attached' });
}
