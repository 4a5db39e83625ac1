import {
  CASCADE_ENDPOINTS,
  CREDENTIAL_HEADERS,
  DEFAULT_RATE_LIMITS,
  DEFAULT_BASE_URL,
  DEFAULT_DEADLINE_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_STATUS_PATH,
  DEFAULT_TIMEOUT_MS,
  MAX_TIMER_MS,
} from '../cascade.constants.js';
import { SecretScrubber } from '../redact.js';
import { CascadeCredentials } from './cascade-credentials.js';
import { CascadeConfigError } from '../errors/cascade.error.js';
import type { CascadeDialect } from '../types/dialect.types.js';
import type {
  CascadeConfig,
  CascadeCredentialOptions,
  CascadeEndpoints,
  CascadeModuleOptions,
  CascadeRateLimit,
} from '../types/options.types.js';
import { resolveRetry } from '../retry/retry-policy.js';

/**
 * Checks credentials, the module's or a call's (`prefix` names where they were given), and
 * returns them held privately.
 */
export function checkCredentials(
  options: CascadeCredentialOptions,
  prefix = '',
): CascadeCredentials {
  for (const option of Object.keys(CREDENTIAL_HEADERS) as (keyof typeof CREDENTIAL_HEADERS)[]) {
    const value: unknown = options[option];
    if (value === undefined || value === '') continue;
    // A header value cannot hold line breaks; never echo the value itself.
    if (typeof value !== 'string' || value.trim() !== value || /[\r\n\0]/.test(value)) {
      throw new CascadeConfigError(
        `${prefix}${option}`,
        'must be a string with no surrounding whitespace',
      );
    }
  }
  const credentials = new CascadeCredentials(options);
  if (!credentials.given) {
    throw new CascadeConfigError(
      `${prefix}apiKey`,
      'give at least one credential: apiKey, viberToken or tgBotKey',
    );
  }
  return credentials;
}

function checkBaseUrl(value: unknown): string {
  if (value === undefined) return DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new CascadeConfigError('baseUrl', 'must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CascadeConfigError('baseUrl', 'must be an absolute http or https URL');
  }
  if (url.username || url.password) {
    throw new CascadeConfigError('baseUrl', 'must not carry credentials; use apiKey instead');
  }
  if (url.search || url.hash) {
    throw new CascadeConfigError('baseUrl', 'must not carry a query or a fragment');
  }
  return url.href.replace(/\/+$/, '');
}

function checkPath(option: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\/[\w\-./{}~%]*$/.test(value) || value.includes('..')) {
    throw new CascadeConfigError(option, 'must be a path starting with /');
  }
  return value;
}

function checkStatusEndpoint(value: unknown): string {
  const option = 'endpoints.status';
  if (typeof value === 'string' && /^https?:\/\//i.test(value)) {
    // Another host: it gets the credentials too, so it must be a plain http(s) URL.
    let url: URL;
    try {
      url = new URL(value.replace('{messageId}', 'id'));
    } catch {
      throw new CascadeConfigError(option, 'must be a path or an absolute http(s) URL');
    }
    if (url.username || url.password || url.search || url.hash) {
      throw new CascadeConfigError(option, 'must not carry credentials, a query or a fragment');
    }
  } else {
    checkPath(option, value, DEFAULT_STATUS_PATH);
  }
  const path = (value as string | undefined) ?? DEFAULT_STATUS_PATH;
  if (!path.includes('{messageId}')) {
    throw new CascadeConfigError(option, 'must hold {messageId} where the id goes');
  }
  return path;
}

function checkEndpoints(value: Partial<CascadeEndpoints> | undefined): CascadeEndpoints {
  const given = value ?? {};
  return {
    standard: checkPath('endpoints.standard', given.standard, CASCADE_ENDPOINTS.standard),
    telegramViber: checkPath(
      'endpoints.telegramViber',
      given.telegramViber,
      CASCADE_ENDPOINTS.telegramViber,
    ),
    status: checkStatusEndpoint(given.status),
  };
}

const SCHEDULED_FIELDS = ['scheduledSent', 'sheduledSent', 'scheduledTime'] as const;
const PHONE_FORMATS = ['e164', 'digits'] as const;

