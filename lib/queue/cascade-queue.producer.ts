import { randomUUID } from 'node:crypto';
import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { Job, JobsOptions, Queue } from 'bullmq';
import { MAX_MESSAGES_PER_CALL } from '../cascade.constants.js';
import { CampaignAdmissions, REPEATED_ID_REASON } from '../bulk/campaign-admission.js';
import { CascadeConfigError } from '../errors/cascade.error.js';
import { quote } from '../redact.js';
import type { CascadeBulkSource } from '../types/bulk.types.js';
import type { CascadeMessage } from '../types/message.types.js';
import { assertValidCall } from '../validation/validate-messages.js';
import { chunk, type QueuedMessage, trackingIdOf } from './batches.js';
import { CampaignStore, type CascadeQueueCampaign } from './campaign-store.js';
import { CASCADE_QUEUE, CASCADE_QUEUE_CONFIG } from './cascade-queue.constants.js';
import type { CascadeJobData, ResolvedQueueOptions } from './cascade-queue.options.js';
import { QueueRedis } from './queue-redis.js';
import { heldElsewhere, TrackingClaims } from './tracking-claims.js';

export interface CascadeEnqueued {
  /** The ids of the jobs that carry the messages (a job carries up to `batchSize`). */
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

/** Admitted messages of a campaign, and their places in it. */
interface Group {
  indexes: number[];
  messages: QueuedMessage[];
}
/** A job added, and the tracking ids of its messages, in order. */
interface AddedJob {
  jobId: string;
  trackingIds: string[];
}

/** Calls of `enqueue` gathered into jobs, and the callers waiting for them. */
interface Gathering {
  messages: QueuedMessage[];
  callers: {
    count: number;
    resolve: (enqueued: CascadeEnqueued) => void;
    reject: (error: unknown) => void;
  }[];
  timer: NodeJS.Timeout;
}

/** About this many messages of a campaign are written to Redis at a time. */
const CAMPAIGN_GROUP_MESSAGES = 1000;
/** Groups of a campaign written at once. */
const MAX_WRITES_IN_FLIGHT = 2;
/** Failed jobs read at a time when replaying. */
const REPLAY_PAGE = 100;
const CAMPAIGN_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * Puts messages and whole campaigns on the queue, in jobs of up to `batchSize` messages, for the
 * workers of every instance to send. A tracking id is sent once however often, and from however
 * many instances, it is enqueued within `keepCompletedMs` (see `TrackingClaims`).
 */
@Injectable()
export class CascadeQueueProducer implements BeforeApplicationShutdown {
  private gathering?: Gathering;
  /** Gathered jobs being written, awaited on shutdown. */
  private readonly writing = new Set<Promise<void>>();

  constructor(
    @Inject(CASCADE_QUEUE) private readonly queue: Queue<CascadeJobData>,
    @Inject(CASCADE_QUEUE_CONFIG) private readonly options: ResolvedQueueOptions,
    private readonly redis: QueueRedis,
    private readonly store: CampaignStore,
    private readonly claims: TrackingClaims,
  ) {}

  /**
   * Enqueues one message or up to 1000, all or nothing: an invalid one fails the call. Calls made
   * within `lingerMs` of each other share jobs, so that the API still gets batches.
   */
  async enqueue(input: CascadeMessage | readonly CascadeMessage[]): Promise<CascadeEnqueued> {
    const messages: readonly unknown[] = Array.isArray(input) ? input : [input];
    assertValidCall(messages, { now: Date.now(), requireZone: true });
    return this.gather(messages as QueuedMessage[]);
  }

