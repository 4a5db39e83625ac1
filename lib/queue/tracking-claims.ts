import type { CampaignStore } from './campaign-store.js';
import type { QueueRedis } from './queue-redis.js';

/** This job holds the message's tracking id. */
export const HELD = 1;
/** This job holds it, and its campaign already recorded it accepted: not to be sent again. */
export const ACCEPTED = 2;

/**
 * What a claim says of a message: `HELD`, `ACCEPTED`, or, when another job holds its tracking
 * id (a duplicate, not to be sent by this job), that job's id (`''` for an id repeated within
 * the one claim).
 */
export type Claim = typeof HELD | typeof ACCEPTED | string;

export const heldElsewhere = (claim: Claim): claim is string => typeof claim === 'string';

// KEYS: the campaign's counts and results (unused without a campaign), then one tracking-id key
// per message. ARGV: retention in ms, '1' for a campaign, the length of the tracking-id keys'
// prefix, then the job id of each message. A tracking id is held by the first job to claim it,
// for the retention; a repeat within one call is not held twice.
const CLAIM = `
local ttl, campaign, cut = ARGV[1], ARGV[2] == '1', tonumber(ARGV[3]) + 1
local verdicts, seen, claimed = {}, {}, 0
for i = 3, #KEYS do
  local key, job, verdict = KEYS[i], ARGV[i + 1], ''
  if not seen[key] then
    seen[key] = true
    if redis.call('SET', key, job, 'NX', 'PX', ttl) then
      claimed = claimed + 1
      verdict = 1
    else
      verdict = redis.call('GET', key)
      if verdict == job then verdict = 1 end
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

  /** Claims the tracking ids of each job for it; says, in order, how each message fared. */
  async claim(
    jobs: readonly { jobId: string; trackingIds: readonly string[] }[],
    campaignId?: string,
  ): Promise<Claim[]> {
    const account = campaignId ?? '-';
    const keys = [this.store.key(account, 'counts'), this.store.key(account, 'results')];
    const args: (string | number)[] = [
      this.retentionMs,
      campaignId === undefined ? '0' : '1',
      this.prefix.length,
    ];
    for (const { jobId, trackingIds } of jobs) {
      for (const trackingId of trackingIds) {
        keys.push(this.prefix + trackingId);
        args.push(jobId);
      }
    }
    if (keys.length === 2) return [];
    return (await this.claimScript(keys, args)) as Claim[];
  }
}
