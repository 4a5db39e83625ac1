import { randomUUID } from 'node:crypto';
import {
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import {
  type CascadeBulkProgress,
  type CascadeBulkReport,
  CascadeService,
} from 'nestjs-smsbat-cascade';
import { CascadeQueueProducer, type CascadeQueueCampaign } from 'nestjs-smsbat-cascade/queue';
import type { CampaignDto } from './campaign.dto.js';

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

/** How many in-process campaigns are remembered: the oldest finished ones are forgotten first. */
const KEPT = 100;

/**
 * Runs campaigns: in this process through `sendBulk`, or, in queue mode (REDIS_URL set), through
 * the queue, where the workers of every instance send them and any instance can report on them.
 */
@Injectable()
export class CampaignsService implements OnApplicationShutdown {
  private readonly logger = new Logger(CampaignsService.name);
  private readonly campaigns = new Map<string, Campaign>();
  private readonly stop = new AbortController();

  constructor(
    private readonly cascade: CascadeService,
    @Optional() private readonly queue?: CascadeQueueProducer,
  ) {}

  async start({ messages, endpoint, ...options }: CampaignDto): Promise<Campaign> {
    if (this.queue) {
      const { campaignId } = await this.queue.enqueueCampaign(messages);
      return { id: campaignId, state: 'queued' };
    }
    const campaign: Campaign = {
      id: randomUUID(),
      state: 'running',
      startedAt: new Date().toISOString(),
    };
    this.remember(campaign);
    this.cascade
      .sendBulk(messages, {
        ...options,
        endpoint,
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
      );
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

  private remember(campaign: Campaign): void {
    this.campaigns.set(campaign.id, campaign);
    for (const [id, old] of this.campaigns) {
      if (this.campaigns.size <= KEPT) break;
      if (old.state !== 'running') this.campaigns.delete(id);
    }
  }

  /** In-process campaigns stop with the app: batches in flight finish, their reports say what was left. */
  onApplicationShutdown(): void {
    this.stop.abort();
  }
}
