import { HttpService } from '@nestjs/axios';
import { Inject, Injectable } from '@nestjs/common';
import { catchError, defer, firstValueFrom, map, Observable, timeout } from 'rxjs';
import {
  CASCADE_CONFIG,
  CASCADE_ENDPOINTS,
  CASCADE_HTTP_CLIENT,
  MAX_MESSAGES_PER_CALL,
} from './cascade.constants.js';
import type { CascadeConfig } from './cascade-options.js';
import { readResults, toCascadeError } from './cascade-response.js';
import { CascadeError } from './errors/cascade.error.js';
import { CascadeValidationError } from './errors/cascade-validation.error.js';
import type { CascadeMessage, CascadeSendResult } from './interfaces/cascade-message.interface.js';
import { validateMessages } from './validation/validate-messages.js';

/** Which endpoint a send goes to: the standard cascade or Telegram and Viber first. */
export type CascadeEndpoint = keyof typeof CASCADE_ENDPOINTS;

type Input = CascadeMessage | readonly CascadeMessage[];
type Output<T extends Input> = T extends readonly CascadeMessage[]
  ? CascadeSendResult[]
  : CascadeSendResult;

/** Sends messages through the Cascade API. */
@Injectable()
export class CascadeService {
  constructor(
    @Inject(CASCADE_HTTP_CLIENT) private readonly http: HttpService,
    @Inject(CASCADE_CONFIG) private readonly config: CascadeConfig,
  ) {}

  /**
   * Sends one message, or 1 to 1000 in one call, through the standard cascade (Telegram Bot,
   * Viber Bot, Viber Business Messages, RCS, SMS). Every message is validated first; if any is
   * invalid, nothing is sent and a `CascadeValidationError` lists every violation.
   *
   * @returns one result per message, in input order (one result for one message).
   */
  send<T extends Input>(messages: T): Promise<Output<T>> {
    return this.toPromise('standard', messages);
  }

  /** As `send`, through the endpoint that tries Telegram and Viber first. */
  sendTelegramViber<T extends Input>(messages: T): Promise<Output<T>> {
    return this.toPromise('telegramViber', messages);
  }

  /**
   * `send` for RxJS pipelines: a cold Observable that validates and posts when subscribed, and
   * cancels the request when unsubscribed.
   */
  send$(messages: Input, endpoint: CascadeEndpoint = 'standard'): Observable<CascadeSendResult[]> {
    return defer(() => this.post$(endpoint, this.prepare(messages)));
  }

  private async toPromise<T extends Input>(endpoint: CascadeEndpoint, messages: T) {
    const results = await firstValueFrom(this.send$(messages, endpoint));
    return (Array.isArray(messages) ? results : results[0]) as Output<T>;
  }

  /** Validates the whole call and returns the body to post; throws before anything is sent. */
  private prepare(input: Input): Record<string, unknown>[] {
    const messages: readonly unknown[] = Array.isArray(input) ? input : [input];
    if (messages.length === 0 || messages.length > MAX_MESSAGES_PER_CALL) {
      throw new CascadeValidationError([
        {
          field: 'messages',
          code: 'INVALID_BATCH',
          message: `a call carries 1 to ${MAX_MESSAGES_PER_CALL} messages, not ${messages.length}`,
        },
      ]);
    }
    const violations = validateMessages(messages, { now: Date.now(), requireZone: true });
    if (violations.length > 0) throw new CascadeValidationError(violations);
    return messages.map((message) => {
      const { scheduledSent } = message as CascadeMessage;
      // The API takes a string: a Date goes as UTC ISO 8601.
      return scheduledSent instanceof Date
        ? { ...(message as object), scheduledSent: scheduledSent.toISOString() }
        : (message as Record<string, unknown>);
    });
  }

  private post$(
    endpoint: CascadeEndpoint,
    body: Record<string, unknown>[],
  ): Observable<CascadeSendResult[]> {
    return this.http.post<unknown>(CASCADE_ENDPOINTS[endpoint], body).pipe(
      // Unsubscribing aborts the request, so a timed-out attempt leaves nothing running.
      timeout({ first: this.config.timeoutMs }),
      map((response) => readResults(response, body)),
      catchError((error: unknown) => {
        const failure = toCascadeError(error, this.config.timeoutMs);
        if (failure instanceof CascadeError) failure.attempts = 1;
        throw failure;
      }),
    );
  }
}
