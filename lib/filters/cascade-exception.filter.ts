import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  CascadeApiError,
  CascadeAuthenticationError,
  CascadeBadRequestError,
  CascadeNotFoundError,
  CascadeRateLimitError,
  MAX_RETRY_AFTER_SECONDS,
} from '../errors/cascade-api.error.js';
import { CascadeAbortError, CascadeConfigError, CascadeError } from '../errors/cascade.error.js';
import { CascadeNetworkError } from '../errors/cascade-network.error.js';
import { CascadeQueueUnavailableError } from '../errors/cascade-queue-unavailable.error.js';
import { CascadeStatusTimeoutError } from '../errors/cascade-status-timeout.error.js';
import { CascadeValidationError, describeViolation } from '../errors/cascade-validation.error.js';
import { quote } from '../redact.js';

/** The answer a route gives for a Cascade error. */
export interface CascadeErrorAnswer {
  statusCode: number;
  error: string;
  message: string | string[];
  code?: string;
  field?: string;
  violations?: CascadeValidationError['violations'];
}

const answer = (statusCode: HttpStatus, error: string, message: string | string[]) => ({
  statusCode,
  error,
  message,
});

/** Whole seconds, at most a day; no header for a value that is not a wait at all. */
function retryAfterSeconds(seconds: unknown): string | undefined {
  if (typeof seconds !== 'number' || Number.isNaN(seconds) || seconds < 0) return undefined;
  return String(Math.min(Math.ceil(seconds), MAX_RETRY_AFTER_SECONDS));
}

/** Upstream text put in an answer: phones masked, control characters escaped, cut short. */
const quoted = (text: string | undefined) => (text === undefined ? undefined : quote(text));

/**
 * Maps a Cascade error to an honest HTTP answer for the caller of your route:
 * - a local validation error: 400 with every violation;
 * - the API's 400: 400, with its `code` and `field`;
 * - the API's 401 or 403: 502, since it means this service is misconfigured, not the caller;
 * - the API's 429: 429, with `Retry-After` in whole seconds, at most a day;
 * - the API's 404: 404; other API statuses and 5xx: 502;
 * - no answer from the API (network, timeout), or the queue's Redis unavailable: 503; a status
 *   wait that timed out: 504.
 *
 * None of these answers holds a credential, and the API's own text in them is quoted (phone
 * numbers masked, control characters escaped, 200 characters at most). It answers through
 * Nest's HTTP adapter, so it works on Express and on Fastify alike.
 *
 * Register it as an app-wide filter, where Nest gives it the adapter:
 * `providers: [{ provide: APP_FILTER, useClass: CascadeExceptionFilter }]`, or, in `main.ts`,
 * `app.useGlobalFilters(new CascadeExceptionFilter(app.get(HttpAdapterHost)))`.
 * `@UseFilters(CascadeExceptionFilter)` (the class, not an instance) works on a controller.
 */
@Catch(CascadeError)
export class CascadeExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(CascadeExceptionFilter.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: CascadeError, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const response = host.switchToHttp().getResponse();
    const { body, headers } = this.map(error);
    if (body.statusCode >= 500) this.logger.warn(`${error.name}: ${quote(error.message)}`);
    // A handler that already streamed part of its answer can only be ended, not answered.
    if (httpAdapter.isHeadersSent(response)) {
      httpAdapter.end(response);
      return;
    }
    for (const [name, value] of Object.entries(headers)) {
      httpAdapter.setHeader(response, name, value);
    }
    httpAdapter.reply(response, body, body.statusCode);
  }

  /** The answer for an error, and any header to send with it. */
  map(error: CascadeError): { body: CascadeErrorAnswer; headers: Record<string, string> } {
    const headers: Record<string, string> = {};
    if (error instanceof CascadeValidationError) {
      const body = answer(400, 'Bad Request', error.violations.map(describeViolation));
      return { body: { ...body, violations: error.violations }, headers };
    }
    if (error instanceof CascadeBadRequestError) {
      const body = answer(
        400,
        'Bad Request',
        `The messaging API refused the request: ${quoted(error.apiMessage) ?? 'no reason given'}`,
      );
      return { body: { ...body, code: quoted(error.code), field: quoted(error.field) }, headers };
    }
    if (error instanceof CascadeAuthenticationError) {
      const message =
        'The messaging API refused this service\u2019s credentials: the service is misconfigured';
      return { body: answer(502, 'Bad Gateway', message), headers };
    }
    if (error instanceof CascadeRateLimitError) {
      const retryAfter = retryAfterSeconds(error.retryAfter);
      if (retryAfter !== undefined) headers['Retry-After'] = retryAfter;
      return {
        body: answer(
          429,
          'Too Many Requests',
          'The messaging API is rate limiting; try again later',
        ),
        headers,
      };
    }
    if (error instanceof CascadeNotFoundError) {
      return {
        body: answer(404, 'Not Found', quoted(error.apiMessage) ?? 'No such message'),
        headers,
      };
    }
    if (error instanceof CascadeNetworkError || error instanceof CascadeAbortError) {
      const reason = error instanceof CascadeNetworkError ? quote(error.code) : 'aborted';
      const message = `The messaging API could not be reached (${reason}); try again later`;
      return { body: answer(503, 'Service Unavailable', message), headers: { 'Retry-After': '5' } };
    }
    if (error instanceof CascadeQueueUnavailableError) {
      // The operation's name is the module's own; the reason is built from plain facts.
      const message = `The message queue is unavailable (${error.operation}); try again later`;
      return { body: answer(503, 'Service Unavailable', message), headers: { 'Retry-After': '5' } };
    }
    if (error instanceof CascadeStatusTimeoutError) {
      // The message holds the last status the API reported.
      return { body: answer(504, 'Gateway Timeout', quote(error.message)), headers };
    }
    if (error instanceof CascadeConfigError) {
      return {
        body: answer(500, 'Internal Server Error', 'The service is misconfigured'),
        headers,
      };
    }
    const status = error instanceof CascadeApiError ? ` (${error.status})` : '';
    return { body: answer(502, 'Bad Gateway', `The messaging API failed${status}`), headers };
  }
}
