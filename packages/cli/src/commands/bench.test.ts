import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bench } from './bench';

// A smoke run of the real benchmark: `parley bench fanout` with 3 listeners for 3 s against a real
// server process and real bot processes. Figures are not asserted (the machine is shared); the run
// must complete, forward audio to every listener, and write the documented JSON shape.
const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parley bench fanout (smoke)', () => {
  it('measures 1 speaker × 3 listeners and writes bench JSON with named figures', async () => {
    const out = join(dir, 'fanout.json');
    const lines: string[] = [];
    const io = { out: (line: string) => lines.push(line), err: () => undefined };
    const code = await bench(['fanout', '--listeners', '3', '--speakers', '1', '--seconds', '3', '--quick', '--out', out], io);
    const result = JSON.parse(readFileSync(out, 'utf8')) as {
      scenario: string;
      machine: { cpuCount: number; calibration: Record<string, number> };
      git: { commit: string | null };
      parameters: { listeners: number };
      runs: { label: string; valid: boolean; refusedReason: string | null; figures: Record<string, number | string | null> }[];
    };
    expect(result.scenario).toBe('fanout');
    expect(result.machine.cpuCount).toBeGreaterThan(0);
    // The machine's pace when the run started, for comparing runs across days.
    for (const name of ['sha256Of64KiBMicros', 'syscallMicros', 'jsonRoundTripMicros']) expect(result.machine.calibration[name]).toBeGreaterThan(0);
    expect(lines.join('\n')).toMatch(/machine pace at the start/);
    expect(result.git.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(result.parameters.listeners).toBe(3);
    expect(result.runs).toHaveLength(1);
    const [run] = result.runs;
    expect(run?.refusedReason).toBeNull();
    expect(run?.valid).toBe(true);
    expect(code).toBe(0);
    const figures = run!.figures;
    expect(figures.listenersConnected).toBe(3);
    // One speaker at 50 packets/s to 3 listeners: ~150 forwarded packets/s.
    expect(figures.forwardedPacketsPerSecond).toBeGreaterThan(100);
    expect(figures.serverCpuMicrosPerForwardedPacket).toBeGreaterThan(0);
    for (const name of ['listenerLossPercent', 'botLossPercent', 'serverRssPerListenerKB', 'eventLoopDelayP99Ms']) expect(typeof figures[name]).toBe('number');
    // The listener bots run niced by default (the server is what is measured).
    expect(figures.listenerBotNice).toBe(10);
    // The table went to stdout.
    expect(lines.join('\n')).toContain('serverCpuMicrosPerForwardedPacket');
  }, 60_000);
});

describe('parley bench churn (smoke)', () => {
  it('churns listeners through a room and reports drift and what is left after they all left', async () => {
    const out = join(dir, 'churn.json');
    const io = { out: () => undefined, err: () => undefined };
    // 2 joins/s, each staying 3 s, for 40 s: the steady state starts at 13 s, sampled every 5 s.
    const code = await bench(['churn', '--rate', '2', '--hold-seconds', '3', '--seconds', '40', '--out', out], io);
    const result = JSON.parse(readFileSync(out, 'utf8')) as {
      runs: { valid: boolean; refusedReason: string | null; figures: Record<string, number | null> }[];
    };
    const run = result.runs[0];
    expect(run?.refusedReason).toBeNull();
    expect(code).toBe(0);
    const figures = run!.figures;
    expect(figures.listenersJoined).toBeGreaterThan(40);
    expect(figures.joinFailures).toBe(0);
    expect(figures.packetsReceived).toBeGreaterThan(0);
    // Everyone left: no subscribe leg is left on the server.
    expect(figures.subscribeLegsAfterAllLeft).toBe(0);
    for (const name of ['rssDriftMBPerMinute', 'rssDriftLastHalfMBPerMinute', 'heapDriftLastHalfMBPerMinute', 'handlesDriftPerMinute']) {
      expect(typeof figures[name]).toBe('number');
    }
  }, 120_000);
});
