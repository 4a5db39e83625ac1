export * from './cascade-retry.decorator.js';
export * from './cascade-retry.interceptor.js';
export {
  backoffDelay,
  type CascadeGiveUpReason,
  type CascadeRetryOptions,
  type CascadeRetrySetting,
  DEFAULT_RETRY,
  isRetryable,
  RETRYABLE_STATUSES,
} from './retry-policy.js';
export * from './retry.operator.js';
