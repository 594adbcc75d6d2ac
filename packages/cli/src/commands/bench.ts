import type { Io } from '../cli';

/**
 * `parley bench <scenario>`: the benchmark suite in bench/ (run from a checkout: it starts
 * `parley serve` and `parley bot swarm` processes and measures them). Loaded on demand so that
 * other commands never pay for it.
 */
export async function bench(args: string[], io: Io): Promise<number> {
  const { runBench } = await import('../../../../bench/run');
  return runBench(args, io);
}

/**
 * `parley bot swarm …`: many SDK bots in one process (listeners, speakers, signal-only clients,
 * churn), reporting JSON lines; the bench's load generator. Options: bench/bots/swarm.ts.
 */
export async function botSwarm(args: string[], io: Io): Promise<number> {
  const { swarm } = await import('../../../../bench/bots/swarm');
  return swarm(args, io);
}
