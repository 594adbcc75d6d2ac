import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { repoRoot } from './paths';

const webDir = join(repoRoot, 'packages/web');
const builtIndex = join(webDir, 'dist/index.html');

/** Everything that ends up in the web bundle: a change here makes `dist` stale. */
const bundleSources = [
  join(webDir, 'src'),
  join(webDir, 'index.html'),
  join(webDir, 'vite.config.ts'),
  join(repoRoot, 'packages/client/src'),
  join(repoRoot, 'packages/protocol/src'),
];

function newestMtimeMs(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtimeMs(join(path, entry)));
  return newest;
}

/** Whether `packages/web/dist` is missing or older than any of its sources. */
export function webBuildIsStale(): boolean {
  if (!existsSync(builtIndex)) return true;
  const builtAt = statSync(builtIndex).mtimeMs;
  return bundleSources.some((source) => newestMtimeMs(source) > builtAt);
}

/** Run `vite build` for the web app when its output is missing or stale (a fresh clone has none). */
export async function ensureWebBuild(): Promise<void> {
  if (!webBuildIsStale()) return;
  const started = Date.now();
  // The web app's own vite.config.ts applies (root = packages/web), exactly as `npm run build` does.
  await build({ root: webDir, logLevel: 'warn' });
  console.log(`[e2e] built the web app in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
