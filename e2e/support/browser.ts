import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { installMediaProbe } from './page-media';

/** Debian's Chromium (browser downloads do not work on these machines). */
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags from TESTING.md's recipe, minus the microphone ones (they depend on the case). */
const baseArgs = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--allow-loopback-in-peer-connection',
  // Tests run as root in containers, where Chromium's sandbox cannot start.
  '--no-sandbox',
];

/** What the browser's microphone does. */
export type Microphone =
  /** A fake microphone playing this WAV file; permission prompts are accepted. */
  | { kind: 'file'; wav: string }
  /** A fake microphone exists but every permission prompt is denied (a person clicking "Block"). */
  | { kind: 'denied' }
  /** No microphone at all (prompts are accepted, but there is nothing to capture). */
  | { kind: 'missing' };

function microphoneArgs(microphone: Microphone): string[] {
  switch (microphone.kind) {
    case 'file':
      return [
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-audio-capture=${microphone.wav}`,
      ];
    case 'denied':
      return ['--use-fake-device-for-media-stream', '--deny-permission-prompts'];
    case 'missing':
      return ['--use-fake-ui-for-media-stream'];
  }
}

/**
 * Launch one headless Chromium. One process per fake WAV: the capture file is a process-wide flag.
 * No `--autoplay-policy` override: the room's audio must start from the person's "Listen" click, the
 * way it does for real users.
 */
export async function launchChromium(microphone: Microphone): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [...baseArgs, ...microphoneArgs(microphone)],
  });
}

/** A fresh profile (own cookies, so its own Parley session) with the media probe installed. */
export async function newParleyContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 400, height: 800 } });
  await installMediaProbe(context);
  return context;
}
