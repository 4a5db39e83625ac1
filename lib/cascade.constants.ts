/** The vendor's production host; localized hosts are handed out per account, so it is configurable. */
export const DEFAULT_BASE_URL = 'https://restapi.smsbat.com';

/** Per-attempt timeout when the options set none: ample for a 1000-message batch. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/** The most bytes of one answer read, after decompression; a 1000-message answer is ~100 KB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/** Node's timers hold at most this many ms; a longer delay would fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** How long a call may take in all, retries and their delays included, when unset. */
export const DEFAULT_DEADLINE_MS = 60_000;

/** The API's endpoints, relative to the base URL. */
export const CASCADE_ENDPOINTS = {
  /** Standard cascade: Telegram Bot, Viber Bot, Viber Business Messages, RCS, then SMS. */
  standard: '/api/CascadeMessage/send_message/async',
  /** Telegram and Viber first, for faster delivery. */
  telegramViber: '/api/CascadeMessage/send_message/tg-viber/async',
} as const;

/** The delivery-status look-up, from the vendor's core REST API; configurable as `statusPath`. */
export const DEFAULT_STATUS_PATH = '/bat/message/{messageId}';

/**
 * The vendor's stated per-account limits (its rate-limits help page), kept by default: sends
 * 100 requests per second with bursts of 150; status and other look-ups 50 per second with
 * bursts of 75, and at most 8 look-ups in flight, so that watching many messages never floods
 * the API.
 */
export const DEFAULT_RATE_LIMITS = {
  send: { perSecond: 100, burst: 150 },
  lookup: { perSecond: 50, burst: 75, concurrency: 8 },
} as const;

/** Which option travels in which header; only the options given are sent. */
export const CREDENTIAL_HEADERS = {
  apiKey: 'X-Authorization-Key',
  viberToken: 'X-Viber-Auth-Token',
  tgBotKey: 'X-Tg-Bot-Key',
} as const;

/**
 * The vendor's types of message: the seed's four, and `viber_carousel`, which only the vendor's
 * website sends through Cascade (its help pages call the carousel a core-API type).
 */
export const MESSAGE_TYPES = [
  'transaction',
  'promo',
  'viber_survey',
  'flashcall',
  'viber_carousel',
] as const;

/** The most messages one API call may carry (the vendor's largest advised batch). */
export const MAX_MESSAGES_PER_CALL = 1000;

/** A message's delivery states: queued, being sent, or one of three final states. */
export const DELIVERY_STATES = [
  'scheduled',
  'processing',
  'delivered',
  'undeliverable',
  'permanenterror',
] as const;

/** The states after which a message's status no longer changes. */
export const FINAL_DELIVERY_STATES = ['delivered', 'undeliverable', 'permanenterror'] as const;

/** Injection token of the `HttpService` the module talks to the API through. */
export const CASCADE_HTTP_CLIENT = Symbol('CASCADE_HTTP_CLIENT');

/** Injection token of the checked, defaulted options. */
export const CASCADE_CONFIG = Symbol('CASCADE_CONFIG');
