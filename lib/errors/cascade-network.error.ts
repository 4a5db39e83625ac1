import { CascadeError } from './cascade.error.js';

/** Why a request got no HTTP answer, as a stable code. */
export type CascadeNetworkErrorCode =
  | 'ECONNREFUSED'
  | 'ECONNRESET'
  | 'EPIPE'
  | 'ETIMEDOUT'
  | 'EAI_AGAIN'
  | 'ENOTFOUND'
  | 'ABORTED'
  | (string & {});

/** The request got no HTTP answer: a timeout, a refused or reset connection, a DNS failure. */
export class CascadeNetworkError extends CascadeError {
  constructor(
    /** The system or client code, such as `ECONNREFUSED` or `ETIMEDOUT`. */
    readonly code: CascadeNetworkErrorCode,
    reason: string,
  ) {
    super(`Cascade API unreachable (${code}): ${reason}`);
  }
}
