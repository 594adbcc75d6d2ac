import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';

const figuresFile = join(repoRoot, 'test-results/e2e-figures.json');

/**
 * Print a measured figure and keep it in test-results/e2e-figures.json (one key per figure, last run
 * wins), so the numbers from a run can be quoted without scraping the log.
 */
export function reportFigure(name: string, value: unknown): void {
  console.log(`[e2e figure] ${name}: ${JSON.stringify(value)}`);
  mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
  const all: Record<string, unknown> = existsSync(figuresFile) ? JSON.parse(readFileSync(figuresFile, 'utf8')) : {};
  all[name] = value;
  all.measuredAt = new Date().toISOString();
  writeFileSync(figuresFile, `${JSON.stringify(all, null, 2)}\n`);
}
