import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineInfo } from './proc';
import { gitCommit, repoRoot } from './server';

/** A figure: numbers (units in the name) or short strings. */
export type Figures = Record<string, number | string | boolean | null>;

/** The JSON written to bench/results/<scenario>.json. */
export interface BenchResult {
  scenario: string;
  /** ISO time the run started. */
  startedAt: string;
  /** The command-line parameters (listeners, speakers, seconds, …). */
  parameters: Record<string, unknown>;
  machine: Record<string, unknown>;
  git: { commit: string | null; dirty: boolean | null };
  /** One entry per configuration measured (e.g. 1 and 3 speakers). */
  runs: BenchRun[];
  /** Time series behind the figures, where a scenario keeps them (churn: server gauges every 5 s). */
  series?: Record<string, unknown[]>;
}

/** One measured configuration. */
export interface BenchRun {
  /** What was measured, e.g. "1 speaker × 50 listeners". */
  label: string;
  /** False when the run is not trustworthy (bots were the bottleneck, joins failed, …). */
  valid: boolean;
  /** Why the run is not valid; null when it is. */
  refusedReason: string | null;
  figures: Figures;
}

/** Start a result document for `scenario`. */
export function newResult(scenario: string, parameters: Record<string, unknown>): BenchResult {
  return { scenario, startedAt: new Date().toISOString(), parameters, machine: machineInfo(), git: gitCommit(), runs: [] };
}

/** Write `bench/results/<scenario>.json` (or `file`), returns the path. */
export function writeResult(result: BenchResult, file?: string): string {
  const path = file ?? join(repoRoot, 'bench', 'results', `${result.scenario}.json`);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}

/** The runs as a text table: one row per figure, one column per run. */
export function formatTable(result: BenchResult): string {
  const names = [...new Set(result.runs.flatMap((run) => Object.keys(run.figures)))];
  const header = ['figure', ...result.runs.map((run) => run.label)];
  const rows = names.map((name) => [name, ...result.runs.map((run) => formatValue(run.figures[name]))]);
  rows.push(['valid', ...result.runs.map((run) => (run.valid ? 'yes' : `NO: ${run.refusedReason ?? ''}`))]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function formatValue(value: number | string | boolean | null | undefined): string {
  if (value === undefined || value === null) return '-';
  if (typeof value !== 'number') return String(value);
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** The p-th percentile (0..100) of `values`, nearest rank; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** Round to `digits` decimals (JSON stays readable). */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Resolve after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
