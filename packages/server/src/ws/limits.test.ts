import { describe, expect, it } from 'vitest';
import { WindowLimiter } from './limits';

describe('WindowLimiter', () => {
  it('hit() allows max hits per window per key, then refuses until the window passes', () => {
    let now = 0;
    const limiter = new WindowLimiter(3, 1000, () => now);
    expect([1, 2, 3, 4].map(() => limiter.hit('a'))).toEqual([true, true, true, false]);
    expect(limiter.hit('b')).toBe(true);
    now = 1000;
    expect(limiter.hit('a')).toBe(true);
  });
});
