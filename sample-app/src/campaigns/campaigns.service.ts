import { randomUUID } from 'node:crypto';
import {
  BadRequestException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationShutdown,
  Optional,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  type CascadeBulkProgress,
  type CascadeBulkReport,
  CascadeService,
} from 'nestjs-smsbat-cascade';
import { CascadeQueueProducer, type CascadeQueueCampaign } from 'nestjs-smsbat-cascade/queue';
import type { Settings } from '../settings/settings.js';
import { type CampaignDto, MAX_CAMPAIGN_HOURS } from './campaign.dto.js';

export interface Campaign {
  id: string;
  state: 'running' | 'finished' | 'failed' | 'queued';
  startedAt?: string;
  /** In-process mode: progress, and the report once done. */
  progress?: CascadeBulkProgress;
  report?: CascadeBulkReport;
  error?: string;
  /** Queue mode: the account every instance shares. */
  account?: CascadeQueueCampaign;
}

/** What the queue sets for every campaign alike, so one campaign may not ask for its own. */
const QUEUE_WIDE = ['endpoint', 'batchSize', 'ratePerSecond'] as const;

/**
 * Runs campaigns: in this process through `sendBulk`, or, in queue mode (REDIS_URL set), through
 * the queue, where the workers of every instance send them and any instance can report on them.
 * In this process, at most MAX_RUNNING_CAMPAIGNS run at once, and the last
 * KEPT_FINISHED_CAMPAIGNS finished ones are remembered.
 */
@Injectable()
export class CampaignsService implements OnApplicationShutdown {
  private readonly logger = new Logger(CampaignsService.name);
  private readonly campaigns = new Map<string, Campaign>();
  /** Finished campaigns' ids, oldest first: the first to be forgotten. */
  private readonly finished: string[] = [];
  private running = 0;
  private readonly maxRunning: number;
  private readonly kept: number;
  private readonly stop = new AbortController();

  constructor(
    private readonly cascade: CascadeService,
    config: ConfigService<Settings, true>,
    // Provided in queue mode only (QueueModeModule).
    @Optional() @Inject(CascadeQueueProducer) private readonly queue?: CascadeQueueProducer,
  ) {
    this.maxRunning = config.get('MAX_RUNNING_CAMPAIGNS', { infer: true });
    this.kept = config.get('KEPT_FINISHED_CAMPAIGNS', { infer: true });
  }

  async start({ messages, ...options }: CampaignDto): Promise<Campaign> {
    if (this.queue) {
      const set = QUEUE_WIDE.filter((option) => options[option] !== undefined);
      if (set.length > 0) {
        throw new BadRequestException(
          `${set.join(', ')}: not set per campaign in queue mode, where the queue sends every ` +
            'campaign to the standard endpoint at its own batch size and QUEUE_RATE_PER_SECOND',
        );
      }
      const { campaignId } = await this.queue.enqueueCampaign(messages);
      return { id: campaignId, state: 'queued' };
    }
    checkDuration(messages.length, options.ratePerSecond);
    if (this.running >= this.maxRunning) {
      throw new ServiceUnavailableException(
        `${this.running} campaigns are running, the most this service runs at once; ` +
          'start this one when one of them has finished',
      );
    }
    const campaign: Campaign = {
      id: randomUUID(),
      state: 'running',
      startedAt: new Date().toISOString(),
    };
    this.campaigns.set(campaign.id, campaign);
    this.running++;
    this.cascade
      .sendBulk(messages, {
        ...options,
        signal: this.stop.signal,
        onProgress: (progress) => (campaign.progress = progress),
      })
      .then(
        (report) => {
          Object.assign(campaign, { state: 'finished', report });
          const { accepted, failed } = report.counts;
          this.logger.log(`Campaign ${campaign.id}: ${accepted} accepted, ${failed} failed`);
        },
        (error: unknown) =>
          Object.assign(campaign, { state: 'failed', error: (error as Error).message }),
      )
      .finally(() => this.retire(campaign.id));
    return campaign;
  }

  async get(id: string): Promise<Campaign> {
    if (this.queue) {
      const account = await this.queue.campaign(id);
      if (!account) throw new NotFoundException(`No campaign ${id}`);
      return { id, state: account.pending === 0 ? 'finished' : 'running', account };
    }
    const campaign = this.campaigns.get(id);
    if (!campaign) throw new NotFoundException(`No campaign ${id}`);
    return campaign;
  }

  /** Frees a running slot, and forgets the oldest finished campaigns beyond those kept. */
  private retire(id: string): void {
    this.running--;
    this.finished.push(id);
    while (this.finished.length > this.kept) this.campaigns.delete(this.finished.shift()!);
  }

  /** In-process campaigns stop with the app: batches in flight finish, their reports say what was left. */
  onApplicationShutdown(): void {
    this.stop.abort();
  }
}

/** Refuses a rate at which the campaign would take more than MAX_CAMPAIGN_HOURS. */
function checkDuration(count: number, ratePerSecond: number | undefined): void {
  if (ratePerSecond === undefined) return;
  const slowest = count / (MAX_CAMPAIGN_HOURS * 3600);
  if (ratePerSecond < slowest) {
    throw new BadRequestException(
      `ratePerSecond is too low: a campaign may take at most ${MAX_CAMPAIGN_HOURS} hours, ` +
        `which for this one takes at least ${Math.ceil(slowest * 1e6) / 1e6} messages a second`,
    );
  }
}
