import type { CascadeGiveUpReason } from '../types/retry.types.js';

/**
 * The base of every error this module throws. None of them holds a credential or a full phone
 * number: they are built from plain facts (status, codes, counts), never by wrapping an HTTP
 * client's error, whose request headers carry the credentials.
 */
export class CascadeError extends Error {
  /** How many requests were made before this error was thrown (0 when nothing was sent). */
  attempts = 0;
  /** Why no further attempt was made, once retrying has ended (`retries-exhausted`, ...). */
  giveUpReason?: CascadeGiveUpReason;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }

  /** `JSON.stringify(error)` gives its name, message and fields: all safe to log. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...(this as object) };
  }
}

/** An option, of the module (thrown while the app boots) or of a call, is missing or malformed. */
export class CascadeConfigError extends CascadeError {
  constructor(
    /** The option at fault, such as `baseUrl`. */
    readonly option: string,
    reason: string,
  ) {
    super(`Cascade option ${option}: ${reason}`);
  }
}

/** The call was aborted through its `AbortSignal`; a request in flight was cancelled. */
export class CascadeAbortError extends CascadeError {
  constructor() {
    super('The Cascade call was aborted');
  }
}
