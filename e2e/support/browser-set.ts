import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, newParleyContext, type Microphone } from './browser';

/**
 * The browsers of one test file, launched together (one process per fake microphone) and closed
 * together with every context opened in them. Each page gets a fresh context: its own cookies, so its
 * own Parley session.
 */
export class BrowserSet {
  private readonly contexts: BrowserContext[] = [];

  private constructor(private readonly browsers: readonly Browser[]) {}

  /** Launch one Chromium per microphone, in parallel. */
  static async launch(microphones: readonly Microphone[]): Promise<BrowserSet> {
    return new BrowserSet(await Promise.all(microphones.map((microphone) => launchChromium(microphone))));
  }

  /** A new page in a fresh context of the `index`-th browser. */
  async openPage(index: number): Promise<Page> {
    const browser = this.browsers[index];
    if (!browser) throw new Error(`no browser #${index} in this set`);
    const context = await newParleyContext(browser);
    this.contexts.push(context);
    return context.newPage();
  }

  /** Close every context, then every browser; never throws (teardown must finish). */
  async close(): Promise<void> {
    for (const context of this.contexts) await context.close().catch(() => undefined);
    await Promise.all(this.browsers.map((browser) => browser.close().catch(() => undefined)));
  }
}
