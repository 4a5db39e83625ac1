import {
  Controller,
  Get,
  type INestApplication,
  Param,
  type Type,
  UseFilters,
} from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost } from '@nestjs/core';
import {
  CascadeAbortError,
  CascadeApiError,
  CascadeAuthenticationError,
  CascadeBadRequestError,
  CascadeConfigError,
  type CascadeError,
  CascadeExceptionFilter,
  CascadeNetworkError,
  CascadeQueueUnavailableError,
  CascadeNotFoundError,
  CascadeRateLimitError,
  CascadeServerError,
  CascadeStatusTimeoutError,
  CascadeUnexpectedResponseError,
  CascadeValidationError,
} from 'nestjs-smsbat-cascade';
import request from 'supertest';
import { LogCapture } from '../support/log-capture.js';
import { PLATFORMS, startNestApp } from '../support/nest-platforms.js';

const PHONE = '+380501234567';
// What a hostile or broken upstream might say: a forged log line, an escape code, a phone, bulk.
const HOSTILE = `no\r\n[Nest] 1  - ERROR forged \u001b[31m ${PHONE} ${'x'.repeat(10_000)}`;

const violation = {
  index: 0,
  id: 'order-1',
  field: 'toPhone',
  code: 'INVALID_PHONE',
  message: 'toPhone must be in international format',
};

/** What each route throws. */
const ERRORS: Record<string, () => CascadeError> = {
  validation: () => new CascadeValidationError([violation]),
  'bad-request': () =>
    new CascadeBadRequestError(400, {
      code: 'INVALID_PHONE',
      field: 'toPhone',
      apiMessage: 'Invalid phone',
    }),
  'bad-request-hostile': () =>
    new CascadeBadRequestError(400, { code: HOSTILE, field: HOSTILE, apiMessage: HOSTILE }),
  authentication: () => new CascadeAuthenticationError(401, { apiMessage: 'Invalid key' }),
  'rate-limit': () => new CascadeRateLimitError(429, { retryAfter: 2.5 }),
  'rate-limit-absurd': () => new CascadeRateLimitError(429, { retryAfter: 1e23 }),
  'rate-limit-negative': () => new CascadeRateLimitError(429, { retryAfter: -5 }),
  'rate-limit-nan': () => new CascadeRateLimitError(429, { retryAfter: Number.NaN }),
  'not-found': () => new CascadeNotFoundError(404, { apiMessage: 'Message not found' }),
  'not-found-hostile': () => new CascadeNotFoundError(404, { apiMessage: HOSTILE }),
  server: () => new CascadeServerError(503, { apiMessage: HOSTILE }),
  'api-other': () => new CascadeApiError(418),
  network: () => new CascadeNetworkError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9'),
  aborted: () => new CascadeAbortError(),
  'queue-unavailable': () =>
    new CascadeQueueUnavailableError('enqueue', 'no answer within 3000 ms'),
  'status-timeout': () =>
    new CascadeStatusTimeoutError('m-1', 1000, {
      messageId: 'm-1',
      deliverystatus: `processing\n${HOSTILE}`,
      known: false,
      final: false,
    }),
  config: () => new CascadeConfigError('apiKey', 'no credential was given'),
  unexpected: () => new CascadeUnexpectedResponseError('2 results for 3 messages'),
};

function errorsController(decorate?: ClassDecorator): Type {
  @Controller('errors')
  class ErrorsController {
    @Get(':kind')
    fail(@Param('kind') kind: string): never {
      throw ERRORS[kind]();
    }
  }
  decorate?.(ErrorsController);
  return ErrorsController;
}

