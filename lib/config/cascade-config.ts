import {
  CREDENTIAL_HEADERS,
  DEFAULT_BASE_URL,
  DEFAULT_DEADLINE_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_STATUS_PATH,
  DEFAULT_TIMEOUT_MS,
  MAX_TIMER_MS,
} from '../cascade.constants.js';
import { SecretScrubber } from '../redact.js';
import { CascadeConfigError } from '../errors/cascade.error.js';
import type { CascadeConfig, CascadeModuleOptions } from '../types/options.types.js';
import { resolveRetry } from '../retry/retry-policy.js';

/** The credential headers to send: only those whose option is given. */
export function credentialHeaders(options: CascadeModuleOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [option, header] of Object.entries(CREDENTIAL_HEADERS)) {
    const value = options[option as keyof typeof CREDENTIAL_HEADERS];
    if (value !== undefined && value !== '') headers[header] = value;
  }
  return headers;
}

function checkCredentials(options: CascadeModuleOptions): void {
  for (const option of Object.keys(CREDENTIAL_HEADERS) as (keyof typeof CREDENTIAL_HEADERS)[]) {
    const value: unknown = options[option];
    if (value === undefined || value === '') continue;
    // A header value cannot hold line breaks; never echo the value itself.
    if (typeof value !== 'string' || value.trim() !== value || /[\r\n\0]/.test(value)) {
      throw new CascadeConfigError(option, 'must be a string with no surrounding whitespace');
    }
  }
  if (Object.keys(credentialHeaders(options)).length === 0) {
    throw new CascadeConfigError(
      'apiKey',
      'give at least one credential: apiKey, viberToken or tgBotKey',
    );
  }
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

function checkStatusPath(value: unknown): string {
  if (value === undefined) return DEFAULT_STATUS_PATH;
  if (typeof value !== 'string' || !value.startsWith('/') || !value.includes('{messageId}')) {
    throw new CascadeConfigError(
      'statusPath',
      'must be a path starting with / that holds {messageId}',
    );
  }
  return value;
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

/** Checks the options when the module starts, so a bad one fails the bootstrap, not a send. */
export function resolveCascadeOptions(options: CascadeModuleOptions): CascadeConfig {
  if (typeof options !== 'object' || options === null) {
    throw new CascadeConfigError('options', 'CascadeModule needs an options object');
  }
  checkCredentials(options);
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
    statusPath: checkStatusPath(options.statusPath),
    scrubber: new SecretScrubber(
      Object.keys(CREDENTIAL_HEADERS).map(
        (option) => options[option as keyof typeof CREDENTIAL_HEADERS],
      ),
    ),
  };
}
