import {
  Body,
  Controller,
  HttpCode,
  Logger,
  Post,
  type Type,
  UseGuards,
  ValidationPipe,
} from '@nestjs/common';
import { quote } from '../redact.js';
import { CascadeStatusUpdates } from './cascade-status-updates.service.js';
import { CascadeStatusWebhookDto } from './cascade-status-webhook.dto.js';
import { CascadeWebhookBodyGuard, CascadeWebhookGuard } from './cascade-webhook.guard.js';
import type { CascadeWebhookRouteOptions } from './cascade-webhook.options.js';

/**
 * The webhook route, built for the path it was declared with: Nest reads a controller's path
 * from its decorator, so each `forRoot` gets a class of its own.
 */
export function createWebhookController({
  path,
  secretIn,
}: Required<CascadeWebhookRouteOptions>): Type {
  // The guards run in order: the secret first, so a stranger learns nothing about the body.
  @Controller(path)
  @UseGuards(CascadeWebhookGuard, CascadeWebhookBodyGuard)
  class CascadeWebhookController {
    private readonly logger = new Logger('CascadeWebhook');

    constructor(private readonly updates: CascadeStatusUpdates) {}

    @Post(secretIn === 'path' ? ':secret' : '')
    @HttpCode(204)
    receive(
      @Body(new ValidationPipe({ whitelist: true, transform: true }))
      payload: CascadeStatusWebhookDto,
    ): void {
      // Both values come from outside: quoted, they can neither forge a log line nor show a phone.
      this.logger.debug(
        `status ${quote(payload.deliverystatus)} for message ${quote(payload.messageId)}`,
      );
      this.updates.publish(payload);
    }
  }
  return CascadeWebhookController;
}
