import type { SchedulerLike } from 'rxjs';

/** How failed requests are retried. */
export interface CascadeRetryOptions {
  /** Retries after the first attempt (3: four attempts at most). */
  maxRetries: number;
  /** The first retry's delay before jitter, in ms; each later one doubles it (1000). */
  baseDelayMs: number;
  /** The longest backoff delay, in ms; a longer `Retry-After` still wins (10 000). */
  maxDelayMs: number;
  /** How far each delay is spread at random, as a share of it: 0.2 is ±20 % (0.2). */
  jitter: number;
  /**
   * Whether to retry failures after which the API may have taken the messages (5xx, a reset
   * connection, a timeout): true follows the vendor's advice, false never risks a duplicate
   * (true).
   */
  retryUnknownOutcome: boolean;
  /** The randomness behind the jitter, a number in [0, 1) (`Math.random`). */
  random: () => number;
  /** The clock and timer that backoff delays and the deadline run on (RxJS `asyncScheduler`). */
  scheduler: SchedulerLike;
}

/** The retry policy as module or call options take it: any part of it, or `false` for none. */
export type CascadeRetrySetting = Partial<CascadeRetryOptions> | false;

/** Why retrying stopped, recorded on the error that ends a call. */
export type CascadeGiveUpReason =
  'not-retryable' | 'retries-exhausted' | 'deadline' | 'retry-after-past-deadline' | 'aborted';
