import { setTimeout as sleep } from 'node:timers/promises';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { CascadeApiError, CascadeRateLimitError } from '../errors/cascade-api.error.js';
import { describeFailure } from '../errors/describe-failure.js';
import { isRetryable, retryAfterMs } from '../retry/retry-policy.js';
import type { CascadeRetryOptions } from '../types/retry.types.js';
import { SCHEDULE_CLOCK_SKEW_MS, parseIsoDateTime } from '../validation/message-rules.js';
import { chunk, type QueuedMessage, trackingIdOf } from './batches.js';
import type { CampaignStore } from './campaign-store.js';
import type {
  CascadeJobData,
  CascadeJobResult,
  ResolvedQueueOptions,
} from './cascade-queue.options.js';
import type { SharedRateLimit } from './shared-rate-limit.js';
import { HELD, type TrackingClaims } from './tracking-claims.js';

/** What a batch run needs from its worker. */
export interface BatchRunContext {
  options: ResolvedQueueOptions;
  /** The module's retry policy, which decides what is worth another attempt. */
  retry: Pick<CascadeRetryOptions, 'retryUnknownOutcome'>;
  /** Sends one call's messages: the messageId the API gave each, in order. */
  send(messages: QueuedMessage[]): Promise<string[]>;
  limit: SharedRateLimit;
  store: CampaignStore;
  claims: TrackingClaims;
  /** Runs work that needs Redis, bounded in time. */
  redis<T>(work: () => Promise<T>): Promise<T>;
  /** Whether the worker is shutting down, so a job should not wait in place. */
  closing(): boolean;
}

/**
 * A wait longer than this (a 429's pause) moves the job to delayed rather than holding it; the
 * limit's own waits are shorter (a span, 1050 ms, at most).
 */
const MAX_WAIT_IN_PLACE_MS = 2000;
/**
 * The API's answers about content (a message it refused): the batch is split in halves to find
 * the messages at fault, so the others still go.
 */
const CONTENT_STATUSES: ReadonlySet<number> = new Set([400, 413, 422]);
/**
 * Refused calls a run spends finding the messages at fault: enough for a few bad messages in a
 * batch of 1000 (about 10 each); past it, what is left fails whole, so that a batch the API
 * refuses for a reason common to all costs no more than this.
 */
const MAX_REFUSED_CALLS = 24;

const reasonOf = (error: unknown) =>
  `${describeFailure(error)}: ${error instanceof Error ? error.message : String(error)}`;

/** A message whose time came while it waited in the queue goes now, not refused as past. */
function dueNow(message: QueuedMessage): QueuedMessage {
  const at = message.scheduledSent;
  if (typeof at !== 'string' || parseIsoDateTime(at, true) > Date.now() - SCHEDULE_CLOCK_SKEW_MS) {
    return message;
  }
  const now = { ...message };
  delete now.scheduledSent;
  return now;
}

/**
 * One run of one job: claims its tracking ids, then sends its messages in calls of up to
 * `batchSize` under the shared limit, recording each call's results before the next. A message
 * the API refuses fails alone (its batch is split to find it); a retryable failure retries the
 * messages not yet sent, with BullMQ's backoff; a 429 pauses every worker and moves the job to
 * delayed, uncharged. A job that ends with failed messages fails, holding just those, for replay.
 */
export class BatchRun {
  private readonly campaignId?: string;
  /** Messages this job need not send again: accepted, or another job's to send. */
  private readonly done = new Set<string>();
  /** Messages failed for good, by tracking id: those of earlier runs, then this run's. */
  private readonly failed: Record<string, string>;
  private readonly newlyFailed: Record<string, string> = {};
  /** `messageId` by tracking id, kept in the job itself for a job of `enqueue`. */
  private readonly results: Record<string, string>;
  private accepted = 0;
  private refusedCalls = 0;
  private changed = false;

  constructor(
    private readonly job: Job<CascadeJobData, CascadeJobResult>,
    private readonly token: string | undefined,
    private readonly context: BatchRunContext,
  ) {
    this.campaignId = job.data.campaignId;
    this.failed = { ...job.data.failed };
    this.results = { ...job.data.results };
  }

