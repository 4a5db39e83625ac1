import { asyncScheduler } from 'rxjs';
import { MAX_TIMER_MS } from '../cascade.constants.js';
import { CascadeApiError } from '../errors/cascade-api.error.js';
import { CascadeConfigError, type CascadeError } from '../errors/cascade.error.js';
import { CascadeNetworkError } from '../errors/cascade-network.error.js';
import type {
  CascadeGiveUpReason,
  CascadeRetryOptions,
  CascadeRetrySetting,
} from '../types/retry.types.js';

export const DEFAULT_RETRY: Readonly<CascadeRetryOptions> = {
  maxRetries: 3,
  baseDelayMs: 1000,
  maxDelayMs: 10_000,
  jitter: 0.2,
  retryUnknownOutcome: true,
  random: Math.random,
  scheduler: asyncScheduler,
};

/** The statuses worth another try: rate limiting and passing server failures. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** Failures after which the request surely never reached the API. */
const UNSENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/** Network failures worth another try, where the request may have been taken. */
const UNKNOWN_OUTCOME_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'ESOCKETTIMEDOUT',
]);

/** Whether an error is worth another attempt under a policy. */
export function isRetryable(
  error: unknown,
  policy: Pick<CascadeRetryOptions, 'retryUnknownOutcome'>,
): boolean {
  if (error instanceof CascadeApiError) {
    if (error.status === 429) return true;
    return policy.retryUnknownOutcome && RETRYABLE_STATUSES.has(error.status);
  }
  if (error instanceof CascadeNetworkError) {
    if (UNSENT_CODES.has(error.code)) return true;
    return policy.retryUnknownOutcome && UNKNOWN_OUTCOME_CODES.has(error.code);
  }
  return false;
}

/** The delay before retry number `retry` (1 for the first): capped, doubling, jittered. */
export function backoffDelay(retry: number, policy: CascadeRetryOptions): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const spread = exponential * policy.jitter * (2 * policy.random() - 1);
  return Math.min(MAX_TIMER_MS, Math.max(0, Math.round(exponential + spread)));
}

/** How long the API asked to wait, in ms, when the error carries a `Retry-After`. */
export function retryAfterMs(error: unknown): number | undefined {
  if (error instanceof CascadeApiError && error.retryAfter !== undefined) {
    return error.retryAfter * 1000;
  }
  return undefined;
}

const isCount = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;
const isDelay = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_TIMER_MS;
const isShare = (value: unknown) => typeof value === 'number' && value >= 0 && value <= 1;

/**
 * Lays a setting over a base policy and checks the result; `false` gives a policy of no
 * retries (the deadline and per-attempt timeout still hold).
 */
export function resolveRetry(
  setting: CascadeRetrySetting | undefined,
  base: Readonly<CascadeRetryOptions> = DEFAULT_RETRY,
): CascadeRetryOptions {
  const policy = setting === false ? { ...base, maxRetries: 0 } : { ...base, ...setting };
  const checks: [keyof CascadeRetryOptions, boolean, string][] = [
    ['maxRetries', isCount(policy.maxRetries), 'a whole number, 0 or more'],
    [
      'baseDelayMs',
      isDelay(policy.baseDelayMs),
      `a number of milliseconds from 0 to ${MAX_TIMER_MS}`,
    ],
    [
      'maxDelayMs',
      isDelay(policy.maxDelayMs),
      `a number of milliseconds from 0 to ${MAX_TIMER_MS}`,
    ],
    ['jitter', isShare(policy.jitter), 'a share from 0 to 1'],
    ['random', typeof policy.random === 'function', 'a function'],
    ['scheduler', typeof policy.scheduler?.schedule === 'function', 'an RxJS scheduler'],
  ];
  for (const [option, ok, rule] of checks) {
    if (!ok) throw new CascadeConfigError(`retry.${option}`, `must be ${rule}`);
  }
  return policy;
}

export function markFinal(error: CascadeError, attempts: number, reason: CascadeGiveUpReason) {
  error.attempts = attempts;
  error.giveUpReason = reason;
  return error;
}
