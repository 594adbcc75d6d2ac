import type { ChildProcess } from 'node:child_process';

/**
 * Every process the bench started (server, bot swarms), so that an interrupted bench (Ctrl-C, a
 * timeout) stops them instead of leaving a server forwarding to nobody.
 */
const children = new Map<ChildProcess, NodeJS.Signals>();

/** Remember `child`; `signal` is how it is asked to stop (the server wants SIGINT, bots SIGTERM). */
export function track(child: ChildProcess, signal: NodeJS.Signals): void {
  children.set(child, signal);
  child.once('exit', () => children.delete(child));
}

/** Ask every child still running to stop, and SIGKILL what is left after `graceMs`. */
export async function stopAll(graceMs = 10_000): Promise<void> {
  const running = [...children.entries()].filter(([child]) => child.exitCode === null && child.signalCode === null);
  await Promise.all(
    running.map(
      ([child, signal]) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill(signal);
        }),
    ),
  );
}
