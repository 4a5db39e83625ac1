import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { secretsMatch } from 'nestjs-smsbat-cascade';
import { CascadeSettings } from '../settings/cascade-settings.service.js';

/** Opens the send routes only to callers with the app's own key, compared in constant time. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly settings: CascadeSettings) {}

  canActivate(context: ExecutionContext): boolean {
    const { headers } = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>();
    if (!secretsMatch(headers['x-api-key'], this.settings.clientKey)) {
      throw new UnauthorizedException('Send this service\u2019s API key in the x-api-key header');
    }
    return true;
  }
}
