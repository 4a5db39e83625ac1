import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  Logger,
  type NestInterceptor,
  Optional,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { CASCADE_CONFIG, DEFAULT_DEADLINE_MS } from './cascade.constants.js';
import type { CascadeConfig } from './types/options.types.js';
import { describeFailure } from './errors/describe-failure.js';
import { CASCADE_RETRY_METADATA } from './cascade-retry.decorator.js';
import type { CascadeRetrySetting } from './types/retry.types.js';
import { DEFAULT_RETRY, resolveRetry } from './retry/retry-policy.js';
import { retryWithPolicy } from './retry/retry.operator.js';
import { RETRY_OWNERSHIP } from './retry/retry-ownership.js';

/**
 * Retries a route handler that fails with a retryable Cascade error, on the module's retry
 * policy (or the route's, set with `@CascadeRetry`). While the handler runs under it,
 * `CascadeService` makes a single attempt per run: the interceptor owns the retries, so a
 * route makes at most `1 + maxRetries` sends, never their product. Other errors pass at once.
 */
@Injectable()
export class CascadeRetryInterceptor implements NestInterceptor {
  private readonly logger = new Logger(CascadeRetryInterceptor.name);

  constructor(
    private readonly reflector: Reflector,
    @Optional() @Inject(CASCADE_CONFIG) private readonly config?: CascadeConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const setting = this.reflector.getAllAndOverride<CascadeRetrySetting | undefined>(
      CASCADE_RETRY_METADATA,
      [context.getHandler(), context.getClass()],
    );
    const policy = resolveRetry(setting, this.config?.retry ?? DEFAULT_RETRY);
    const route = `${context.getClass().name}.${context.getHandler().name}`;
    return RETRY_OWNERSHIP.runOwnedByInterceptor(() => next.handle()).pipe(
      retryWithPolicy({
        policy,
        deadline: policy.scheduler.now() + (this.config?.deadlineMs ?? DEFAULT_DEADLINE_MS),
        onRetry: ({ retry, maxRetries, delayMs, error }) =>
          this.logger.warn(
            `${route} failed (${describeFailure(error)}); retry ${retry} of ${maxRetries} in ${delayMs} ms`,
          ),
      }),
    );
  }
}