  /**
   * Enqueues a campaign of any size from an array, an iterable or an async iterable, a group at
   * a time. Invalid messages and repeated tracking ids are refused with their reason, in the
   * campaign's account (`campaign(campaignId)`), and hold back no other.
   */
  async enqueueCampaign(
    source: CascadeBulkSource,
    { campaignId = randomUUID() }: { campaignId?: string } = {},
  ): Promise<CascadeCampaignEnqueued> {
    if (typeof campaignId !== 'string' || !CAMPAIGN_ID.test(campaignId)) {
      throw new CascadeConfigError(
        'campaignId',
        'must be 1 to 128 characters: letters, digits, "_", ".", ":" or "-"',
      );
    }
    const operation = 'enqueueCampaign';
    await this.redis.run(operation, () => this.store.open(campaignId));
    const totals = { campaignId, enqueued: 0, rejected: 0 };
    const { batchSize } = this.options;
    const groupSize = Math.ceil(CAMPAIGN_GROUP_MESSAGES / batchSize) * batchSize;
    // The campaign's own jobs: a tracking id one of them holds repeats an earlier message.
    const ownJobs = new Set<string>();
    let claimed: Promise<unknown> = Promise.resolve();
    const write = async (group: Group, refused: Record<string, string>) => {
      const jobs = await this.addJobs(operation, group.messages, campaignId);
      for (const { jobId } of jobs) ownJobs.add(jobId);
      // Claims go in the campaign's order, so that the first of two repeats is the one sent.
      const claiming = claimed.then(() => this.claim(operation, jobs, campaignId));
      claimed = claiming.catch(() => undefined);
      const claims = await claiming;
      claims.forEach((claim, i) => {
        if (!heldElsewhere(claim)) totals.enqueued++;
        else if (ownJobs.has(claim)) {
          refused[`#${group.indexes[i]}`] = `DUPLICATE_ID: ${REPEATED_ID_REASON}`;
        } else {
          const id = quote(trackingIdOf(group.messages[i]), 64);
          refused[`#${group.indexes[i]}`] = `ALREADY_QUEUED: ${id} is on the queue already`;
        }
      });
      await this.redis.run(operation, () => this.store.rejected(campaignId, refused));
      totals.rejected += Object.keys(refused).length;
    };
    const writes: Promise<void>[] = [];
    let group: Group = { indexes: [], messages: [] };
    let refused: Record<string, string> = {};
    let refusedCount = 0;
    // Admitted a group at a time: a repeat across groups is found by its claim instead, so that
    // the tracking ids of a campaign of any size are never all held here.
    let admissions = new CampaignAdmissions();
    const flush = async () => {
      // Two groups are written while the next is read.
      if (writes.length === MAX_WRITES_IN_FLIGHT) await writes.shift();
      const writing = write(group, refused);
      // Heard now, thrown where awaited: a failure while the source is read must not go unheard.
      writing.catch(() => undefined);
      writes.push(writing);
      group = { indexes: [], messages: [] };
      refused = {};
      refusedCount = 0;
      admissions = new CampaignAdmissions();
    };
    let index = 0;
    for await (const message of source) {
      const refusal = admissions.admit(message, index);
      if (refusal) {
        refused[`#${index}`] = `${refusal.code}: ${refusal.reason}`;
        refusedCount++;
      } else {
        group.indexes.push(index);
        group.messages.push(message as Record<string, unknown>);
      }
      index++;
      if (index % MAX_MESSAGES_PER_CALL === 0) admissions.tick();
      if (group.messages.length >= groupSize || refusedCount >= groupSize) await flush();
    }
    await flush();
    for (const writing of writes) await writing;
    return totals;
  }

  /** A campaign's counts, results and failures, as any instance sees them. */
  async campaign(campaignId: string): Promise<CascadeQueueCampaign | undefined> {
    if (typeof campaignId !== 'string' || !CAMPAIGN_ID.test(campaignId)) return undefined;
    return this.redis.run('campaign', () => this.store.read(campaignId));
  }

  /** Puts failed messages back on the queue (of one campaign, or all); resolves how many. */
  async replayFailed(campaignId?: string): Promise<number> {
    const operation = 'replayFailed';
    let replayed = 0;
    for (let start = 0; ;) {
      const jobs: (Job<CascadeJobData> | undefined)[] = await this.redis.run(operation, () =>
        this.queue.getJobs(['failed'], start, start + REPLAY_PAGE - 1, true),
      );
      if (jobs.length === 0) return replayed;
      let moved = 0;
      for (const job of jobs) {
        if (!job || (campaignId !== undefined && job.data.campaignId !== campaignId)) continue;
        // Without its failures, so that the job sends its messages again.
        const data: CascadeJobData = { ...job.data, failed: undefined };
        const ids = data.messages.map(trackingIdOf);
        await this.redis.run(operation, async () => {
          await job.updateData(data);
          if (data.campaignId !== undefined) await this.store.replayed(data.campaignId, ids);
          await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        });
        replayed += ids.length;
        moved++;
      }
      start += jobs.length - moved;
    }
  }

