import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { catchError, defer, firstValueFrom, map, Observable, tap, throwError, timeout } from 'rxjs';
import {
  CASCADE_CONFIG,
  CASCADE_ENDPOINTS,
  CASCADE_HTTP_CLIENT,
  MAX_MESSAGES_PER_CALL,
} from './cascade.constants.js';
import { checkDuration, type CascadeConfig } from './cascade-options.js';
import { describeFailure, readResults, toCascadeError } from './cascade-response.js';
import { BulkCampaign, type SendBatch } from './bulk/bulk-campaign.js';
import type {
  CascadeBulkEvent,
  CascadeBulkOptions,
  CascadeBulkReport,
  CascadeBulkSource,
} from './bulk/bulk.interfaces.js';
import { CascadeError } from './errors/cascade.error.js';
import { CascadeValidationError } from './errors/cascade-validation.error.js';
import type { CascadeMessage, CascadeSendResult } from './interfaces/cascade-message.interface.js';
import type { CascadeCallOptions } from './interfaces/cascade-module-options.interface.js';
import { resolveRetry } from './retry/retry-policy.js';
import { abortOn, retryWithPolicy } from './retry/retry.operator.js';
import { isUnderOuterRetry } from './retry/retry-scope.js';
import { validateMessages } from './validation/validate-messages.js';
import { type Payload, toPayload, toWire, type WireMessage } from './wire.js';

/** Which endpoint a send goes to: the standard cascade or Telegram and Viber first. */
export type CascadeEndpoint = keyof typeof CASCADE_ENDPOINTS;

type Input = CascadeMessage | readonly CascadeMessage[];
type Output<T extends Input> = T extends readonly CascadeMessage[]
  ? CascadeSendResult[]
  : CascadeSendResult;

/** Sends messages through the Cascade API. */
@Injectable()
export class CascadeService {
  private readonly logger = new Logger(CascadeService.name);

  constructor(
    @Inject(CASCADE_HTTP_CLIENT) private readonly http: HttpService,
    @Inject(CASCADE_CONFIG) private readonly config: CascadeConfig,
  ) {}

  /**
   * Sends one message, or 1 to 1000 in one call, through the standard cascade (Telegram Bot,
   * Viber Bot, Viber Business Messages, RCS, SMS). Every message is validated first; if any is
   * invalid, nothing is sent and a `CascadeValidationError` lists every violation. Failures are
   * retried by the retry policy, each retry carrying the same tracking ids.
   *
   * @returns one result per message, in input order (one result for one message).
   */
  send<T extends Input>(messages: T, options?: CascadeCallOptions): Promise<Output<T>> {
    return this.toPromise('standard', messages, options);
  }

  /** As `send`, through the endpoint that tries Telegram and Viber first. */
  sendTelegramViber<T extends Input>(
    messages: T,
    options?: CascadeCallOptions,
  ): Promise<Output<T>> {
    return this.toPromise('telegramViber', messages, options);
  }

  /**
   * `send` for RxJS pipelines: a cold Observable that validates and posts when subscribed, and
   * cancels the request (or a backoff delay) when unsubscribed.
   */
  send$(
    messages: Input,
    endpoint: CascadeEndpoint = 'standard',
    options: CascadeCallOptions = {},
  ): Observable<CascadeSendResult[]> {
    return defer(() => this.call$(toPayload(endpoint, this.prepare(messages)), options));
  }

  /**
   * Sends a campaign of any size from an array, an iterable or an async iterable (a database
   * cursor, a parsed CSV stream), reading it a batch at a time as requests free up. Each
   * message is validated on its own: an invalid one, or a repeated tracking id, is reported
   * failed and holds back no other. Each batch goes through the retry policy; one that still
   * fails reports each of its messages failed, and the others go on.
   *
   * @returns the report: every message read ends accepted, failed or not sent.
   */
  async sendBulk(
    source: CascadeBulkSource,
    options: CascadeBulkOptions = {},
  ): Promise<CascadeBulkReport> {
    return this.campaign(source, options).run();
  }

