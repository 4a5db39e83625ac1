import { Injectable, type NestMiddleware } from '@nestjs/common';
import { ClientKey } from './client-key.service.js';

/**
 * What `ApiKeyGuard` does, for routes that Express middleware serves (the queue dashboard):
 * guards run only before Nest's own route handlers.
 */
@Injectable()
export class ApiKeyMiddleware implements NestMiddleware {
  constructor(private readonly key: ClientKey) {}

  use(request: { headers: Record<string, unknown> }, _response: unknown, next: () => void): void {
    this.key.require(request);
    next();
  }
}
