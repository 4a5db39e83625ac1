/**
 * Spaces batches so that messages go out at no more than `ratePerSecond` on average: each batch
 * books a slot as long as its size takes at that rate, and waits for the slot to start.
 */
export class RateLimiter {
  private nextSlot = 0;

  constructor(private readonly ratePerSecond: number | undefined) {}

  /** Resolves true when a batch of `size` may go, or false if the signal aborts first. */
  wait(size: number, signal?: AbortSignal): Promise<boolean> {
    if (this.ratePerSecond === undefined) return Promise.resolve(!signal?.aborted);
    const now = Date.now();
    const start = Math.max(now, this.nextSlot);
    this.nextSlot = start + (size / this.ratePerSecond) * 1000;
    if (start <= now) return Promise.resolve(!signal?.aborted);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', abort);
        resolve(true);
      }, start - now);
      const abort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      if (signal?.aborted) abort();
      else signal?.addEventListener('abort', abort, { once: true });
    });
  }
}
