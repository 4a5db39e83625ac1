import { CascadeError } from './cascade.error.js';

/**
 * The API answered 2xx, but not with one result per message sent: a count, a tracking id or a
 * `messageId` does not match. Whether the messages were taken is unknown.
 */
export class CascadeUnexpectedResponseError extends CascadeError {}
