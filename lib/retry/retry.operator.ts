import {
  identity,
  type MonoTypeOperatorFunction,
  Observable,
  retry,
  throwError,
  timer,
} from 'rxjs';
import { CascadeAbortError, CascadeError } from '../errors/cascade.error.js';
import type { CascadeGiveUpReason, CascadeRetryOptions } from '../types/retry.types.js';
import { backoffDelay, isRetryable, markFinal, retryAfterMs } from './retry-policy.js';

/** What is known when a retry is decided, for logging. */
export interface CascadeRetryEvent {
  /** The retry about to be made: 1 for the first. */
  retry: number;
  maxRetries: number;
  /** How long it waits first, in ms. */
  delayMs: number;
  /** The failure of the attempt before it. */
  error: unknown;
}

export interface RetryWithPolicyOptions {
  policy: CascadeRetryOptions;
  /** When to stop trying, on the policy's scheduler clock (epoch ms); none when unset. */
  deadline?: number;
  /** Called before each retry's delay. */
  onRetry?: (event: CascadeRetryEvent) => void;
}

function giveUp(error: unknown, attempts: number, reason: CascadeGiveUpReason) {
  return throwError(() =>
    error instanceof CascadeError ? markFinal(error, attempts, reason) : error,
  );
}

/**
 * Resubscribes to the source after a retryable failure, with capped, jittered exponential
 * backoff, waiting at least as long as a `Retry-After` asks, and never past the deadline. The
 * error that ends it carries `attempts` and `giveUpReason`. The one retry policy of the module:
 * `CascadeService` and `CascadeRetryInterceptor` both run on it.
 */
export function retryWithPolicy<T>({
  policy,
  deadline = Infinity,
  onRetry,
}: RetryWithPolicyOptions): MonoTypeOperatorFunction<T> {
  return retry({
    delay: (error: unknown, retryCount: number) => {
      if (!isRetryable(error, policy)) return giveUp(error, retryCount, 'not-retryable');
      if (retryCount > policy.maxRetries) return giveUp(error, retryCount, 'retries-exhausted');
      const asked = retryAfterMs(error) ?? 0;
      const delayMs = Math.max(backoffDelay(retryCount, policy), asked);
      if (policy.scheduler.now() + delayMs >= deadline) {
        const pastDeadline = policy.scheduler.now() + asked >= deadline;
        return giveUp(error, retryCount, pastDeadline ? 'retry-after-past-deadline' : 'deadline');
      }
      onRetry?.({ retry: retryCount, maxRetries: policy.maxRetries, delayMs, error });
      return timer(delayMs, policy.scheduler);
    },
  });
}

/**
 * Fails with a `CascadeAbortError` when the signal aborts, cancelling whatever is in flight
 * (a request, or a backoff delay). `attempts` says how many requests had been made.
 */
export function abortOn<T>(
  signal: AbortSignal | undefined,
  attempts: () => number,
): MonoTypeOperatorFunction<T> {
  if (!signal) return identity;
  return (source) =>
    new Observable<T>((subscriber) => {
      const abort = () =>
        subscriber.error(markFinal(new CascadeAbortError(), attempts(), 'aborted'));
      if (signal.aborted) return abort();
      signal.addEventListener('abort', abort, { once: true });
      const subscription = source.subscribe(subscriber);
      return () => {
        signal.removeEventListener('abort', abort);
        subscription.unsubscribe();
      };
    });
}
