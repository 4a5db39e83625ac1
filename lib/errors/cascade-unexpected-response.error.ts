import { CascadeError } from './cascade.error.js';

/**
 * The API answered 2xx, but not with one result per message sent: a count, a tracking id or a
 * `messageId` does not match. Whether the messages were taken is unknown.
 */
export class CascadeUnexpectedResponseError extends CascadeError {}

/**
 * The answer was larger than the module's `maxResponseBytes` (counted after decompression), so
 * it was not read: whether the messages were taken is unknown.
 */
export class CascadeResponseTooLargeError extends CascadeUnexpectedResponseError {
  constructor(readonly maxResponseBytes: number) {
    super(`Cascade API answered with more than ${maxResponseBytes} bytes; the answer was not read`);
  }
}
