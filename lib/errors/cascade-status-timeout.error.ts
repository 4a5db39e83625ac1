import type { CascadeDeliveryStatus } from '../types/status.types.js';
import { CascadeError } from './cascade.error.js';

/** A wait for a final delivery status ran out of time; `lastStatus` is where the message stood. */
export class CascadeStatusTimeoutError extends CascadeError {
  constructor(
    readonly messageId: string,
    readonly timeoutMs: number,
    readonly lastStatus?: CascadeDeliveryStatus,
  ) {
    const stood = lastStatus ? `; it was ${lastStatus.deliverystatus}` : '';
    super(`No final status for message ${messageId} within ${timeoutMs} ms${stood}`);
  }
}
