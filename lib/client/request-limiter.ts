import { Observable, type SchedulerLike, type Subscription, switchMap, timer } from 'rxjs';
import type { CascadeRateLimit } from '../types/options.types.js';

/**
 * Keeps one class of request (sends, or look-ups) within a rate limit shared by every call of a
 * module instance: a token bucket of `burst` requests that refills at `perSecond`, and at most
 * `concurrency` requests in flight. A request reserves its token when it may start, so the
 * waits are spread evenly; it runs on the retry policy's scheduler, so tests can use a virtual
 * clock.
 */
export class RequestLimiter {
  private tokens: number;
  private updated: number;
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    private readonly limit: CascadeRateLimit,
    private readonly scheduler: SchedulerLike,
  ) {
    this.tokens = limit.burst;
    this.updated = scheduler.now();
  }

  /** The request, started when the limit allows; unsubscribing gives its place up. */
  run<T>(request$: Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      let subscription: Subscription | undefined;
      let started = false;
      const start = () => {
        started = true;
        this.active++;
        const wait = this.reserve();
        const due$ =
          wait > 0 ? timer(wait, this.scheduler).pipe(switchMap(() => request$)) : request$;
        subscription = due$.subscribe(subscriber);
      };
      if (this.active < (this.limit.concurrency ?? Infinity)) start();
      else this.queue.push(start);
      return () => {
        subscription?.unsubscribe();
        if (!started) {
          this.queue.splice(this.queue.indexOf(start), 1);
          return;
        }
        this.active--;
        this.queue.shift()?.();
      };
    });
  }

  /** Takes a token, and says how long to wait for it, in ms. */
  private reserve(): number {
    const now = this.scheduler.now();
    const refill = ((now - this.updated) * this.limit.perSecond) / 1000;
    this.tokens = Math.min(this.limit.burst, this.tokens + refill) - 1;
    this.updated = now;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.limit.perSecond);
  }
}
