import { createHash, timingSafeEqual } from 'node:crypto';
import {
  BadRequestException,
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import {
  CASCADE_WEBHOOK_ROUTE,
  CASCADE_WEBHOOK_SECRET,
  MAX_WEBHOOK_BODY_DEPTH,
} from './cascade-webhook.constants.js';
import type { CascadeWebhookRouteOptions } from './cascade-webhook.options.js';
import { nestsDeeperThan } from '../validation/nested-shapes.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Compares in constant time, whatever the lengths, so a spoofer learns nothing from timing. */
export function secretsMatch(given: unknown, expected: string): boolean {
  return typeof given === 'string' && timingSafeEqual(digest(given), digest(expected));
}

/** What Express and Fastify requests both have. */
interface WebhookRequest {
  headers: Record<string, unknown>;
  params?: Record<string, unknown>;
  body?: unknown;
}

/**
 * Refuses a webhook that does not carry the shared secret, before its body is even validated:
 * the vendor documents no signature, so the secret is what keeps the route from being spoofed.
 */
@Injectable()
export class CascadeWebhookGuard implements CanActivate {
  constructor(
    @Inject(CASCADE_WEBHOOK_SECRET) private readonly secret: string,
    @Inject(CASCADE_WEBHOOK_ROUTE) private readonly route: Required<CascadeWebhookRouteOptions>,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<WebhookRequest>();
    const given =
      this.route.secretIn === 'path' ? request.params?.secret : request.headers[this.route.header];
    if (!secretsMatch(given, this.secret)) {
      throw new UnauthorizedException('Missing or wrong webhook secret');
    }
    return true;
  }
}

/**
 * Refuses, once the secret has been checked, a body that is not a JSON object or nests too
 * deeply. It is a guard rather than a pipe so that it runs before every pipe, the app's global
 * `ValidationPipe` included, whose transformation would otherwise recurse through the body.
 */
@Injectable()
export class CascadeWebhookBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const { body } = context.switchToHttp().getRequest<WebhookRequest>();
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new BadRequestException('The webhook payload must be a JSON object');
    }
    if (nestsDeeperThan(body, MAX_WEBHOOK_BODY_DEPTH)) {
      throw new BadRequestException(
        `The webhook payload nests deeper than ${MAX_WEBHOOK_BODY_DEPTH} levels`,
      );
    }
    return true;
  }
}
