import { asapScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';

/**
 * An RxJS scheduler whose clock jumps ahead by each delay it is asked for and runs the work at
 * once: backoff and `Retry-After` waits cost no real time, and `delays` records each one.
 */
export class FastForwardScheduler implements SchedulerLike {
  readonly delays: number[] = [];
  private offset = 0;

  now(): number {
    return Date.now() + this.offset;
  }

  /** Moves the clock on, as if `ms` had passed. */
  advance(ms: number): void {
    this.offset += ms;
  }

  schedule<T>(
    work: (this: SchedulerAction<T>, state?: T) => void,
    delay = 0,
    state?: T,
  ): Subscription {
    this.delays.push(delay);
    this.offset += delay;
    return asapScheduler.schedule(work, 0, state);
  }
}
