import { describe, expect, it } from 'vitest';
import { PacketInbox } from './inbox';

const packet = (n: number) => Buffer.from([n]);

/** Busy the thread for `ms`, as forwarding a packet to a big room does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

describe('PacketInbox', () => {
  it('hands packets over in arrival order from the check phase, not from the callback', async () => {
    const handled: string[] = [];
    const inbox = new PacketInbox<string>((source, data) => handled.push(`${source}:${data[0]}`));
    inbox.push('a', packet(1));
    inbox.push('b', packet(2));
    inbox.push('a', packet(3));
    expect(handled).toEqual([]);
    expect(inbox.size).toBe(3);
    await new Promise((resolve) => setImmediate(resolve));
    expect(handled).toEqual(['a:1', 'b:2', 'a:3']);
    expect(inbox.size).toBe(0);
  });

  it('lets timers run while packets keep arriving as fast as they are handled', async () => {
    // Each packet takes 5 ms to handle, and another arrives meanwhile — the native queue's situation
    // in a big room on a busy machine. Handled inside the callback, this never yields to the timers.
    let remaining = 40;
    let handledBeforeTimer = -1;
    let handled = 0;
    const inbox: PacketInbox<string> = new PacketInbox<string>(() => {
      handled += 1;
      busy(5);
      if (remaining > 0) {
        remaining -= 1;
        inbox.push('speaker', packet(remaining));
      }
    });
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        handledBeforeTimer = handled;
        resolve();
      }, 0),
    );
    inbox.push('speaker', packet(99));
    await timer;
    await new Promise<void>((resolve) => {
      const wait = () => (inbox.size === 0 && remaining === 0 ? resolve() : setImmediate(wait));
      wait();
    });
    expect(handledBeforeTimer).toBeGreaterThanOrEqual(0);
    expect(handledBeforeTimer).toBeLessThanOrEqual(2);
    expect(handled).toBe(41);
  });

  it('drops the rest of a batch whose handler throws, and keeps working', async () => {
    const handled: number[] = [];
    const inbox = new PacketInbox<string>(
      (_source, data) => {
        if (data[0] === 2) throw new Error('boom');
        handled.push(data[0]!);
      },
      (drain) => queueMicrotask(() => {
        try {
          drain();
        } catch {
          // what an uncaught exception in setImmediate would be
        }
      }),
    );
    for (const n of [1, 2, 3]) inbox.push('a', packet(n));
    await Promise.resolve();
    await Promise.resolve();
    expect(handled).toEqual([1]);
    expect(inbox.size).toBe(0);
    inbox.push('a', packet(4));
    await Promise.resolve();
    await Promise.resolve();
    expect(handled).toEqual([1, 4]);
  });
});
