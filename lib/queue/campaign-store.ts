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

// KEYS: counts, results, failures. ARGV: tracking id, then a messageId or a reason. Each script
// runs atomically and changes nothing when run twice with the same arguments.
const ACCEPTED = `
local known = redis.call('HGET', KEYS[2], ARGV[1])
if not known then redis.call('HSET', KEYS[2], ARGV[1], ARGV[2]) return 1 end
if known ~= ARGV[2] then redis.call('HINCRBY', KEYS[1], 'duplicates', 1) end
return 0`;
const FAILED = `
if redis.call('HSET', KEYS[3], ARGV[1], ARGV[2]) == 1 then redis.call('HINCRBY', KEYS[1], 'failed', 1) end
return 0`;
const REPLAYED = `
if redis.call('HDEL', KEYS[3], ARGV[1]) == 1 then redis.call('HINCRBY', KEYS[1], 'failed', -1) end
return 0`;

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

  /**
   * Records a message accepted. Idempotent: a command the client resends after a dropped
   * connection carries the same `messageId` and changes nothing, while a second real send (a
   * new `messageId`) counts as a duplicate.
   */
  async accepted(campaignId: string, trackingId: string, messageId: string): Promise<void> {
    await this.script(ACCEPTED, campaignId, trackingId, messageId);
  }

  /** Records a message failed for good, with its reason; idempotent likewise. */
  async failed(campaignId: string, trackingId: string, reason: string): Promise<void> {
    await this.script(FAILED, campaignId, trackingId, reason);
  }

  /** Moves a replayed message out of the failed count. */
  async replayed(campaignId: string, trackingId: string): Promise<void> {
    await this.script(REPLAYED, campaignId, trackingId, '');
  }

  private script(lua: string, campaignId: string, trackingId: string, value: string) {
    const keys = [
      this.key(campaignId, 'counts'),
      this.key(campaignId, 'results'),
      this.key(campaignId, 'failures'),
    ];
    return this.redis.runCommand('eval', [lua, keys.length, ...keys, trackingId, value]);
  }

  async read(campaignId: string): Promise<CascadeQueueCampaign | undefined> {
    const [counts, results, failures] = await Promise.all([
      this.redis.hgetall(this.key(campaignId, 'counts')),
      this.redis.hgetall(this.key(campaignId, 'results')),
      this.redis.hgetall(this.key(campaignId, 'failures')),
    ]);
    if (Object.keys(counts).length === 0) return undefined;
    const n = (field: string) => Number(counts[field] ?? 0);
    const accepted = Object.keys(results).length;
    return {
      campaignId,
      enqueued: n('enqueued'),
      rejected: n('rejected'),
      accepted,
      failed: n('failed'),
      pending: n('enqueued') - accepted - n('failed'),
      duplicates: n('duplicates'),
      results,
      failures,
    };
  }
}
