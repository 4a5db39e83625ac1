import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Worker } from 'bullmq';
import { firstValueFrom } from 'rxjs';
import { CASCADE_CONFIG } from '../cascade.constants.js';
import { CascadeClient } from '../client/cascade.client.js';
import { quote } from '../redact.js';
import type { CascadeConfig } from '../types/options.types.js';
import { BatchRun, type BatchRunContext } from './batch-run.js';
import type { QueuedMessage } from './batches.js';
import { CampaignStore } from './campaign-store.js';
import { CASCADE_QUEUE_CONFIG } from './cascade-queue.constants.js';
import type {
  CascadeJobData,
  CascadeJobResult,
  ResolvedQueueOptions,
} from './cascade-queue.options.js';
import { QueueRedis, workerConnection } from './queue-redis.js';
import { SharedRateLimit } from './shared-rate-limit.js';
import { TrackingClaims } from './tracking-claims.js';

/**
 * Sends queued batches through the request client, under the queue's one rate limit, with up
 * to `concurrency` jobs (so API calls) in flight. BullMQ owns the retries and hands a dead
 * worker's jobs to another; each run is a `BatchRun`.
 */
@Injectable()
export class CascadeQueueWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CascadeQueueWorker.name);
  private worker?: Worker<CascadeJobData, CascadeJobResult>;
  private closing = false;
  private readonly context: BatchRunContext;

  constructor(
    client: CascadeClient,
    // The module's retry policy decides what is worth another attempt, here as for a send.
    @Inject(CASCADE_CONFIG) config: CascadeConfig,
    @Inject(CASCADE_QUEUE_CONFIG) private readonly options: ResolvedQueueOptions,
    redis: QueueRedis,
    store: CampaignStore,
    claims: TrackingClaims,
  ) {
    const { endpoint, ratePerSecond } = options;
    this.context = {
      options,
      retry: config.retry,
      // The producer checked every message. One attempt per call: the queue's own attempts are
      // the retries, so the two never multiply.
      send: (messages: QueuedMessage[]) =>
        firstValueFrom(client.post$(endpoint, messages, { retry: false })),
      limit: new SharedRateLimit(redis, ratePerSecond),
      store,
      claims,
      redis: (work) => redis.run('worker', work),
      closing: () => this.closing,
    };
  }

  /** Whether this instance's worker runs: `undefined` for a producer-only instance. */
  get running(): boolean | undefined {
    if (!this.options.worker) return undefined;
    return !this.closing && this.worker?.isRunning() === true;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.worker) return;
    const { queueName, prefix, concurrency, lockDurationMs } = this.options;
    this.worker = new Worker<CascadeJobData, CascadeJobResult>(
      queueName,
      (job, token) => new BatchRun(job, token, this.context).run(),
      {
        connection: workerConnection(this.options),
        prefix,
        concurrency,
        lockDuration: lockDurationMs,
        stalledInterval: Math.max(1000, lockDurationMs / 2),
        maxStalledCount: 3,
      },
    );
    // The connection reconnects by itself; an error left unheard would end the process.
    this.worker.on('error', (error) => this.logger.warn(`Worker: ${quote(error.message)}`));
    // Connected before the app counts as started, so a quick start and stop closes cleanly.
    await this.worker.waitUntilReady();
  }

  /**
   * Stops taking jobs and waits for those it holds to finish (a job waiting for the rate limit
   * moves to delayed instead): before the queue's connection and the HTTP client close, which
   * their results still need.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.worker?.close();
  }
}
