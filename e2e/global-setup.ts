import type { TestProject } from 'vitest/node';
import { ensureWebBuild } from './support/web-build';
import { startServerProcess } from './support/server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the Parley server under test, e.g. `http://127.0.0.1:41234`. */
    baseUrl: string;
  }
}

/**
 * Builds the web app when its sources are newer than `packages/web/dist`, then runs one Parley server
 * in its own process (`parley serve`) for every E2E file. A separate process keeps the SFU's event
 * loop free of anything the test process does. `E2E_BASE_URL` skips both and uses that server.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Point the suite at a server you already run (e.g. `vite preview` in front of a dev server).
  const external = process.env.E2E_BASE_URL;
  if (external) {
    project.provide('baseUrl', external.replace(/\/+$/, ''));
    return async () => {};
  }
  await ensureWebBuild();
  const server = await startServerProcess();
  project.provide('baseUrl', server.url);
  return () => server.stop();
}
