/** The shared secret, once checked; the guard compares requests against it. */
export const CASCADE_WEBHOOK_SECRET = Symbol('CASCADE_WEBHOOK_SECRET');
/** The route options, once checked and defaulted; the guard reads the secret where they say. */
export const CASCADE_WEBHOOK_ROUTE = Symbol('CASCADE_WEBHOOK_ROUTE');

export const DEFAULT_WEBHOOK_PATH = 'cascade/status';
export const DEFAULT_WEBHOOK_HEADER = 'x-cascade-webhook-secret';
export const MIN_WEBHOOK_SECRET_LENGTH = 16;
// The vendor's payload is flat; a few levels leave room for fields it may add, and the bound
// keeps a deeply nested body from exhausting the stack when it is transformed (a 500).
export const MAX_WEBHOOK_BODY_DEPTH = 8;
