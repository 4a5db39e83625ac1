import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { STATUS_WEBHOOK_PATH } from '../deliveries/status-webhook.js';
import { ClientKey } from './client-key.service.js';

/**
 * The global throttle, counted per client: by the API key when a request carries the valid one,
 * else by address. So requests without the key (a scan, a guess at the key) never use up the
 * bucket of the client that holds it, even from the same address or proxy, and are still
 * throttled themselves. (Checking the key before the throttle would instead leave them
 * unthrottled.) The status webhook is not throttled: SMSBAT sends an update for every change of
 * every message, and its secret, checked by the route, is what guards it.
 */
@Injectable()
export class ClientThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly key: ClientKey,
  ) {
    super(options, storage, reflector);
  }

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const client = request as { headers: Record<string, unknown> };
    return this.key.carriedBy(client) ? 'client-key' : super.getTracker(request);
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    const route = context.switchToHttp().getRequest<{ route?: { path?: unknown } }>().route;
    return route?.path === `/${STATUS_WEBHOOK_PATH}`;
  }
}
