import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AxiosResponse } from 'axios';
import {
  catchError,
  defer,
  firstValueFrom,
  lastValueFrom,
  map,
  Observable,
  tap,
  throwError,
  timeout,
} from 'rxjs';
import { CASCADE_CONFIG, CASCADE_ENDPOINTS, CASCADE_HTTP_CLIENT } from './cascade.constants.js';
import type { CascadeCallOptions, CascadeConfig, CascadeEndpoint } from './types/options.types.js';
import { checkDuration } from './cascade-options.js';
import { describeFailure, readResults, toCascadeError } from './cascade-response.js';
import { BulkCampaign, type SendBatch } from './bulk/bulk-campaign.js';
import type {
  CascadeBulkEvent,
  CascadeBulkOptions,
  CascadeBulkReport,
  CascadeBulkSource,
} from './types/bulk.types.js';
import { CascadeError } from './errors/cascade.error.js';
import { CascadeValidationError } from './errors/cascade-validation.error.js';
import type { CascadeMessage, CascadeSendResult } from './types/message.types.js';

import { resolveRetry } from './retry/retry-policy.js';
import { abortOn, retryWithPolicy } from './retry/retry.operator.js';
import { isUnderOuterRetry } from './retry/retry-scope.js';
import type { CascadeDeliveryStatus, CascadeWaitOptions } from './types/status.types.js';
import { readStatus } from './status/read-status.js';
import { watchStatus$, watchStatuses$ } from './status/watch-status.js';
import { assertValidCall } from './validation/validate-messages.js';
import { type Payload, toPayload, toWire, type WireMessage } from './wire.js';

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
    return defer(() => this.call$(this.post(toPayload(endpoint, this.prepare(messages))), options));
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
      firstValueFrom(
        this.call$(this.post(toPayload(endpoint, messages)), { retry, timeoutMs, deadlineMs }),
      );
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
    assertValidCall(messages, { now: Date.now(), requireZone: true });
    return messages.map((message) => toWire(message as Record<string, unknown>));
  }

  /**
   * Looks up a message's delivery status by the `messageId` a send returned, on the module's
   * `statusPath`. An unknown `messageId` fails with `CascadeNotFoundError`.
   */
  getStatus(messageId: string, options?: CascadeCallOptions): Promise<CascadeDeliveryStatus> {
    return firstValueFrom(this.getStatus$(messageId, options));
  }

  /** `getStatus` as a cold Observable. */
  getStatus$(
    messageId: string,
    options: CascadeCallOptions = {},
  ): Observable<CascadeDeliveryStatus> {
    return defer(() => {
      if (typeof messageId !== 'string' || messageId.trim() === '') {
        throw new CascadeValidationError([
          {
            field: 'messageId',
            code: 'INVALID_MESSAGE_ID',
            message: 'messageId must be a non-empty string',
          },
        ]);
      }
      const path = this.config.statusPath.replace('{messageId}', encodeURIComponent(messageId));
      return this.call$(
        {
          label: `GET ${path}`,
          send: () => this.http.get<unknown>(path),
          read: (response) => readStatus(response, messageId),
        },
        options,
      );
    });
  }

  /**
   * Polls a message's status until it is final, at most once a second and less often while it
   * stays the same: emits each change, and completes after the final one. Each poll goes
   * through the retry policy.
   */
  watchStatus$(
    messageId: string,
    options: CascadeWaitOptions = {},
  ): Observable<CascadeDeliveryStatus> {
    return watchStatus$(
      () => this.getStatus$(messageId),
      messageId,
      options,
      this.config.retry.scheduler,
    );
  }

  /**
   * Waits for a message's final status (`delivered`, `undeliverable` or `permanenterror`): an
   * OTP flow's "did it arrive?". Fails with `CascadeStatusTimeoutError` after `timeoutMs`.
   */
  waitForFinalStatus(
    messageId: string,
    options?: CascadeWaitOptions,
  ): Promise<CascadeDeliveryStatus> {
    return lastValueFrom(this.watchStatus$(messageId, options));
  }

  /** Watches many messages at once: every change of any, until each is final or timed out. */
  watchStatuses$(
    messageIds: readonly string[],
    options: CascadeWaitOptions = {},
  ): Observable<CascadeDeliveryStatus> {
    return watchStatuses$((messageId) => this.watchStatus$(messageId, options), messageIds);
  }

  /** Waits for many messages; resolves each one's last status (check `final`). */
  async waitForFinalStatuses(
    messageIds: readonly string[],
    options?: CascadeWaitOptions,
  ): Promise<Map<string, CascadeDeliveryStatus>> {
    const last = new Map<string, CascadeDeliveryStatus>();
    await lastValueFrom(
      this.watchStatuses$(messageIds, options).pipe(
        tap((status) => last.set(status.messageId, status)),
      ),
      { defaultValue: undefined },
    );
    return last;
  }

  /** Every attempt of one call: the same request each time, within one deadline. */
  private call$<T>(request: CascadeRequest<T>, options: CascadeCallOptions): Observable<T> {
    const policy = resolveRetry(isUnderOuterRetry() ? false : options.retry, this.config.retry);
    const timeoutMs = checkDuration('timeoutMs', options.timeoutMs, this.config.timeoutMs);
    const deadlineMs = checkDuration('deadlineMs', options.deadlineMs, this.config.deadlineMs);
    const deadline = policy.scheduler.now() + deadlineMs;
    let attempts = 0;
    const attempt$ = defer(() => {
      attempts++;
      return this.attempt$(request, Math.min(timeoutMs, deadline - policy.scheduler.now()));
    });
    return attempt$.pipe(
      retryWithPolicy({
        policy,
        deadline,
        onRetry: ({ retry, maxRetries, delayMs, error }) =>
          this.logger.warn(
            `${request.label} failed (${describeFailure(error)}); ` +
              `retry ${retry} of ${maxRetries} in ${delayMs} ms`,
          ),
      }),
      abortOn(options.signal, () => attempts),
    );
  }

  private attempt$<T>(request: CascadeRequest<T>, timeoutMs: number): Observable<T> {
    const started = Date.now();
    this.logger.debug(`${request.label}: sending`);
    return request.send().pipe(
      // Unsubscribing aborts the request, so a timed-out attempt leaves nothing running.
      timeout({ first: timeoutMs }),
      map(request.read),
      tap(() => this.logger.debug(`${request.label}: answered in ${Date.now() - started} ms`)),
      catchError((error: unknown) => {
        const failure = toCascadeError(error, timeoutMs);
        if (failure instanceof CascadeError) failure.attempts = 1;
        const elapsed = Date.now() - started;
        this.logger.debug(`${request.label}: ${describeFailure(failure)} after ${elapsed} ms`);
        return throwError(() => failure);
      }),
    );
  }

  /** A send, as one request to retry. */
  private post(payload: Payload): CascadeRequest<CascadeSendResult[]> {
    const headers = { 'Content-Type': 'application/json' };
    return {
      label: payload.label,
      send: () =>
        this.http.post<unknown>(CASCADE_ENDPOINTS[payload.endpoint], payload.json, { headers }),
      read: (response) => readResults(response, payload.ids),
    };
  }
}

/** One API request: how to make it, how to read its answer, and how to name it in a log. */
interface CascadeRequest<T> {
  label: string;
  send: () => Observable<AxiosResponse<unknown>>;
  read: (response: AxiosResponse<unknown>) => T;
}
