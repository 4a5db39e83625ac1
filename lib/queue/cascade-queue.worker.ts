import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { DelayedError, type Job, type Queue, UnrecoverableError, Worker } from 'bullmq';
import { firstValueFrom } from 'rxjs';
import { CASCADE_CONFIG } from '../cascade.constants.js';
import type { CascadeConfig } from '../types/options.types.js';
import { CascadeClient } from '../client/cascade.client.js';
import { describeFailure } from '../errors/describe-failure.js';
import { CascadeRateLimitError } from '../errors/cascade-api.error.js';
import { isRetryable, retryAfterMs } from '../retry/retry-policy.js';
import { SCHEDULE_CLOCK_SKEW_MS, parseIsoDateTime } from '../validation/message-rules.js';
import { Batcher } from './batcher.js';
import type { CampaignStore } from './campaign-store.js';
import {
  CASCADE_CAMPAIGN_STORE,
  CASCADE_QUEUE,
  CASCADE_QUEUE_CONFIG,
} from './cascade-queue.constants.js';
import type { CascadeJobData, ResolvedQueueOptions } from './cascade-queue.options.js';

/** A message whose time came while it waited in the queue goes now, not refused as past. */
function dueNow(message: Record<string, unknown>): Record<string, unknown> {
  const at = message.scheduledSent;
  if (typeof at !== 'string' || parseIsoDateTime(at, true) > Date.now() - SCHEDULE_CLOCK_SKEW_MS) {
    return message;
  }
  const now = { ...message };
  delete now.scheduledSent;
  return now;
}

/**
 * Sends queued messages through the request client, in batches, under the queue's one rate limit.
 * BullMQ owns the retries: a retryable failure goes back with exponential backoff (a 429 waits
 * its `Retry-After`, uncharged), a permanent one (a 400) fails at once with its reason, kept for
 * inspection and replay.
 */
@Injectable()
export class CascadeQueueWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CascadeQueueWorker.name);
  private worker?: Worker<CascadeJobData>;
  private readonly batcher: Batcher;

  constructor(
    private readonly client: CascadeClient,
    // The module's retry policy decides what is worth another attempt, here as for a send.
    @Inject(CASCADE_CONFIG) private readonly config: CascadeConfig,
    @Inject(CASCADE_QUEUE) private readonly queue: Queue<CascadeJobData>,
    @Inject(CASCADE_QUEUE_CONFIG) private readonly options: ResolvedQueueOptions,
    @Inject(CASCADE_CAMPAIGN_STORE) private readonly store: CampaignStore,
  ) {
    const { endpoint, batchSize, lingerMs } = options;
    // The producer checked every message. One attempt per job run: the queue's own attempts
    // are the retries, so the two never multiply.
    const send = (messages: Record<string, unknown>[]) =>
      firstValueFrom(this.client.send$(endpoint, messages, { retry: false }));
    this.batcher = new Batcher(send, batchSize, lingerMs);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.worker) return;
    const { queueName, connection, batchSize, ratePerSecond, lockDurationMs } = this.options;
    this.worker = new Worker<CascadeJobData>(queueName, (job, token) => this.process(job, token), {
      connection,
      prefix: this.queue.opts.prefix,
      // Enough jobs held at once to fill two batches: one in flight, one gathering.
      concurrency: batchSize * 2,
      lockDuration: lockDurationMs,
      stalledInterval: Math.max(1000, lockDurationMs / 2),
      maxStalledCount: 3,
      ...(ratePerSecond !== undefined && { limiter: { max: ratePerSecond, duration: 1000 } }),
    });
    this.worker.on('error', (error) => this.logger.warn(`Worker: ${error.message}`));
    // Connected before the app counts as started, so a quick start and stop closes cleanly.
    await this.worker.waitUntilReady();
  }

  private async process(job: Job<CascadeJobData>, token?: string): Promise<{ messageId: string }> {
    const { message, campaignId } = job.data;
    let messageId: string;
    try {
      ({ messageId } = await this.batcher.submit(dueNow(message)));
    } catch (error) {
      throw await this.failure(job, error, token);
    }
    // Should Redis fail here, the attempt fails and its retry sends again: a counted duplicate.
    if (campaignId) await this.store.accepted(campaignId, String(message.id), messageId);
    return { messageId };
  }

  /** What to throw for a failed send: BullMQ retries it, or files it failed for good. */
  private async failure(job: Job<CascadeJobData>, error: unknown, token?: string): Promise<Error> {
    const reason = `${describeFailure(error)}: ${(error as Error).message}`;
    if (error instanceof CascadeRateLimitError) {
      // Back off for as long as the API asked, without charging the job an attempt.
      await job.moveToDelayed(Date.now() + (retryAfterMs(error) ?? this.options.backoffMs), token);
      return new DelayedError();
    }
    const retryable = isRetryable(error, this.config.retry);
    const last = !retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const { campaignId, message } = job.data;
    if (last && campaignId) await this.store.failed(campaignId, String(message.id), reason);
    return retryable ? new Error(reason) : new UnrecoverableError(reason);
  }

  /**
   * Stops taking jobs, sends what it holds, and waits for those jobs to finish: before the
   * queue's connection and the HTTP client close, which their results still need.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const closing = this.worker?.close();
    this.batcher.flush();
    await closing;
  }
}
