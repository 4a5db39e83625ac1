import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { MAX_MESSAGES_PER_CALL } from '../cascade.constants.js';
import { quote } from '../redact.js';
import type { CascadeBulkSource } from '../types/bulk.types.js';
import { CampaignAdmissions } from '../bulk/campaign-admission.js';
import type { CascadeMessage } from '../types/message.types.js';
import { assertValidCall } from '../validation/validate-messages.js';
import { type CampaignStore, type CascadeQueueCampaign } from './campaign-store.js';
import {
  CASCADE_CAMPAIGN_STORE,
  CASCADE_QUEUE,
  CASCADE_QUEUE_CONFIG,
} from './cascade-queue.constants.js';
import type { CascadeJobData, ResolvedQueueOptions } from './cascade-queue.options.js';
import { jobIdOf } from './job-ids.js';

export interface CascadeEnqueued {
  /** The job id of each message put on the queue. */
  jobIds: string[];
  /** The tracking ids already on the queue (or sent within its retention): not added again. */
  duplicates: string[];
}

export interface CascadeCampaignEnqueued {
  campaignId: string;
  enqueued: number;
  /** Invalid messages and repeated tracking ids, refused with their reason. */
  rejected: number;
}

/**
 * Puts messages and whole campaigns on the queue for the workers of every instance to send. A
 * message's tracking id is its job id, so enqueuing the same message twice sends it once.
 */
@Injectable()
export class CascadeQueueProducer {
  constructor(
    @Inject(CASCADE_QUEUE) private readonly queue: Queue<CascadeJobData>,
    @Inject(CASCADE_QUEUE_CONFIG) private readonly options: ResolvedQueueOptions,
    @Inject(CASCADE_CAMPAIGN_STORE) private readonly store: CampaignStore,
  ) {}

  /** Enqueues one message or up to 1000, all or nothing: an invalid one fails the call. */
  async enqueue(input: CascadeMessage | readonly CascadeMessage[]): Promise<CascadeEnqueued> {
    const messages: readonly unknown[] = Array.isArray(input) ? input : [input];
    assertValidCall(messages, { now: Date.now(), requireZone: true });
    return this.add(messages as Record<string, unknown>[]);
  }

  /**
   * Enqueues a campaign of any size from an array, an iterable or an async iterable, a chunk at
   * a time. Invalid messages and repeated tracking ids are refused with their reason, in the
   * campaign's account (`campaign(campaignId)`), and hold back no other.
   */
  async enqueueCampaign(
    source: CascadeBulkSource,
    { campaignId = randomUUID() }: { campaignId?: string } = {},
  ): Promise<CascadeCampaignEnqueued> {
    const admissions = new CampaignAdmissions();
    let chunk: { index: number; message: Record<string, unknown> }[] = [];
    let rejected: Record<string, string> = {};
    let index = 0;
    const totals = { campaignId, enqueued: 0, rejected: 0 };
    const flush = async () => {
      const { duplicates, jobIds } = await this.add(
        chunk.map((entry) => entry.message),
        campaignId,
      );
      const queued = new Set(duplicates);
      for (const { index: at, message } of chunk) {
        if (queued.has(String(message.id))) {
          rejected[`#${at}`] =
            `ALREADY_QUEUED: ${quote(String(message.id), 64)} is on the queue already`;
        }
      }
      await this.store.addEnqueued(campaignId, jobIds.length, rejected);
      totals.enqueued += jobIds.length;
      totals.rejected += Object.keys(rejected).length;
      chunk = [];
      rejected = {};
    };
    for await (const message of source) {
      const refusal = admissions.admit(message, index);
      if (refusal) rejected[`#${index}`] = `${refusal.code}: ${refusal.reason}`;
      else chunk.push({ index, message: message as Record<string, unknown> });
      index++;
      if (index % MAX_MESSAGES_PER_CALL === 0) admissions.tick();
      if (chunk.length + Object.keys(rejected).length >= MAX_MESSAGES_PER_CALL) await flush();
    }
    await flush();
    return totals;
  }

  /** A campaign's counts, results and failures, as any instance sees them. */
  campaign(campaignId: string): Promise<CascadeQueueCampaign | undefined> {
    return this.store.read(campaignId);
  }

  /** Puts failed messages back on the queue (of one campaign, or all); resolves how many. */
  async replayFailed(campaignId?: string): Promise<number> {
    const failed: Job<CascadeJobData>[] = await this.queue.getFailed();
    const replay = failed.filter(
      (job) => campaignId === undefined || job.data.campaignId === campaignId,
    );
    for (const job of replay) {
      if (job.data.campaignId)
        await this.store.replayed(job.data.campaignId, String(job.data.message.id));
      await job.retry('failed');
    }
    return replay.length;
  }

  private async add(
    messages: Record<string, unknown>[],
    campaignId?: string,
  ): Promise<CascadeEnqueued> {
    const ids = messages.map((message) => String(message.id));
    // Only the report needs this look-up: adding is idempotent by job id anyway.
    const exists = await this.queue.client.then((client) => {
      const pipeline = client.pipeline();
      for (const id of ids)
        pipeline.runCommand('exists', [`${this.queue.qualifiedName}:${jobIdOf(id)}`]);
      return pipeline.exec();
    });
    const duplicates = ids.filter((_, i) => exists?.[i]?.[1] === 1);
    const fresh = messages.filter((_, i) => exists?.[i]?.[1] !== 1);
    const { attempts, backoffMs, keepCompletedMs, keepFailedMs } = this.options;
    const jobs = await this.queue.addBulk(
      fresh.map((message) => ({
        name: 'message',
        data: { message, ...(campaignId && { campaignId }) },
        opts: {
          jobId: jobIdOf(String(message.id)),
          attempts,
          backoff: { type: 'exponential', delay: backoffMs },
          removeOnComplete: { age: Math.ceil(keepCompletedMs / 1000) },
          removeOnFail: { age: Math.ceil(keepFailedMs / 1000) },
        },
      })),
    );
    return { jobIds: jobs.map((job) => job.id!), duplicates };
  }
}