  /** Writes what `enqueue` gathered before the app stops. */
  async beforeApplicationShutdown(): Promise<void> {
    this.flushGathered();
    await Promise.allSettled(this.writing);
  }

  private gather(messages: QueuedMessage[]): Promise<CascadeEnqueued> {
    return new Promise((resolve, reject) => {
      // A call's messages go in one write, so that it learns its outcome at once.
      const { batchSize, lingerMs } = this.options;
      if (this.gathering && this.gathering.messages.length + messages.length > batchSize) {
        this.flushGathered();
      }
      this.gathering ??= {
        messages: [],
        callers: [],
        timer: setTimeout(() => this.flushGathered(), lingerMs),
      };
      this.gathering.messages.push(...messages);
      this.gathering.callers.push({ count: messages.length, resolve, reject });
      if (this.gathering.messages.length >= batchSize) this.flushGathered();
    });
  }

  private flushGathered(): void {
    const gathering = this.gathering;
    if (!gathering) return;
    this.gathering = undefined;
    clearTimeout(gathering.timer);
    const written = this.add('enqueue', gathering.messages).then(
      ({ jobs, claims }) => {
        const jobIds = jobs.flatMap(({ jobId, trackingIds }) => trackingIds.map(() => jobId));
        let at = 0;
        for (const { count, resolve } of gathering.callers) {
          const enqueued: CascadeEnqueued = { jobIds: [], duplicates: [] };
          for (const end = at + count; at < end; at++) {
            if (heldElsewhere(claims[at]))
              enqueued.duplicates.push(trackingIdOf(gathering.messages[at]));
            else if (!enqueued.jobIds.includes(jobIds[at])) enqueued.jobIds.push(jobIds[at]);
          }
          resolve(enqueued);
        }
      },
      (error: unknown) => gathering.callers.forEach(({ reject }) => reject(error)),
    );
    this.writing.add(written);
    void written.finally(() => this.writing.delete(written));
  }

  /**
   * Adds messages in jobs of up to `batchSize`, then claims their tracking ids for those jobs:
   * in this order, so that a producer dying in between leaves jobs that their worker claims,
   * never claims with no job to send them.
   */
  private async add(operation: string, messages: QueuedMessage[]) {
    const jobs = await this.addJobs(operation, messages);
    return { jobs, claims: await this.claim(operation, jobs) };
  }

  /** Adds messages in jobs of up to `batchSize`. */
  private async addJobs(
    operation: string,
    messages: QueuedMessage[],
    campaignId?: string,
  ): Promise<AddedJob[]> {
    if (messages.length === 0) return [];
    const batches = chunk(messages, this.options.batchSize);
    const opts = this.jobOptions(campaignId);
    const jobs = await this.redis.run(operation, () =>
      this.queue.addBulk(
        batches.map((batch) => ({
          name: 'cascade-batch',
          data: { messages: batch, ...(campaignId !== undefined && { campaignId }) },
          opts,
        })),
      ),
    );
    return jobs.map((job, i) => ({ jobId: job.id!, trackingIds: batches[i].map(trackingIdOf) }));
  }

  private claim(operation: string, jobs: AddedJob[], campaignId?: string) {
    return this.redis.run(operation, () => this.claims.claim(jobs, campaignId));
  }

  private jobOptions(campaignId?: string): JobsOptions {
    const { attempts, backoffMs, keepCompletedMs, keepFailedMs } = this.options;
    return {
      attempts,
      backoff: { type: 'exponential', delay: backoffMs },
      // A campaign's results are in its account; a job of `enqueue` keeps them for a while.
      removeOnComplete: campaignId !== undefined || { age: Math.ceil(keepCompletedMs / 1000) },
      removeOnFail: { age: Math.ceil(keepFailedMs / 1000) },
    };
  }
}
