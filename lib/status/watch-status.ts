import {
  catchError,
  defer,
  distinctUntilChanged,
  EMPTY,
  expand,
  merge,
  type Observable,
  type SchedulerLike,
  switchMap,
  throwError,
  timer,
} from 'rxjs';
import { checkDuration } from '../config/cascade-config.js';
import { CascadeConfigError } from '../errors/cascade.error.js';
import { CascadeStatusTimeoutError } from '../errors/cascade-status-timeout.error.js';
import { abortOn } from '../retry/retry.operator.js';
import type { CascadeDeliveryStatus, CascadeWaitOptions } from '../types/status.types.js';

/** The vendor asks for at most one status request per second per message. */
export const MIN_POLL_INTERVAL_MS = 1000;
export const DEFAULT_WAIT_TIMEOUT_MS = 5 * 60_000;
export const DEFAULT_MAX_POLL_INTERVAL_MS = 30_000;
/** How much longer each pause grows while a message's status stays the same. */
const BACKOFF = 1.5;

function checkWaitOptions(options: CascadeWaitOptions) {
  const timeoutMs = checkDuration('timeoutMs', options.timeoutMs, DEFAULT_WAIT_TIMEOUT_MS);
  const pollIntervalMs = checkDuration(
    'pollIntervalMs',
    options.pollIntervalMs,
    MIN_POLL_INTERVAL_MS,
  );
  const maxPollIntervalMs = checkDuration(
    'maxPollIntervalMs',
    options.maxPollIntervalMs,
    Math.max(DEFAULT_MAX_POLL_INTERVAL_MS, pollIntervalMs),
  );
  if (pollIntervalMs < MIN_POLL_INTERVAL_MS) {
    throw new CascadeConfigError('pollIntervalMs', `must be ${MIN_POLL_INTERVAL_MS} ms or more`);
  }
  if (maxPollIntervalMs < pollIntervalMs) {
    throw new CascadeConfigError('maxPollIntervalMs', 'must be at least pollIntervalMs');
  }
  return { timeoutMs, pollIntervalMs, maxPollIntervalMs };
}

/**
 * Polls one message's status until it is final: emits each change of `deliverystatus`, and
 * completes after the final one. Pauses start at `pollIntervalMs` and grow while the status
 * stays the same; the wait fails with `CascadeStatusTimeoutError` rather than pass its timeout.
 */
export function watchStatus$(
  poll: () => Observable<CascadeDeliveryStatus>,
  messageId: string,
  options: CascadeWaitOptions,
  scheduler: SchedulerLike,
): Observable<CascadeDeliveryStatus> {
  return defer(() => {
    const { timeoutMs, pollIntervalMs, maxPollIntervalMs } = checkWaitOptions(options);
    const deadline = scheduler.now() + timeoutMs;
    let pause = pollIntervalMs;
    let last: CascadeDeliveryStatus | undefined;
    const next = (status: CascadeDeliveryStatus): Observable<CascadeDeliveryStatus> => {
      if (status.final) return EMPTY;
      pause =
        last?.deliverystatus === status.deliverystatus
          ? Math.min(maxPollIntervalMs, pause * BACKOFF)
          : pollIntervalMs;
      last = status;
      if (scheduler.now() + pause > deadline) {
        return throwError(() => new CascadeStatusTimeoutError(messageId, timeoutMs, last));
      }
      return timer(pause, scheduler).pipe(switchMap(poll));
    };
    return poll().pipe(
      expand(next),
      distinctUntilChanged((a, b) => a.deliverystatus === b.deliverystatus),
      abortOn(options.signal, () => 0),
    );
  });
}

/**
 * Watches many messages at once, each at its own pace: emits every change of any of them and
 * completes when each is final or has run out of time (its last status was emitted).
 */
export function watchStatuses$(
  watch: (messageId: string) => Observable<CascadeDeliveryStatus>,
  messageIds: readonly string[],
): Observable<CascadeDeliveryStatus> {
  return merge(
    ...messageIds.map((messageId) =>
      watch(messageId).pipe(
        catchError((error: unknown) =>
          error instanceof CascadeStatusTimeoutError ? EMPTY : throwError(() => error),
        ),
      ),
    ),
  );
}
