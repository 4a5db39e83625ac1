import type { CampaignStore } from './campaign-store.js';
import type { QueueRedis } from './queue-redis.js';

/** What a claim says of each message of a job. */
export const Claim = {
  /** Another job holds its tracking id: a duplicate, not to be sent by this job. */
  Elsewhere: 0,
  /** This job holds its tracking id. */
  Held: 1,
  /** This job holds it and its campaign already recorded it accepted: not to be sent again. */
  Accepted: 2,
} as const;
export type Claim = (typeof Claim)[keyof typeof Claim];

// KEYS: the campaign's counts and results (unused without a campaign), then one tracking-id key
// per message. ARGV: retention in ms, '1' for a campaign, the length of the tracking-id keys'
// prefix, then the job id of each message. A tracking id is held by the first job to claim it,
// for the retention; a repeat within one call is not held twice.
const CLAIM = `
local ttl, campaign, cut = ARGV[1], ARGV[2] == '1', tonumber(ARGV[3]) + 1
local verdicts, seen, claimed = {}, {}, 0
for i = 3, #KEYS do
  local key, job, verdict = KEYS[i], ARGV[i + 1], 0
  if not seen[key] then
    seen[key] = true
    if redis.call('SET', key, job, 'NX', 'PX', ttl) then
      claimed = claimed + 1
      verdict = 1
    elseif redis.call('GET', key) == job then
      verdict = 1
    end
    if verdict == 1 and campaign and redis.call('HEXISTS', KEYS[2], string.sub(key, cut)) == 1 then
      verdict = 2
    end
  end
  verdicts[#verdicts + 1] = verdict
end
if campaign then
  redis.call('HINCRBY', KEYS[1], 'enqueued', claimed)
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return verdicts`;

/**
 * Exactly once by tracking id, across every producer and worker: a tracking id belongs to the
 * first job that claims it, for `keepCompletedMs`, in one key per id that expires by itself. The
 * producer claims after adding its jobs (to report duplicates), and a worker claims again before
 * it sends (so a job added by a producer that died before claiming is still sent once, and a
 * duplicate it carries is not). A message is counted enqueued in its campaign by whoever claims
 * it first.
 */
export class TrackingClaims {
  private readonly claimScript;
  private readonly prefix: string;

  constructor(
    private readonly redis: QueueRedis,
    private readonly store: CampaignStore,
    private readonly retentionMs: number,
  ) {
    this.claimScript = redis.script('cascadeClaim', CLAIM);
    this.prefix = `${redis.base}:tid:`;
  }

  /** Claims each tracking id for the job given alongside it; says, in order, how each fared. */
  async claim(
    entries: readonly { trackingId: string; jobId: string }[],
    campaignId?: string,
  ): Promise<Claim[]> {
    if (entries.length === 0) return [];
    const account = campaignId ?? '-';
    const keys = [
      this.store.key(account, 'counts'),
      this.store.key(account, 'results'),
      ...entries.map(({ trackingId }) => this.prefix + trackingId),
    ];
    const args = [
      this.retentionMs,
      campaignId === undefined ? '0' : '1',
      this.prefix.length,
      ...entries.map(({ jobId }) => jobId),
    ];
    return (await this.claimScript(keys, args)) as Claim[];
  }
}
