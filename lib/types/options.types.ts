import type { CASCADE_ENDPOINTS } from '../cascade.constants.js';
import type { CascadeDialect } from './dialect.types.js';
import type { CascadeRetryOptions, CascadeRetrySetting } from './retry.types.js';

/** Which endpoint a send goes to: the standard cascade or Telegram and Viber first. */
export type CascadeEndpoint = keyof typeof CASCADE_ENDPOINTS;

/** An account's credentials: give at least one. */
export interface CascadeCredentialOptions {
  /** SMSBAT API key, sent as `X-Authorization-Key` (the vendor's recommended credential). */
  apiKey?: string;
  /** Viber bot token, sent as `X-Viber-Auth-Token`. */
  viberToken?: string;
  /** Telegram bot key, sent as `X-Tg-Bot-Key`. */
  tgBotKey?: string;
}

/** What `CascadeModule.forRoot` and `forRootAsync` take. Give at least one credential. */
export interface CascadeModuleOptions extends CascadeCredentialOptions {
  /** The API's address, `https://restapi.smsbat.com` by default; your manager may give another. */
  baseUrl?: string;
  /** How messages are written on the wire, for accounts that follow another vendor document. */
  dialect?: Partial<CascadeDialect>;
  /** Where each request goes, for accounts whose paths or status host differ. */
  endpoints?: Partial<CascadeEndpoints>;
  /**
   * How status look-ups authenticate: the `X-Authorization-Key` header (`header`, the default)
   * or HTTP Basic with `@` as the user and the API key as the password (`basic`), as the
   * vendor's status page also shows.
   */
  statusAuth?: 'header' | 'basic';
  /**
   * Client-side limits per class of request, shared by every call of this module instance:
   * the vendor's stated per-account limits by default (sends 100 per second, burst 150;
   * look-ups 50 per second, burst 75, at most 8 at once). `false` turns one class, or both,
   * off.
   */
  rateLimits?: false | { send?: CascadeRateLimit | false; lookup?: CascadeRateLimit | false };
  /** How long one attempt may take, in ms, before it fails as `ETIMEDOUT` (15 000). */
  timeoutMs?: number;
  /** How long a call may take in all, retries and delays included, in ms (60 000). */
  deadlineMs?: number;
  /**
   * The largest answer read, in bytes after decompression (1 MiB; a 1000-message answer is
   * about 100 KB): a larger one fails the call with `CascadeResponseTooLargeError`.
   */
  maxResponseBytes?: number;
  /** The retry policy: any part of it, laid over the defaults, or `false` for no retries. */
  retry?: CascadeRetrySetting;
}

/** Where each request goes: paths under `baseUrl`, or for `status` also an absolute URL. */
export interface CascadeEndpoints {
  /** The standard cascade (`/api/CascadeMessage/send_message/async`). */
  standard: string;
  /** Telegram and Viber first (`/api/CascadeMessage/send_message/tg-viber/async`). */
  telegramViber: string;
  /**
   * The status look-up, with `{messageId}` where the id goes (`/bat/message/{messageId}`): a
   * path, or an absolute `https://` URL template when it lives on another host.
   */
  status: string;
}

/** A token bucket: requests per second on average, and how many may go at once after a pause. */
export interface CascadeRateLimit {
  perSecond: number;
  burst: number;
  /** The most requests of the class in flight at once (none when unset). */
  concurrency?: number;
}

/** What a single call may set for itself, over the module's options. */
export interface CascadeCallOptions {
  /** This call's retry policy, laid over the module's, or `false` for no retries. */
  retry?: CascadeRetrySetting;
  /** How long one attempt may take, in ms. */
  timeoutMs?: number;
  /** How long the call may take in all, in ms. */
  deadlineMs?: number;
  /** Aborts the call: a request in flight is cancelled and it fails with `CascadeAbortError`. */
  signal?: AbortSignal;
  /**
   * Another account's credentials for this call alone, in place of the module's: for apps
   * whose tenants' accounts are known only at run time. They are checked like the module's,
   * scrubbed from every error, never logged, and not kept after the call. The call still counts
   * against this module instance's rate limits.
   */
  credentials?: CascadeCredentialOptions;
}

/** Removes configured secrets from text that came from outside. */
export interface CascadeTextScrubber {
  scrub(text: string): string;
}

/**
 * The options once checked and defaulted. It shows no credential (the scrubber keeps its
 * secrets in private fields), so it is safe to log.
 */
export interface CascadeConfig {
  /** The API's origin and base path, without a trailing slash. */
  baseUrl: string;
  timeoutMs: number;
  deadlineMs: number;
  maxResponseBytes: number;
  retry: CascadeRetryOptions;
  dialect: CascadeDialect;
  endpoints: CascadeEndpoints;
  statusAuth: 'header' | 'basic';
  rateLimits: { send?: CascadeRateLimit; lookup?: CascadeRateLimit };
  scrubber: CascadeTextScrubber;
}
