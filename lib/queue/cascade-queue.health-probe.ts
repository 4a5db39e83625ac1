import { Inject, Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { CascadeTelemetry } from '../telemetry/cascade-telemetry.js';
import type { CascadeQueueHealth, CascadeQueueHealthProbe } from '../types/queue.types.js';
import { CASCADE_QUEUE } from './cascade-queue.constants.js';
import type { CascadeJobData } from './cascade-queue.options.js';
import { CascadeQueueWorker } from './cascade-queue.worker.js';
import { QueueRedis } from './queue-redis.js';

/**
 * What `CascadeQueueHealthIndicator` (from `/health`) reads: Redis, this worker, the backlog;
 * the backlog is also the `cascade.queue.backlog` gauge, where OpenTelemetry is in use.
 */
@Injectable()
export class CascadeQueueProbe implements CascadeQueueHealthProbe, OnModuleInit {
  constructor(
    @Inject(CASCADE_QUEUE) private readonly queue: Queue<CascadeJobData>,
    private readonly redis: QueueRedis,
    private readonly worker: CascadeQueueWorker,
    // The default CascadeModule instance's; a named one keeps its telemetry to itself.
    @Optional() @Inject(CascadeTelemetry) private readonly telemetry?: CascadeTelemetry,
  ) {}

  onModuleInit(): void {
    this.telemetry?.gauge(
      'cascade.queue.backlog',
      'Jobs (batches of messages) waiting on the queue',
      async () => (await this.probe(1000)).backlogJobs,
    );
  }

  async probe(timeoutMs: number): Promise<CascadeQueueHealth> {
    const running = this.worker.running;
    const worker = running === undefined ? 'none' : running ? 'running' : 'stopped';
    if (!(await this.redis.ping(timeoutMs))) return { redisReachable: false, worker };
    try {
      const [counts, [oldest]] = await this.redis.run('health', () =>
        Promise.all([
          this.queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'failed'),
          this.queue.getJobs(['wait'], 0, 0, true),
        ]),
      );
      return {
        redisReachable: true,
        worker,
        backlogJobs: counts.waiting + counts.prioritized + counts.delayed,
        oldestWaitingMs: oldest ? Math.max(0, Date.now() - oldest.timestamp) : 0,
        activeJobs: counts.active,
        failedJobs: counts.failed,
      };
    } catch {
      return { redisReachable: false, worker };
    }
  }
}
