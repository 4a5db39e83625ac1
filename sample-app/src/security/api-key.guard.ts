import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { CascadeSettings } from '../settings/cascade-settings.service.js';

// Hashes first, so that keys of any length compare in constant time.
const digest = (text: string) => createHash('sha256').update(text).digest();

/** Opens the send routes only to callers with the app's own key, compared in constant time. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly settings: CascadeSettings) {}

  canActivate(context: ExecutionContext): boolean {
    const { headers } = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>();
    const given = headers['x-api-key'];
    const known = digest(this.settings.clientKey);
    if (typeof given !== 'string' || !timingSafeEqual(digest(given), known)) {
      throw new UnauthorizedException('Send this service\u2019s API key in the x-api-key header');
    }
    return true;
  }
}