/** The three ways to put the filter in place: each must reach the same answers. */
const REGISTRATIONS = {
  APP_FILTER: {
    metadata: () => ({
      controllers: [errorsController()],
      providers: [{ provide: APP_FILTER, useClass: CascadeExceptionFilter }],
    }),
    setup: undefined,
  },
  useGlobalFilters: {
    metadata: () => ({ controllers: [errorsController()] }),
    setup: (app: INestApplication) =>
      app.useGlobalFilters(new CascadeExceptionFilter(app.get(HttpAdapterHost))),
  },
  '@UseFilters': {
    metadata: () => ({ controllers: [errorsController(UseFilters(CascadeExceptionFilter))] }),
    setup: undefined,
  },
};

const CASES = PLATFORMS.flatMap((platform) =>
  Object.keys(REGISTRATIONS).map((how) => [platform, how] as const),
);

describe.each(CASES)('CascadeExceptionFilter on %s, registered with %s', (platform, how) => {
  let app: INestApplication;
  let url: string;
  const logs = new LogCapture();
  const get = (kind: string) => request(url).get(`/errors/${kind}`);

  beforeAll(async () => {
    const { metadata, setup } = REGISTRATIONS[how as keyof typeof REGISTRATIONS];
    ({ app, url } = await startNestApp(platform, metadata(), { logger: logs, setup }));
  });
  afterAll(() => app.close());
  beforeEach(() => (logs.lines.length = 0));

  it.each([
    [
      'validation',
      400,
      { message: [expect.stringContaining('INVALID_PHONE')], violations: [violation] },
    ],
    [
      'bad-request',
      400,
      {
        message: 'The messaging API refused the request: Invalid phone',
        code: 'INVALID_PHONE',
        field: 'toPhone',
      },
    ],
    [
      'authentication',
      502,
      { error: 'Bad Gateway', message: expect.stringContaining('misconfigured') },
    ],
    ['rate-limit', 429, { error: 'Too Many Requests' }],
    ['not-found', 404, { message: 'Message not found' }],
    ['server', 502, { message: 'The messaging API failed (503)' }],
    ['api-other', 502, { message: 'The messaging API failed (418)' }],
    ['network', 503, { message: expect.stringContaining('(ECONNREFUSED)') }],
    ['aborted', 503, { message: expect.stringContaining('(aborted)') }],
    ['queue-unavailable', 503, { message: expect.stringContaining('queue is unavailable') }],
    [
      'status-timeout',
      504,
      { message: expect.stringContaining('No final status for message m-1') },
    ],
    ['config', 500, { message: 'The service is misconfigured' }],
    ['unexpected', 502, { message: 'The messaging API failed' }],
  ])('answers %s with %i', async (kind, status, body) => {
    const response = await get(kind).expect(status).expect('content-type', /json/);

    expect(response.body).toMatchObject({ statusCode: status, ...body });
  });

  it.each([
    ['rate-limit', '3'],
    ['rate-limit-absurd', '86400'],
    ['network', '5'],
  ])('sends Retry-After for %s as whole seconds, at most a day', async (kind, seconds) => {
    await get(kind).expect('retry-after', seconds);
  });

  it.each(['rate-limit-negative', 'rate-limit-nan'])(
    'sends no Retry-After for %s',
    async (kind) => {
      const response = await get(kind).expect(429);

      expect(response.headers['retry-after']).toBeUndefined();
    },
  );

  it.each(['bad-request-hostile', 'not-found-hostile', 'status-timeout'])(
    'quotes the upstream text of %s in its answer',
    async (kind) => {
      const response = await get(kind);
      const text = [response.body.message, response.body.code, response.body.field].join(' ');

      for (const raw of ['\r', '\n', '\u001b']) expect(text).not.toContain(raw);
      expect(text).not.toContain(PHONE);
      expect(text).toContain('+380*****4567');
      expect(response.text.length).toBeLessThan(2_000);
    },
  );

  it('logs a failing upstream quoted', async () => {
    await get('server').expect(502);

    const [line] = logs.at('warn');
    expect(line).toContain('CascadeServerError');
    for (const raw of ['\r', '\n', '\u001b']) expect(line).not.toContain(raw);
    expect(line).not.toContain(PHONE);
    expect(line.length).toBeLessThan(1_000);
  });
});
