import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { CASCADE_QUEUE_HEALTH_PROBE } from '../cascade.constants.js';
import type { CascadeQueueHealthProbe } from '../types/queue.types.js';

/**
 * A `@nestjs/terminus` health indicator for `CascadeQueueModule`: up when the queue's Redis
 * answers and this instance's worker runs (or the instance runs none, `worker: false`); down
 * otherwise. Its details give the backlog and the age of the oldest waiting job. Provide it in a
 * module that imports `CascadeQueueModule`.
 *
 * @example
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.queue.isHealthy('queue')]); }
 */
@Injectable()
export class CascadeQueueHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(CASCADE_QUEUE_HEALTH_PROBE) private readonly queue: CascadeQueueHealthProbe,
  ) {}

  async isHealthy(key = 'cascadeQueue', { timeoutMs = 3000 }: { timeoutMs?: number } = {}) {
    const indicator = this.indicators.check(key);
    const health = await this.queue.probe(timeoutMs);
    const { redisReachable, worker } = health;
    if (!redisReachable) return indicator.down({ ...health, reason: 'Redis unreachable' });
    if (worker === 'stopped') return indicator.down({ ...health, reason: 'worker not running' });
    return indicator.up({ ...health });
  }
}