function checkOneOf<T>(option: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) {
    throw new CascadeConfigError(option, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function checkDialect(value: Partial<CascadeDialect> | undefined): CascadeDialect {
  return {
    scheduledSentField: checkOneOf(
      'dialect.scheduledSentField',
      value?.scheduledSentField,
      SCHEDULED_FIELDS,
      'scheduledSent',
    ),
    phoneFormat: checkOneOf('dialect.phoneFormat', value?.phoneFormat, PHONE_FORMATS, 'e164'),
  };
}

function checkRateLimit(
  option: string,
  value: CascadeRateLimit | false | undefined,
  fallback: CascadeRateLimit,
): CascadeRateLimit | undefined {
  if (value === false) return undefined;
  if (value === undefined) return fallback;
  const { perSecond, burst, concurrency } = value;
  // At least one request a minute: a slower limit would hold a request past Node's timers.
  if (typeof perSecond !== 'number' || !(perSecond >= 1 / 60) || !Number.isFinite(perSecond)) {
    throw new CascadeConfigError(`${option}.perSecond`, 'must be a number, 1/60 or more');
  }
  if (!Number.isInteger(burst) || burst < 1) {
    throw new CascadeConfigError(`${option}.burst`, 'must be a whole number, 1 or more');
  }
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) {
    throw new CascadeConfigError(`${option}.concurrency`, 'must be a whole number, 1 or more');
  }
  return { perSecond, burst, ...(concurrency !== undefined && { concurrency }) };
}

function checkRateLimits(value: CascadeModuleOptions['rateLimits']): CascadeConfig['rateLimits'] {
  if (value === false) return {};
  const limits: CascadeConfig['rateLimits'] = {};
  const send = checkRateLimit('rateLimits.send', value?.send, DEFAULT_RATE_LIMITS.send);
  const lookup = checkRateLimit('rateLimits.lookup', value?.lookup, DEFAULT_RATE_LIMITS.lookup);
  if (send) limits.send = send;
  if (lookup) limits.lookup = lookup;
  return limits;
}

/**
 * Checks a duration option, module-wide or per call: positive, and short enough for Node's
 * timers (about 24.8 days), which fire at once when handed a longer delay.
 */
export function checkDuration(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
    throw new CascadeConfigError(
      option,
      `must be a positive number of milliseconds, at most ${MAX_TIMER_MS}`,
    );
  }
  return value;
}

function checkByteCount(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    throw new CascadeConfigError(option, 'must be a whole number of bytes, 1 or more');
  }
  return value as number;
}

/** A scrubber of the credentials given. */
export const secretScrubber = (credentials: CascadeCredentialOptions) =>
  new SecretScrubber([credentials.apiKey, credentials.viberToken, credentials.tgBotKey]);

/** Checks the options when the module starts, so a bad one fails the bootstrap, not a send. */
export function resolveCascadeOptions(options: CascadeModuleOptions): CascadeConfig {
  if (typeof options !== 'object' || options === null) {
    throw new CascadeConfigError('options', 'CascadeModule needs an options object');
  }
  checkCredentials(options);
  if (options.statusAuth === 'basic' && !options.apiKey) {
    throw new CascadeConfigError('statusAuth', 'basic needs the apiKey, its password');
  }
  return {
    baseUrl: checkBaseUrl(options.baseUrl),
    timeoutMs: checkDuration('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS),
    deadlineMs: checkDuration('deadlineMs', options.deadlineMs, DEFAULT_DEADLINE_MS),
    maxResponseBytes: checkByteCount(
      'maxResponseBytes',
      options.maxResponseBytes,
      DEFAULT_MAX_RESPONSE_BYTES,
    ),
    retry: resolveRetry(options.retry),
    dialect: checkDialect(options.dialect),
    endpoints: checkEndpoints(options.endpoints),
    statusAuth: checkOneOf(
      'statusAuth',
      options.statusAuth,
      ['header', 'basic'] as const,
      'header',
    ),
    rateLimits: checkRateLimits(options.rateLimits),
    scrubber: secretScrubber(options),
  };
}
