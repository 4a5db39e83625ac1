import { CascadeError } from './cascade.error.js';

/** What the API said about an error, read from either of the vendor's body shapes. */
export interface CascadeApiErrorDetails {
  /** The API's error code, such as `INVALID_PHONE` (a numeric code is given as a string). */
  code?: string;
  /**
   * The API's own explanation, cut short, with phone numbers masked and any configured secret
   * it repeated removed.
   */
  apiMessage?: string;
  /** The field the API blames, such as `toPhone`. */
  field?: string;
  /** Seconds to wait before trying again, from a `Retry-After` header. */
  retryAfter?: number;
}

const text = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

/**
 * Reads `{"error":{"code","message","field"}}` (the Cascade page) or
 * `{"status","error","message","code"}` (the vendor's error-codes page); anything else, such as
 * an HTML page from a proxy, yields no details rather than a crash. The texts are as the API
 * sent them: the request client cleans them before they go into an error.
 */
export function readErrorBody(body: unknown): CascadeApiErrorDetails {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return {};
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const outer = parsed as Record<string, unknown>;
  const inner =
    typeof outer.error === 'object' && outer.error !== null
      ? (outer.error as Record<string, unknown>)
      : outer;
  const message = text(inner.message) ?? text(outer.error);
  return {
    code: text(inner.code),
    apiMessage: message,
    field: text(inner.field),
  };
}

/** The longest wait a `Retry-After` may ask for; a longer one is taken as this (a day). */
export const MAX_RETRY_AFTER_SECONDS = 24 * 60 * 60;

/**
 * Reads `Retry-After` as seconds (`120`) or an HTTP date, clamped to a day so that no timer
 * and no answer passed on is ever built from an absurd value; `now` is the clock in epoch ms.
 */
export function parseRetryAfter(header: unknown, now = Date.now()): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  let seconds: number;
  if (/^\d+(\.\d+)?$/.test(header.trim())) seconds = Number(header);
  else {
    const date = Date.parse(header);
    if (Number.isNaN(date)) return undefined;
    seconds = Math.max(0, (date - now) / 1000);
  }
  return Math.min(seconds, MAX_RETRY_AFTER_SECONDS);
}

/** The API answered with an HTTP error status. */
export class CascadeApiError extends CascadeError {
  readonly code?: string;
  readonly apiMessage?: string;
  readonly field?: string;
  /** Seconds the API asked to wait before trying again (`Retry-After`, on 429 and 503). */
  readonly retryAfter?: number;

  constructor(
    /** The HTTP status. */
    readonly status: number,
    details: CascadeApiErrorDetails = {},
  ) {
    const facts = [details.code, details.field && `field ${details.field}`].filter(Boolean);
    const said = details.apiMessage ? `: ${details.apiMessage}` : '';
    super(`Cascade API answered ${status}${facts.length ? ` (${facts.join(', ')})` : ''}${said}`);
    if (details.code !== undefined) this.code = details.code;
    if (details.apiMessage !== undefined) this.apiMessage = details.apiMessage;
    if (details.field !== undefined) this.field = details.field;
    if (details.retryAfter !== undefined) this.retryAfter = details.retryAfter;
  }

  /** The error class that fits the status. */
  static fromResponse(status: number, details: CascadeApiErrorDetails): CascadeApiError {
    if (status === 400) return new CascadeBadRequestError(status, details);
    if (status === 401 || status === 403) return new CascadeAuthenticationError(status, details);
    if (status === 404) return new CascadeNotFoundError(status, details);
    if (status === 429) return new CascadeRateLimitError(status, details);
    if (status >= 500) return new CascadeServerError(status, details);
    return new CascadeApiError(status, details);
  }
}

/** 400: the API rejected the request's content. Sending it again cannot succeed. */
export class CascadeBadRequestError extends CascadeApiError {}

/** 401 or 403: the credentials were refused. The app is misconfigured, not the caller. */
export class CascadeAuthenticationError extends CascadeApiError {}

/** 404: no such resource, such as a status look-up for a `messageId` the API does not know. */
export class CascadeNotFoundError extends CascadeApiError {}

/** 429: too many requests; `retryAfter` says how long the API asked to wait, when it said. */
export class CascadeRateLimitError extends CascadeApiError {}

/** 5xx: the API failed. Whether the messages were taken is unknown. */
export class CascadeServerError extends CascadeApiError {}
