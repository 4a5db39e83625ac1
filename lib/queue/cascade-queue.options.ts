import type { ConnectionOptions } from 'bullmq';
import type { CASCADE_ENDPOINTS } from '../cascade.constants.js';

/** What `CascadeQueueModule.forRoot` and `forRootAsync` take. */
export interface CascadeQueueModuleOptions {
  /** The Redis server: `{ host, port }` or an ioredis instance's options. */
  connection: ConnectionOptions;
  /** Which endpoint the workers send to (`standard`). */
  endpoint?: keyof typeof CASCADE_ENDPOINTS;
  /** Whether this instance runs a worker (true); a producer-only instance sets false. */
  worker?: boolean;
  /** One limit for every worker of the queue, in messages per second (none). */
  ratePerSecond?: number;
  /** Messages per API call: a worker gathers jobs into batches of up to this many (100). */
  batchSize?: number;
  /** How long a worker waits for a batch to fill before it sends what it has, in ms (20). */
  lingerMs?: number;
  /** How many times a message is tried before it fails for good (5). */
  attempts?: number;
  /** The first retry's delay, doubling after each (1000 ms). */
  backoffMs?: number;
  /** How long a job's lock lasts: a worker that dies is noticed after about this long (30 000 ms). */
  lockDurationMs?: number;
  /** How long completed jobs, and with them the tracking ids seen, are kept (7 days). */
  keepCompletedMs?: number;
  /** How long failed jobs are kept for inspection and replay (30 days). */
  keepFailedMs?: number;
}

export interface ResolvedQueueOptions extends Required<
  Omit<CascadeQueueModuleOptions, 'ratePerSecond'>
> {
  queueName: string;
  ratePerSecond?: number;
}

const DAY = 24 * 60 * 60 * 1000;

export function resolveQueueOptions(
  options: CascadeQueueModuleOptions,
  queueName: string,
): ResolvedQueueOptions {
  return {
    endpoint: 'standard',
    worker: true,
    batchSize: 100,
    lingerMs: 20,
    attempts: 5,
    backoffMs: 1000,
    lockDurationMs: 30_000,
    keepCompletedMs: 7 * DAY,
    keepFailedMs: 30 * DAY,
    ...options,
    queueName,
  };
}

/** A message as a job carries it. */
export interface CascadeJobData {
  message: Record<string, unknown>;
  campaignId?: string;
}
