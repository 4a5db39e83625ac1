import { STATUS_CODES } from 'node:http';
import { type ArgumentsHost, Catch, HttpException, NotFoundException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

/** What the JSON parser's failures answer, by type, in place of messages that quote the body. */
const PARSER_ANSWERS: Record<string, string> = {
  'entity.parse.failed': 'The request body is not valid JSON',
  'charset.unsupported': 'The request body must be JSON in UTF-8',
  'encoding.unsupported':
    'The request body\u2019s Content-Encoding is not supported: use gzip, deflate, br or none',
};

const answer = (status: number, message: string) =>
  new HttpException({ statusCode: status, error: STATUS_CODES[status], message }, status);

/**
 * Answers the errors that arise before a route's own code (the body parser, a path's
 * percent-encoding, a path no route matches) without repeating the request: Nest's own
 * messages quote the start of the body (which may hold a phone number), the path or a header,
 * at any length. Every other HTTP error is answered as Nest would.
 */
@Catch(HttpException)
export class RequestErrorsFilter extends BaseExceptionFilter {
  override catch(exception: HttpException, host: ArgumentsHost): void {
    super.catch(this.withoutEcho(exception, host), host);
  }

  private withoutEcho(exception: HttpException, host: ArgumentsHost): HttpException {
    const status = exception.getStatus();
    const { cause } = exception;
    const type = (cause as { type?: unknown } | undefined)?.type;
    if (cause instanceof Error && typeof type === 'string') {
      // From the body parser: its other messages (and the depth check's) are fixed texts.
      return answer(status, PARSER_ANSWERS[type] ?? cause.message);
    }
    if (cause instanceof URIError) {
      return answer(400, 'The path holds malformed percent-encoding');
    }
    const request = host.switchToHttp().getRequest<{ route?: unknown }>();
    if (exception instanceof NotFoundException && request.route === undefined) {
      return answer(404, 'No route matches this method and path');
    }
    return exception;
  }
}
