import {
  CascadeApiError,
  CascadeConfigError,
  CascadeNetworkError,
  CascadeValidationError,
  DEFAULT_RETRY,
} from 'nestjs-smsbat-cascade';
import { parseRetryAfter } from '../../lib/errors/cascade-api.error.js';
import { backoffDelay, isRetryable, resolveRetry } from '../../lib/retry/retry-policy.js';

const all = { retryUnknownOutcome: true };
const unsentOnly = { retryUnknownOutcome: false };
const api = (status: number) => CascadeApiError.fromResponse(status, {});

describe('which failures are retried', () => {
  it.each([429, 500, 502, 503, 504])('retries HTTP %i', (status) => {
    expect(isRetryable(api(status), all)).toBe(true);
  });

  it.each([400, 401, 403, 404, 409, 413, 422])('never retries HTTP %i', (status) => {
    expect(isRetryable(api(status), all)).toBe(false);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN'])(
    'retries the network failure %s',
    (code) => {
      expect(isRetryable(new CascadeNetworkError(code, 'x'), all)).toBe(true);
    },
  );

  it('never retries a local validation error, or an error of another kind', () => {
    expect(isRetryable(new CascadeValidationError([]), all)).toBe(false);
    expect(isRetryable(new TypeError('bug'), all)).toBe(false);
  });

  describe('with retryUnknownOutcome off', () => {
    it.each(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND'])(
      'still retries %s: the request never left',
      (code) => {
        expect(isRetryable(new CascadeNetworkError(code, 'x'), unsentOnly)).toBe(true);
      },
    );

    it('still retries 429: the API refused before taking anything', () => {
      expect(isRetryable(api(429), unsentOnly)).toBe(true);
    });

    it.each([
      ['HTTP 500', api(500)],
      ['HTTP 503', api(503)],
      ['ECONNRESET', new CascadeNetworkError('ECONNRESET', 'x')],
      ['ETIMEDOUT', new CascadeNetworkError('ETIMEDOUT', 'x')],
      ['EPIPE', new CascadeNetworkError('EPIPE', 'x')],
    ])('does not retry %s: the messages may have been taken', (_label, error) => {
      expect(isRetryable(error, unsentOnly)).toBe(false);
    });
  });
});

describe('backoffDelay', () => {
  const policy = (random: number) => ({ ...DEFAULT_RETRY, random: () => random });

  it('doubles from about 1 s, as the vendor advises (1 s, 2 s, 4 s)', () => {
    expect([1, 2, 3].map((retry) => backoffDelay(retry, policy(0.5)))).toEqual([1000, 2000, 4000]);
  });

  it('spreads each delay by the jitter share, both ways', () => {
    expect(backoffDelay(1, policy(0))).toBe(800);
    expect(backoffDelay(1, policy(0.999999))).toBe(1200);
  });

  it('caps the delay at maxDelayMs', () => {
    expect(backoffDelay(10, { ...policy(0.5), maxDelayMs: 5000 })).toBe(5000);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds', () => {
    expect(parseRetryAfter('120')).toBe(120);
  });

  it('reads an HTTP date as the seconds until it', () => {
    const now = Date.UTC(2030, 0, 1, 12, 0, 0);

    expect(parseRetryAfter('Tue, 01 Jan 2030 12:00:30 GMT', now)).toBe(30);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('resolveRetry', () => {
  it('lays a setting over the defaults', () => {
    expect(resolveRetry({ maxRetries: 1 })).toMatchObject({ ...DEFAULT_RETRY, maxRetries: 1 });
  });

  it('turns false into no retries', () => {
    expect(resolveRetry(false).maxRetries).toBe(0);
  });

  it.each([
    ['maxRetries', { maxRetries: -1 }],
    ['maxRetries', { maxRetries: 1.5 }],
    ['baseDelayMs', { baseDelayMs: -5 }],
    ['jitter', { jitter: 2 }],
    ['scheduler', { scheduler: {} as never }],
  ])('names a bad %s', (option, setting) => {
    expect(() => resolveRetry(setting)).toThrow(CascadeConfigError);
    expect(() => resolveRetry(setting)).toThrow(`retry.${option}`);
  });
});
