import { CascadeError } from './cascade.error.js';

/**
 * The queue's Redis could not serve a call: it did not answer in time, the connection is down, or
 * it refused the command (out of memory, read-only). Whether a write took effect is unknown;
 * enqueuing again is safe, as a tracking id is sent once. Built from plain facts only, never from
 * the Redis client's error, which can carry the command's arguments.
 */
export class CascadeQueueUnavailableError extends CascadeError {
  constructor(
    /** What needed Redis, such as `enqueueCampaign`. */
    readonly operation: string,
    /** Why, such as `no answer within 3000 ms` or `Redis refused it (OOM)`. */
    readonly reason: string,
  ) {
    super(`The queue's Redis could not serve ${operation}: ${reason}`);
  }
}
