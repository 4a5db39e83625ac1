import { HttpService } from '@nestjs/axios';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { firstValueFrom } from 'rxjs';
import { CASCADE_HTTP_CLIENT } from '../cascade.constants.js';
import { describeFailure, toCascadeError } from '../cascade-response.js';

/**
 * A `@nestjs/terminus` health indicator: up when the Cascade API (or the emulator) answers HTTP
 * at all, down when it cannot be reached. It sends no message.
 *
 * @example
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.cascade.isHealthy('cascade')]); }
 */
@Injectable()
export class CascadeHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(CASCADE_HTTP_CLIENT) private readonly http: HttpService,
  ) {}

  async isHealthy(key = 'cascade', { timeoutMs = 3000 }: { timeoutMs?: number } = {}) {
    const indicator = this.indicators.check(key);
    const started = Date.now();
    try {
      // Any HTTP answer, even a 404 for the bare host, shows the API is reachable.
      const response = await firstValueFrom(this.http.get('/', { timeout: timeoutMs }));
      return indicator.up({ httpStatus: response.status, responseTimeMs: Date.now() - started });
    } catch (error) {
      return indicator.down({ reason: describeFailure(toCascadeError(error, timeoutMs)) });
    }
  }
}