  /**
   * `sendBulk` for RxJS pipelines: emits each result as it is known, progress after each batch,
   * and the report last. Unsubscribing stops the campaign as its signal would.
   */
  sendBulk$(
    source: CascadeBulkSource,
    options: CascadeBulkOptions = {},
  ): Observable<CascadeBulkEvent> {
    return new Observable<CascadeBulkEvent>((subscriber) => {
      const stop = new AbortController();
      const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
      this.campaign(source, { ...options, signal }, (event) => subscriber.next(event))
        .run()
        .then(
          (report) => {
            subscriber.next({ type: 'report', report });
            subscriber.complete();
          },
          (error: unknown) => subscriber.error(error),
        );
      return () => stop.abort();
    });
  }

  private campaign(
    source: CascadeBulkSource,
    options: CascadeBulkOptions,
    emit?: (event: CascadeBulkEvent) => void,
  ): BulkCampaign {
    const { endpoint = 'standard', retry, timeoutMs, deadlineMs } = options;
    // Batches in flight finish when the campaign stops: the signal is not theirs.
    const send: SendBatch = (messages) =>
      firstValueFrom(this.call$(toPayload(endpoint, messages), { retry, timeoutMs, deadlineMs }));
    return new BulkCampaign(source, options, send, emit);
  }

  private async toPromise<T extends Input>(
    endpoint: CascadeEndpoint,
    messages: T,
    options?: CascadeCallOptions,
  ) {
    const results = await firstValueFrom(this.send$(messages, endpoint, options));
    return (Array.isArray(messages) ? results : results[0]) as Output<T>;
  }

  /** Validates the whole call and returns the body to post; throws before anything is sent. */
  private prepare(input: Input): WireMessage[] {
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
    return messages.map((message) => toWire(message as Record<string, unknown>));
  }

  /** Every attempt of one call: the same payload each time, within one deadline. */
  private call$(payload: Payload, options: CascadeCallOptions) {
    const policy = resolveRetry(isUnderOuterRetry() ? false : options.retry, this.config.retry);
    const timeoutMs = checkDuration('timeoutMs', options.timeoutMs, this.config.timeoutMs);
    const deadlineMs = checkDuration('deadlineMs', options.deadlineMs, this.config.deadlineMs);
    const deadline = policy.scheduler.now() + deadlineMs;
    let attempts = 0;
    const attempt$ = defer(() => {
      attempts++;
      return this.attempt$(payload, Math.min(timeoutMs, deadline - policy.scheduler.now()));
    });
    return attempt$.pipe(
      retryWithPolicy({
        policy,
        deadline,
        onRetry: ({ retry, maxRetries, delayMs, error }) =>
          this.logger.warn(
            `${payload.label} failed (${describeFailure(error)}); ` +
              `retry ${retry} of ${maxRetries} in ${delayMs} ms`,
          ),
      }),
      abortOn(options.signal, () => attempts),
    );
  }

  private attempt$(payload: Payload, timeoutMs: number): Observable<CascadeSendResult[]> {
    const started = Date.now();
    this.logger.debug(`${payload.label}: sending`);
    const headers = { 'Content-Type': 'application/json' };
    return this.http
      .post<unknown>(CASCADE_ENDPOINTS[payload.endpoint], payload.json, { headers })
      .pipe(
        // Unsubscribing aborts the request, so a timed-out attempt leaves nothing running.
        timeout({ first: timeoutMs }),
        map((response) => readResults(response, payload.ids)),
        tap(() => this.logger.debug(`${payload.label}: accepted in ${Date.now() - started} ms`)),
        catchError((error: unknown) => {
          const failure = toCascadeError(error, timeoutMs);
          if (failure instanceof CascadeError) failure.attempts = 1;
          const elapsed = Date.now() - started;
          this.logger.debug(`${payload.label}: ${describeFailure(failure)} after ${elapsed} ms`);
          return throwError(() => failure);
        }),
      );
  }
}
