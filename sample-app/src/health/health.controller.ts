import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { CascadeHealthIndicator, CascadeQueueHealthIndicator } from 'nestjs-smsbat-cascade/health';

/**
 * Whether the Cascade API (or, in emulator mode, the emulator) can be reached; in queue mode also
 * the queue: Redis, this instance's worker, the backlog.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly cascade: CascadeHealthIndicator,
    // Provided in queue mode only (QueueModeModule).
    @Optional()
    @Inject(CascadeQueueHealthIndicator)
    private readonly queue?: CascadeQueueHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    const queue = this.queue;
    return this.health.check([
      () => this.cascade.isHealthy('cascade'),
      ...(queue ? [() => queue.isHealthy('queue')] : []),
    ]);
  }
}
