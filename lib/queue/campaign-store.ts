import type { IRedisClient } from 'bullmq';

/** A campaign's account, read from Redis by any instance. */
export interface CascadeQueueCampaign {
  campaignId: string;
  /** Messages put on the queue. */
  enqueued: number;
  /** Messages refused when enqueued: invalid, or a tracking id already queued. */
  rejected: number;
  accepted: number;
  failed: number;
  /** Enqueued, with no outcome yet. */
  pending: number;
  /** Sends of a message after its first was recorded accepted (after a worker died mid-send). */
  duplicates: number;
  /** `messageId` by tracking id. */
  results: Record<string, string>;
  /** Why each message did not go: by tracking id, or `#index` for one refused when enqueued. */
  failures: Record<string, string>;
}

/**
 * Keeps each campaign's counts, results and failures in Redis hashes, so any instance can read
 * them and every worker adds to the same account.
 */
export class CampaignStore {
  constructor(
    private readonly redis: IRedisClient,
    private readonly prefix: string,
  ) {}

  private key(campaignId: string, part: 'counts' | 'results' | 'failures') {
    return `${this.prefix}:campaign:${campaignId}:${part}`;
  }

  private count(campaignId: string, field: string, by: number): [string, unknown[]] {
    return ['hincrby', [this.key(campaignId, 'counts'), field, by]];
  }

  async addEnqueued(campaignId: string, enqueued: number, rejected: Record<string, string>) {
    const refused = Object.keys(rejected).length;
    const multi = this.redis
      .multi()
      .runCommand(...this.count(campaignId, 'enqueued', enqueued))
      .runCommand(...this.count(campaignId, 'rejected', refused));
    if (refused > 0) multi.hset(this.key(campaignId, 'failures'), rejected);
    await multi.exec();
  }

  /** Records a message accepted; a second record of the same one counts as a duplicate send. */
  async accepted(campaignId: string, trackingId: string, messageId: string): Promise<void> {
    const first = await this.redis.runCommand('hsetnx', [
      this.key(campaignId, 'results'),
      trackingId,
      messageId,
    ]);
    await this.redis.runCommand(...this.count(campaignId, first ? 'accepted' : 'duplicates', 1));
  }

  async failed(campaignId: string, trackingId: string, reason: string): Promise<void> {
    await this.redis
      .multi()
      .runCommand(...this.count(campaignId, 'failed', 1))
      .hset(this.key(campaignId, 'failures'), { [trackingId]: reason })
      .exec();
  }

  /** Moves a replayed message out of the failed count. */
  async replayed(campaignId: string, trackingId: string): Promise<void> {
    await this.redis
      .multi()
      .runCommand(...this.count(campaignId, 'failed', -1))
      .runCommand('hdel', [this.key(campaignId, 'failures'), trackingId])
      .exec();
  }

  async read(campaignId: string): Promise<CascadeQueueCampaign | undefined> {
    const [counts, results, failures] = await Promise.all([
      this.redis.hgetall(this.key(campaignId, 'counts')),
      this.redis.hgetall(this.key(campaignId, 'results')),
      this.redis.hgetall(this.key(campaignId, 'failures')),
    ]);
    if (Object.keys(counts).length === 0) return undefined;
    const n = (field: string) => Number(counts[field] ?? 0);
    return {
      campaignId,
      enqueued: n('enqueued'),
      rejected: n('rejected'),
      accepted: n('accepted'),
      failed: n('failed'),
      pending: n('enqueued') - n('accepted') - n('failed'),
      duplicates: n('duplicates'),
      results,
      failures,
    };
  }
}
