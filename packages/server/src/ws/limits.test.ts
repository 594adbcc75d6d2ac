import { describe, expect, it } from 'vitest';
import { actionLimits, WindowLimiter } from './limits';

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

describe('actionLimits', () => {
  it('limits pages of the audience per person: 30 a minute, scaled by the factor', () => {
    const limit = actionLimits()['room.audience']!;
    expect(limit.by).toBe('user');
    expect(Array.from({ length: 31 }, () => limit.limiter.hit('user:a')).filter(Boolean)).toHaveLength(30);
    const scaled = actionLimits(2)['room.audience']!;
    expect(Array.from({ length: 61 }, () => scaled.limiter.hit('user:a')).filter(Boolean)).toHaveLength(60);
  });
});
