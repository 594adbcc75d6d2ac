import { describe, expect, it } from 'vitest';
import { LatenessFilter } from './lateness';

const FRAME = 960; // 20 ms at 48 kHz

/** Feed `count` frames, 20 ms apart in RTP time, arriving at `arrival(i)` ms; returns which were late. */
function feed(filter: LatenessFilter, start: number, count: number, arrival: (i: number) => number): boolean[] {
  const late: boolean[] = [];
  for (let i = 0; i < count; i += 1) late.push(filter.isLate((start + i * FRAME) >>> 0, arrival(i)));
  return late;
}

describe('LatenessFilter', () => {
  it('lets a steady stream with jitter through', () => {
    const filter = new LatenessFilter();
    const late = feed(filter, 1000, 500, (i) => 5000 + i * 20 + ((i * 37) % 40));
    expect(late.filter(Boolean)).toHaveLength(0);
  });

  it('drops a backlog that reaches the loop seconds late, then recovers', () => {
    const filter = new LatenessFilter();
    feed(filter, 0, 50, (i) => 1000 + i * 20); // on time
    // The loop stalls for 2 s: 100 frames arrive all at once when it wakes up.
    const backlog = feed(filter, 50 * FRAME, 100, () => 1000 + 50 * 20 + 2000);
    // Frames less than 300 ms behind still go out; the older ones are shed.
    expect(backlog.filter(Boolean).length).toBeGreaterThan(80);
    expect(backlog.slice(-10).every((late) => !late)).toBe(true);
    const after = feed(filter, 150 * FRAME, 50, (i) => 1000 + 150 * 20 + i * 20 + 5);
    expect(after.filter(Boolean)).toHaveLength(0);
  });

  it('survives the RTP timestamp wrapping around 2^32', () => {
    const filter = new LatenessFilter();
    const late = feed(filter, 0xffffffff - 10 * FRAME, 40, (i) => 100 + i * 20);
    expect(late.filter(Boolean)).toHaveLength(0);
  });

  it('takes a sender timestamp jump backwards as a new anchor after a second, not as lateness forever', () => {
    const filter = new LatenessFilter();
    feed(filter, 10_000_000, 50, (i) => 1000 + i * 20);
    // The sender's clock jumps back by 5 s (every packet now looks 5 s late).
    const late = feed(filter, 10_000_000 - 5000 * 48, 150, (i) => 2000 + i * 20);
    expect(late.slice(0, 40).every(Boolean)).toBe(true);
    expect(late.slice(60).some(Boolean)).toBe(false);
  });

  it('tolerates a sender clock drifting 100 ppm for an hour', () => {
    const filter = new LatenessFilter();
    // RTP runs 0.01 % slow: after an hour, arrival − RTP time has grown by 360 ms.
    let lateCount = 0;
    for (let i = 0; i < 180_000; i += 1) if (filter.isLate((i * FRAME) >>> 0, i * 20 * 1.0001)) lateCount += 1;
    expect(lateCount).toBe(0);
  });
});
