import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Marks code run under `CascadeRetryInterceptor`. There the interceptor owns the retries, and
 * `CascadeService` makes one attempt per run of the handler, so the two never multiply
 * (3 retries around 3 retries would be 16 sends).
 */
const outerRetry = new AsyncLocalStorage<true>();

export function runUnderOuterRetry<T>(fn: () => T): T {
  return outerRetry.run(true, fn);
}

export function isUnderOuterRetry(): boolean {
  return outerRetry.getStore() === true;
}