  async run(): Promise<CascadeJobResult> {
    const { messages } = this.job.data;
    const todo = messages.filter((message) => this.failed[trackingIdOf(message)] === undefined);
    const jobs = [{ jobId: this.job.id!, trackingIds: todo.map(trackingIdOf) }];
    const claims = await this.context.redis(() => this.context.claims.claim(jobs, this.campaignId));
    const toSend = todo.filter((message, i) => {
      if (claims[i] === HELD) return true;
      this.done.add(trackingIdOf(message));
      return false;
    });
    const { batchSize, attempts } = this.context.options;
    const calls = chunk(toSend, this.context.limit.callSize(batchSize));
    const left: QueuedMessage[] = [];
    let retryable: unknown;
    for (let call = calls.shift(); call; call = calls.shift()) {
      if (retryable !== undefined) {
        left.push(...call);
        continue;
      }
      const outcome = await this.call(call);
      if ('messageIds' in outcome) {
        await this.accept(call, outcome.messageIds);
        continue;
      }
      const { error } = outcome;
      if (isRetryable(error, this.context.retry)) {
        retryable = error;
        left.push(...call);
      } else if (
        call.length > 1 &&
        error instanceof CascadeApiError &&
        CONTENT_STATUSES.has(error.status) &&
        ++this.refusedCalls <= MAX_REFUSED_CALLS
      ) {
        const half = Math.ceil(call.length / 2);
        calls.unshift(call.slice(0, half), call.slice(half));
      } else {
        this.fail(call, reasonOf(error));
      }
    }
    if (retryable !== undefined) {
      if (this.job.attemptsMade + 1 < (this.job.opts.attempts ?? attempts)) {
        await this.recordFailures();
        if (this.changed) await this.persist();
        throw new Error(reasonOf(retryable));
      }
      this.fail(left, reasonOf(retryable));
    }
    await this.recordFailures();
    const failed = Object.values(this.failed);
    if (failed.length > 0) {
      await this.persist();
      throw new UnrecoverableError(
        failed.length === 1
          ? failed[0]
          : `${failed.length} messages failed for good; the first: ${failed[0]}`,
      );
    }
    return this.campaignId === undefined
      ? { accepted: this.accepted, results: this.results }
      : { accepted: this.accepted };
  }

  /** One API call, once the shared limit lets it go; a 429 pauses every worker, then it goes again. */
  private async call(
    messages: QueuedMessage[],
  ): Promise<{ messageIds: string[] } | { error: unknown }> {
    for (;;) {
      await this.takeRate(messages.length);
      try {
        return { messageIds: await this.context.send(messages.map(dueNow)) };
      } catch (error) {
        if (!(error instanceof CascadeRateLimitError)) return { error };
        const wait = retryAfterMs(error) ?? this.context.options.backoffMs;
        await this.context.redis(() => this.context.limit.pause(wait));
      }
    }
  }

  private async takeRate(count: number): Promise<void> {
    for (;;) {
      const wait = await this.context.redis(() => this.context.limit.take(count));
      if (wait === 0) return;
      if (wait > MAX_WAIT_IN_PLACE_MS || this.context.closing()) await this.defer(wait);
      await sleep(wait);
    }
  }

  /** Moves the job to delayed for `ms`, its progress kept, without charging it an attempt. */
  private async defer(ms: number): Promise<never> {
    await this.context.redis(async () => {
      if (this.changed) await this.persist();
      await this.job.moveToDelayed(Date.now() + ms, this.token);
    });
    throw new DelayedError();
  }

  private async accept(call: QueuedMessage[], messageIds: string[]): Promise<void> {
    const accepted: Record<string, string> = {};
    call.forEach((message, i) => (accepted[trackingIdOf(message)] = messageIds[i]));
    if (this.campaignId !== undefined) {
      const campaignId = this.campaignId;
      await this.persistently(() => this.context.store.accepted(campaignId, accepted));
    } else {
      Object.assign(this.results, accepted);
    }
    for (const id of Object.keys(accepted)) this.done.add(id);
    this.accepted += call.length;
    this.changed = true;
  }

  private fail(messages: QueuedMessage[], reason: string): void {
    for (const message of messages) {
      this.failed[trackingIdOf(message)] = reason;
      this.newlyFailed[trackingIdOf(message)] = reason;
    }
    if (messages.length > 0) this.changed = true;
  }

  private async recordFailures(): Promise<void> {
    if (this.campaignId === undefined || Object.keys(this.newlyFailed).length === 0) return;
    const campaignId = this.campaignId;
    await this.persistently(() => this.context.store.failed(campaignId, this.newlyFailed));
  }

  /**
   * Keeps what this run learned in the job: the messages still to send (or, once it failed, the
   * failed ones), the failures, and the results of a job of `enqueue`.
   */
  private async persist(): Promise<void> {
    const { campaignId } = this;
    await this.context.redis(() =>
      this.job.updateData({
        messages: this.job.data.messages.filter((message) => !this.done.has(trackingIdOf(message))),
        ...(campaignId !== undefined && { campaignId }),
        ...(Object.keys(this.failed).length > 0 && { failed: this.failed }),
        ...(campaignId === undefined &&
          Object.keys(this.results).length > 0 && { results: this.results }),
      }),
    );
  }

  /**
   * Writes an outcome after a send, through a short Redis outage: were it lost, the job would
   * run again and send those messages twice.
   */
  private async persistently(write: () => Promise<void>): Promise<void> {
    const until = Date.now() + this.context.options.lockDurationMs / 2;
    for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
      try {
        return await this.context.redis(write);
      } catch (error) {
        if (Date.now() + delay > until) throw error;
        await sleep(delay);
      }
    }
  }
}
