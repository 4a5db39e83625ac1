import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who retries a call: `CascadeRetryInterceptor`, around a whole route handler, or the request
 * client, around each request. Both use `RETRY_OWNERSHIP`, so the coupling is one named object:
 * while a handler runs under the interceptor, the client makes a single attempt per run, and a
 * route makes at most `1 + maxRetries` sends, never their product (3 retries around 3 retries
 * would be 16 sends).
 */
export class CascadeRetryOwnership {
  // The handler's async context, not a field: concurrent requests each have their own.
  private readonly interceptorRuns = new AsyncLocalStorage<true>();

  /** Runs a route handler whose retries the interceptor owns. */
  runOwnedByInterceptor<T>(handler: () => T): T {
    return this.interceptorRuns.run(true, handler);
  }

  /** Whether the current call runs under the interceptor, which then owns its retries. */
  interceptorOwnsRetries(): boolean {
    return this.interceptorRuns.getStore() === true;
  }
}

/** The one ownership record: every module instance and interceptor of the process shares it. */
export const RETRY_OWNERSHIP = new CascadeRetryOwnership();
