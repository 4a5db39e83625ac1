import { randomUUID } from 'node:crypto';
import { Injectable, Logger, NotFoundException, type OnApplicationShutdown } from '@nestjs/common';
import {
  type CascadeBulkProgress,
  type CascadeBulkReport,
  CascadeService,
} from 'nestjs-smsbat-cascade';
import type { CampaignDto } from './campaign.dto.js';

export interface Campaign {
  id: string;
  state: 'running' | 'finished' | 'failed';
  startedAt: string;
  progress?: CascadeBulkProgress;
  report?: CascadeBulkReport;
  error?: string;
}

/** How many campaigns are remembered: the oldest finished ones are forgotten first. */
const KEPT = 100;

/** Runs campaigns in the background and keeps their progress and reports for `GET /campaigns/:id`. */
@Injectable()
export class CampaignsService implements OnApplicationShutdown {
  private readonly logger = new Logger(CampaignsService.name);
  private readonly campaigns = new Map<string, Campaign>();
  private readonly stop = new AbortController();

  constructor(private readonly cascade: CascadeService) {}

  start({ messages, ...options }: CampaignDto): Campaign {
    const campaign: Campaign = {
      id: randomUUID(),
      state: 'running',
      startedAt: new Date().toISOString(),
    };
    this.remember(campaign);
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
        (error: unknown) => {
          Object.assign(campaign, { state: 'failed', error: (error as Error).message });
        },
      );
    return campaign;
  }

  get(id: string): Campaign {
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

  /** Campaigns stop with the app: batches in flight finish, and their reports say what was left. */
  onApplicationShutdown(): void {
    this.stop.abort();
  }
}
