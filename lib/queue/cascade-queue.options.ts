import type { Redis, RedisOptions } from 'ioredis';
import { CASCADE_ENDPOINTS, MAX_MESSAGES_PER_CALL } from '../cascade.constants.js';
import { CascadeConfigError } from '../errors/cascade.error.js';

/** What `CascadeQueueModule.forRoot` and `forRootAsync` take. */
export interface CascadeQueueModuleOptions {
  /** The Redis server: ioredis options (`{ host, port, password }`) or an ioredis instance. */
  connection: RedisOptions | Redis;
  /** The prefix of every Redis key of the queue (`bull`); `{name}` keeps them in one cluster slot. */
  prefix?: string;
  /** Which endpoint the workers send to (`standard`). */
  endpoint?: keyof typeof CASCADE_ENDPOINTS;
  /** Whether this instance runs a worker (true); a producer-only instance sets false. */
  worker?: boolean;
  /** One limit for every worker of the queue, in messages per second (none). */
  ratePerSecond?: number;
  /** The most messages one job, and so one API call, carries (100). */
  batchSize?: number;
  /** How long `enqueue` waits for other calls to fill a job before it adds what it has, in ms (20). */
  lingerMs?: number;
  /**
   * How many jobs, and so API calls, one worker has in flight (1). A worker killed mid-send may
   * have sent that many batches that are sent again.
   */
  concurrency?: number;
  /** How many times a message is tried before it fails for good (5). */
  attempts?: number;
  /** The first retry's delay, doubling after each (1000 ms). */
  backoffMs?: number;
  /** How long a job's lock lasts: a worker that dies is noticed after about this long (30 000 ms). */
  lockDurationMs?: number;
  /**
   * How long tracking ids are remembered (so a message enqueued again within it is not sent
   * again), campaign accounts are kept after their last change, and completed jobs of `enqueue`
   * are kept with their results (7 days).
   */
  keepCompletedMs?: number;
  /** How long failed jobs are kept for inspection and replay (30 days). */
  keepFailedMs?: number;
  /**
   * How long a call that needs Redis (`enqueue`, `enqueueCampaign`, `campaign`, `replayFailed`)
   * waits for an answer before it fails with `CascadeQueueUnavailableError` (3000 ms).
   */
  redisTimeoutMs?: number;
}

export interface ResolvedQueueOptions extends Required<
  Omit<CascadeQueueModuleOptions, 'ratePerSecond'>
> {
  queueName: string;
  ratePerSecond?: number;
}

const SECOND = 1000;
const DAY = 24 * 60 * 60 * SECOND;

/** Each whole-number option: its default, and the range it must fall in. */
const WHOLE_NUMBERS = {
  batchSize: { fallback: 100, min: 1, max: MAX_MESSAGES_PER_CALL, unit: '' },
  lingerMs: { fallback: 20, min: 0, max: 10 * SECOND, unit: ' ms' },
  concurrency: { fallback: 1, min: 1, max: 100, unit: '' },
  attempts: { fallback: 5, min: 1, max: 100, unit: '' },
  backoffMs: { fallback: SECOND, min: 1, max: DAY, unit: ' ms' },
  lockDurationMs: { fallback: 30 * SECOND, min: SECOND, max: DAY, unit: ' ms' },
  keepCompletedMs: { fallback: 7 * DAY, min: SECOND, max: 365 * DAY, unit: ' ms' },
  keepFailedMs: { fallback: 30 * DAY, min: SECOND, max: 365 * DAY, unit: ' ms' },
  redisTimeoutMs: { fallback: 3 * SECOND, min: 100, max: 10 * 60 * SECOND, unit: ' ms' },
} as const;

/** The highest shared limit: the vendor's 100 calls a second of 1000 messages each. */
export const MAX_RATE_PER_SECOND = 100_000;

const OPTIONS = new Set<string>([
  'connection',
  'prefix',
  'endpoint',
  'worker',
  'ratePerSecond',
  'queueName',
  ...Object.keys(WHOLE_NUMBERS),
]);

function wholeNumber(option: keyof typeof WHOLE_NUMBERS, value: unknown): number {
  const { fallback, min, max, unit } = WHOLE_NUMBERS[option];
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new CascadeConfigError(option, `must be a whole number from ${min} to ${max}${unit}`);
  }
  return value as number;
}

/** A Redis key part (queue name, prefix): printable, no `:` (BullMQ's separator), bounded. */
function keyPart(option: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^[\x21-\x39\x3b-\x7e]{1,100}$/.test(value)) {
    throw new CascadeConfigError(
      option,
      'must be 1 to 100 printable ASCII characters, without ":" or spaces',
    );
  }
  return value;
}

/**
 * Checks and defaults the options when the module boots: a bad one fails the boot with an error
 * naming it, never its value (a connection option may hold a password).
 */
export function resolveQueueOptions(
  options: CascadeQueueModuleOptions,
  queueName: string,
): ResolvedQueueOptions {
  if (typeof options !== 'object' || options === null) {
    throw new CascadeConfigError('connection', 'give the queue options, with a connection');
  }
  for (const option of Object.keys(options)) {
    if (!OPTIONS.has(option)) throw new CascadeConfigError(option, 'is not a queue option');
  }
  const { connection, endpoint = 'standard', worker = true, ratePerSecond } = options;
  if (typeof connection !== 'object' || connection === null) {
    throw new CascadeConfigError('connection', 'must be ioredis options or an ioredis instance');
  }
  if (!Object.hasOwn(CASCADE_ENDPOINTS, endpoint)) {
    throw new CascadeConfigError('endpoint', `must be one of ${Object.keys(CASCADE_ENDPOINTS)}`);
  }
  if (typeof worker !== 'boolean') throw new CascadeConfigError('worker', 'must be true or false');
  if (
    ratePerSecond !== undefined &&
    !(Number.isInteger(ratePerSecond) && ratePerSecond >= 1 && ratePerSecond <= MAX_RATE_PER_SECOND)
  ) {
    throw new CascadeConfigError(
      'ratePerSecond',
      `must be a whole number of messages from 1 to ${MAX_RATE_PER_SECOND}`,
    );
  }
  const numbers = Object.fromEntries(
    (Object.keys(WHOLE_NUMBERS) as (keyof typeof WHOLE_NUMBERS)[]).map((option) => [
      option,
      wholeNumber(option, options[option]),
    ]),
  ) as Record<keyof typeof WHOLE_NUMBERS, number>;
  return {
    connection,
    prefix: keyPart('prefix', options.prefix, 'bull'),
    queueName: keyPart('queueName', queueName, queueName),
    endpoint,
    worker,
    ...numbers,
    ...(ratePerSecond !== undefined && { ratePerSecond }),
  };
}

/** A batch of messages as a job carries it. */
export interface CascadeJobData {
  /** The messages still to send, or, once the job failed, the ones that failed. */
  messages: Record<string, unknown>[];
  campaignId?: string;
  /** Messages that failed for good, by tracking id, with the reason: not sent when it runs again. */
  failed?: Record<string, string>;
  /** `messageId` by tracking id of the messages sent so far, for a job of `enqueue`. */
  results?: Record<string, string>;
}

/** What a job of `enqueue` returns; a campaign's job returns its count, its results go to the account. */
export interface CascadeJobResult {
  accepted: number;
  results?: Record<string, string>;
}
