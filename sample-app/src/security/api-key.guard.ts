import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { ClientKey } from './client-key.service.js';

/** Opens the send routes only to callers with the app's own key. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly key: ClientKey) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.key.carriedBy(context.switchToHttp().getRequest())) {
      throw new UnauthorizedException('Send this service\u2019s API key in the x-api-key header');
    }
    return true;
  }
}
