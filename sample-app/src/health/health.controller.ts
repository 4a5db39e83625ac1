import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { CascadeHealthIndicator } from 'nestjs-smsbat-cascade/health';

/** Whether the Cascade API (or, in emulator mode, the emulator) can be reached. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly cascade: CascadeHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.cascade.isHealthy('cascade')]);
  }
}
