import type { QueueRedis } from './queue-redis.js';

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

// Every script runs atomically, changes nothing when run twice with the same arguments (a
// command resent after a dropped connection), and renews the account's expiry.
// KEYS: counts, results (or failures). ARGV: retention in ms, then the pairs to record.

/** Records accepted messages; a second, different `messageId` for one counts as a duplicate. */
const ACCEPTED = `
local duplicates = 0
for i = 2, #ARGV, 2 do
  if redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1]) == 0
    and redis.call('HGET', KEYS[2], ARGV[i]) ~= ARGV[i + 1] then
    duplicates = duplicates + 1
  end
end
redis.call('HINCRBY', KEYS[1], 'duplicates', duplicates)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return duplicates`;

/** Records reasons (by tracking id, or '#index'), counting new ones under the field ARGV[2]. */
const REFUSED = `
local added = 0
for i = 3, #ARGV, 2 do added = added + redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('HINCRBY', KEYS[1], ARGV[2], added)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
if added > 0 or redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[1]) end
return added`;

/** Takes replayed messages out of the failed count. */
const REPLAYED = `
local removed = 0
for i = 2, #ARGV do removed = removed + redis.call('HDEL', KEYS[2], ARGV[i]) end
redis.call('HINCRBY', KEYS[1], 'failed', -removed)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return removed`;

type Part = 'counts' | 'results' | 'failures';

/**
 * Keeps each campaign's counts, results and failures in three Redis hashes, so any instance can
 * read them and every worker adds to the same account. They expire `keepCompletedMs` after the
 * campaign's last change. `enqueued` is counted where a message's tracking id is claimed (see
 * `TrackingClaims`).
 */
export class CampaignStore {
  private readonly accept;
  private readonly refuse;
  private readonly replay;

  constructor(
    private readonly redis: QueueRedis,
    private readonly retentionMs: number,
  ) {
    this.accept = redis.script('cascadeAccepted', ACCEPTED);
    this.refuse = redis.script('cascadeRefused', REFUSED);
    this.replay = redis.script('cascadeReplayed', REPLAYED);
  }

  key(campaignId: string, part: Part): string {
    return `${this.redis.base}:campaign:${campaignId}:${part}`;
  }

  /** Opens an account, so that a campaign with no message yet reads as one. */
  async open(campaignId: string): Promise<void> {
    await this.refuse(
      [this.key(campaignId, 'counts'), this.key(campaignId, 'failures')],
      [this.retentionMs, 'enqueued'],
    );
  }

  /** Records accepted messages: `messageId` by tracking id. */
  async accepted(campaignId: string, results: Record<string, string>): Promise<void> {
    await this.accept(
      [this.key(campaignId, 'counts'), this.key(campaignId, 'results')],
      [this.retentionMs, ...Object.entries(results).flat()],
    );
  }

  /** Records messages failed for good, with their reasons, by tracking id. */
  async failed(campaignId: string, reasons: Record<string, string>): Promise<void> {
    await this.reasons(campaignId, 'failed', reasons);
  }

  /** Records messages refused when enqueued, with their reasons, by `#index`. */
  async rejected(campaignId: string, reasons: Record<string, string>): Promise<void> {
    await this.reasons(campaignId, 'rejected', reasons);
  }

  private async reasons(campaignId: string, count: string, reasons: Record<string, string>) {
    if (Object.keys(reasons).length === 0) return;
    await this.refuse(
      [this.key(campaignId, 'counts'), this.key(campaignId, 'failures')],
      [this.retentionMs, count, ...Object.entries(reasons).flat()],
    );
  }

  /** Takes replayed messages out of the failed count. */
  async replayed(campaignId: string, trackingIds: string[]): Promise<void> {
    await this.replay(
      [this.key(campaignId, 'counts'), this.key(campaignId, 'failures')],
      [this.retentionMs, ...trackingIds],
    );
  }

  async read(campaignId: string): Promise<CascadeQueueCampaign | undefined> {
    const replies = await this.redis.client
      .multi()
      .hgetall(this.key(campaignId, 'counts'))
      .hgetall(this.key(campaignId, 'results'))
      .hgetall(this.key(campaignId, 'failures'))
      .exec();
    const [counts, results, failures] = (replies ?? []).map(([error, value]) => {
      if (error) throw error;
      return value as Record<string, string>;
    });
    if (!counts || Object.keys(counts).length === 0) return undefined;
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
