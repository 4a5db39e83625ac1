import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import {
  CascadeApiError,
  CascadeAuthenticationError,
  CascadeBadRequestError,
  CascadeNotFoundError,
  CascadeRateLimitError,
} from '../errors/cascade-api.error.js';
import { CascadeAbortError, CascadeConfigError, CascadeError } from '../errors/cascade.error.js';
import { CascadeNetworkError } from '../errors/cascade-network.error.js';
import { CascadeStatusTimeoutError } from '../errors/cascade-status-timeout.error.js';
import { CascadeValidationError, describeViolation } from '../errors/cascade-validation.error.js';

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

/**
 * Maps a Cascade error to an honest HTTP answer for the caller of your route:
 * - a local validation error: 400 with every violation;
 * - the API's 400: 400, with its `code` and `field`;
 * - the API's 401 or 403: 502, since it means this service is misconfigured, not the caller;
 * - the API's 429: 429, with `Retry-After`;
 * - the API's 404: 404; other API statuses and 5xx: 502;
 * - no answer from the API (network, timeout): 503; a status wait that timed out: 504.
 *
 * None of these answers holds a credential. Opt in with `app.useGlobalFilters(new
 * CascadeExceptionFilter())` or `@UseFilters(CascadeExceptionFilter)`.
 */
@Catch(CascadeError)
export class CascadeExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(CascadeExceptionFilter.name);

  catch(error: CascadeError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse();
    const { body, headers } = this.map(error);
    if (body.statusCode >= 500) this.logger.warn(`${error.name}: ${error.message}`);
    for (const [name, value] of Object.entries(headers)) response.header(name, value);
    response.status(body.statusCode).json(body);
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
        `The messaging API refused the request: ${error.apiMessage ?? 'no reason given'}`,
      );
      return { body: { ...body, code: error.code, field: error.field }, headers };
    }
    if (error instanceof CascadeAuthenticationError) {
      const message =
        'The messaging API refused this service\u2019s credentials: the service is misconfigured';
      return { body: answer(502, 'Bad Gateway', message), headers };
    }
    if (error instanceof CascadeRateLimitError) {
      if (error.retryAfter !== undefined)
        headers['Retry-After'] = String(Math.ceil(error.retryAfter));
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
      return { body: answer(404, 'Not Found', error.apiMessage ?? 'No such message'), headers };
    }
    if (error instanceof CascadeNetworkError || error instanceof CascadeAbortError) {
      const message = `The messaging API could not be reached (${error instanceof CascadeNetworkError ? error.code : 'aborted'}); try again later`;
      return { body: answer(503, 'Service Unavailable', message), headers: { 'Retry-After': '5' } };
    }
    if (error instanceof CascadeStatusTimeoutError) {
      return { body: answer(504, 'Gateway Timeout', error.message), headers };
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
