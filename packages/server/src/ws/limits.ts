import type { ClientMessageType } from '@parley/protocol';

/** A fixed-window counter per key: at most `max` hits per `windowMs`. Old windows are swept lazily. */
export class WindowLimiter {
  private readonly hits = new Map<string, { count: number; resetAt: number }>();
  private lastSweep = 0;

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Count one hit for `key`; false when the key is over its limit in this window. */
  hit(key: string): boolean {
    const t = this.now();
    if (t - this.lastSweep > this.windowMs) this.sweep(t);
    const entry = this.hits.get(key);
    if (!entry || entry.resetAt <= t) {
      this.hits.set(key, { count: 1, resetAt: t + this.windowMs });
      return true;
    }
    entry.count += 1;
    return entry.count <= this.max;
  }

  private sweep(t: number): void {
    this.lastSweep = t;
    for (const [key, entry] of this.hits) if (entry.resetAt <= t) this.hits.delete(key);
  }
}

/** Which messages are limited beyond the per-socket flood guard, and how: per user or per IP. */
export interface ActionLimit {
  by: 'user' | 'ip';
  limiter: WindowLimiter;
}

/**
 * Slow abuse down: hand raising and invitations are per person (a hand going up and down all day is
 * noise for moderators; a flood of invitations is harassment), joins per IP (room-hopping bots), pages
 * of the audience per person.
 * `factor` scales every limit (load tests drive many clients from one IP).
 */
export function actionLimits(factor = 1): Partial<Record<ClientMessageType, ActionLimit>> {
  return {
    'stage.raiseHand': { by: 'user', limiter: new WindowLimiter(10 * factor, 60_000) },
    'stage.invite': { by: 'user', limiter: new WindowLimiter(30 * factor, 60_000) },
    'room.join': { by: 'ip', limiter: new WindowLimiter(60 * factor, 60_000) },
    // A page is ~17 KB: 30 a minute is 3,000 listeners browsed, and no more serialising for a scraper.
    'room.audience': { by: 'user', limiter: new WindowLimiter(30 * factor, 60_000) },
  };
}
