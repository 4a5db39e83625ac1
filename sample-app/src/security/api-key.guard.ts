import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { ClientKey } from './client-key.service.js';

/** Opens the send routes only to callers with the app's own key. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly key: ClientKey) {}

  canActivate(context: ExecutionContext): boolean {
    this.key.require(context.switchToHttp().getRequest());
    return true;
  }
}
