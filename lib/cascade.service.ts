import { Inject, Injectable } from '@nestjs/common';
import { defer, firstValueFrom, lastValueFrom, Observable, tap } from 'rxjs';
import { CASCADE_CONFIG } from './cascade.constants.js';
import { BulkCampaign } from './bulk/bulk-campaign.js';
import { CascadeClient } from './client/cascade.client.js';
import { watchStatus$, watchStatuses$ } from './status/watch-status.js';
import type {
  CascadeBulkEvent,
  CascadeBulkOptions,
  CascadeBulkReport,
  CascadeBulkSource,
} from './types/bulk.types.js';
import type { CascadeMessage, CascadeSendResult } from './types/message.types.js';
import type { CascadeCallOptions, CascadeConfig, CascadeEndpoint } from './types/options.types.js';
import type { CascadeDeliveryStatus, CascadeWaitOptions } from './types/status.types.js';
import { assertValidCall } from './validation/validate-messages.js';

/**
 * Sends messages through the Cascade API, a facade over `CascadeClient`: it checks what users
 * hand it, then lets the client make the requests.
 */
@Injectable()
export class CascadeService {
  constructor(
    private readonly client: CascadeClient,
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
  send(message: CascadeMessage, options?: CascadeCallOptions): Promise<CascadeSendResult>;
  send(
    messages: readonly CascadeMessage[],
    options?: CascadeCallOptions,
  ): Promise<CascadeSendResult[]>;
  send(messages: CascadeMessage | readonly CascadeMessage[], options?: CascadeCallOptions) {
    return this.toPromise('standard', messages, options);
  }

  /** As `send`, through the endpoint that tries Telegram and Viber first. */
  sendTelegramViber(
    message: CascadeMessage,
    options?: CascadeCallOptions,
  ): Promise<CascadeSendResult>;
  sendTelegramViber(
    messages: readonly CascadeMessage[],
    options?: CascadeCallOptions,
  ): Promise<CascadeSendResult[]>;
  sendTelegramViber(
    messages: CascadeMessage | readonly CascadeMessage[],
    options?: CascadeCallOptions,
  ) {
    return this.toPromise('telegramViber', messages, options);
  }

  /**
   * `send` for RxJS pipelines: a cold Observable that validates and posts when subscribed, and
   * cancels the request (or a backoff delay) when unsubscribed.
   */
  send$(
    messages: CascadeMessage | readonly CascadeMessage[],
    endpoint: CascadeEndpoint = 'standard',
    options: CascadeCallOptions = {},
  ): Observable<CascadeSendResult[]> {
    return defer(() => this.client.send$(endpoint, this.prepare(messages), options));
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
    return new BulkCampaign(source, options, this.client, emit);
  }

  private async toPromise(
    endpoint: CascadeEndpoint,
    messages: CascadeMessage | readonly CascadeMessage[],
    options?: CascadeCallOptions,
  ) {
    const results = await firstValueFrom(this.send$(messages, endpoint, options));
    return Array.isArray(messages) ? results : results[0];
  }

  /** Validates the whole call and returns the body to post; throws before anything is sent. */
  private prepare(input: CascadeMessage | readonly CascadeMessage[]): Record<string, unknown>[] {
    const messages: readonly unknown[] = Array.isArray(input) ? input : [input];
    assertValidCall(messages, { now: Date.now(), requireZone: true });
    return messages as Record<string, unknown>[];
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
    return this.client.status$(messageId, options);
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
}
