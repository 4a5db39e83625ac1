import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { CASCADE_WEBHOOK_SECRET } from './cascade-webhook.options.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Compares in constant time, whatever the lengths, so a spoofer learns nothing from timing. */
export function secretsMatch(given: unknown, expected: string): boolean {
  return typeof given === 'string' && timingSafeEqual(digest(given), digest(expected));
}

/** Reads the secret a request carries, from the header or the path the route was set up with. */
export type SecretReader = (request: {
  headers: Record<string, unknown>;
  params: Record<string, unknown>;
}) => unknown;

/**
 * Refuses a webhook that does not carry the shared secret, before its body is even validated:
 * the vendor documents no signature, so the secret is what keeps the route from being spoofed.
 */
@Injectable()
export class CascadeWebhookGuard implements CanActivate {
  constructor(
    @Inject(CASCADE_WEBHOOK_SECRET) private readonly secret: { secret: string; read: SecretReader },
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    if (!secretsMatch(this.secret.read(request), this.secret.secret)) {
      throw new UnauthorizedException('Missing or wrong webhook secret');
    }
    return true;
  }
}
