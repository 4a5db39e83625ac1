/** How many units a key may spend at once: one second's worth. */
const BURST_MS = 1000;
// Above this many keys, idle ones are forgotten, so that made-up keys cannot grow the map.
const SWEEP_AT = 10_000;

/**
 * A per-key limit of so many units a second (messages, or requests), with a burst of one
 * second's worth: the generic cell rate algorithm, which keeps one time per key. A call larger
 * than the burst still passes on an idle key, and holds the key back for as long as it is worth.
 */
export class EmulatorRateLimiter {
  /** When each key's spending so far is paid off, in epoch ms. */
  private readonly paidAt = new Map<string, number>();

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number,
  ) {}

  /** Spends `units` for `key`: 0 when allowed, else how long to wait, in ms. */
  take(key: string, units: number): number {
    const now = this.now();
    const backlog = Math.max((this.paidAt.get(key) ?? now) - now, 0);
    const cost = (units * 1000) / this.perSecond;
    // A thousandth of a millisecond of slack absorbs rounding: 3 a second makes 3 × 333.33 ms.
    const over = backlog + Math.min(cost, BURST_MS) - BURST_MS;
    if (backlog > 0 && over > 1e-3) return over;
    if (this.paidAt.size >= SWEEP_AT) this.sweep(now);
    this.paidAt.set(key, now + backlog + cost);
    return 0;
  }

  clear(): void {
    this.paidAt.clear();
  }

  private sweep(now: number): void {
    for (const [key, paidAt] of this.paidAt) if (paidAt <= now) this.paidAt.delete(key);
  }
}
