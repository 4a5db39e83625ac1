import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { firstValueFrom } from 'rxjs';
import { CascadeClient } from '../client/cascade.client.js';
import { describeFailure } from '../errors/describe-failure.js';

/**
 * A `@nestjs/terminus` health indicator: up when the Cascade API (or the emulator) answers as a
 * working service would, down on a 5xx (a proxy's 502 or 503 included), a refused credential
 * (401 or 403), a timeout or no connection. It sends no message.
 *
 * @example
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.cascade.isHealthy('cascade')]); }
 */
@Injectable()
export class CascadeHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly client: CascadeClient,
  ) {}

  async isHealthy(key = 'cascade', { timeoutMs = 3000 }: { timeoutMs?: number } = {}) {
    const indicator = this.indicators.check(key);
    try {
      return indicator.up({ ...(await firstValueFrom(this.client.probe$(timeoutMs))) });
    } catch (error) {
      return indicator.down({ reason: describeFailure(error) });
    }
  }
}
