import { Module } from '@nestjs/common';
import { CascadeConfigError } from '../errors/cascade.error.js';
import { CascadeStatusUpdates } from './cascade-status-updates.service.js';
import { CASCADE_WEBHOOK_SECRET, MIN_WEBHOOK_SECRET_LENGTH } from './cascade-webhook.constants.js';
import { CascadeWebhookBodyGuard, CascadeWebhookGuard } from './cascade-webhook.guard.js';
import {
  CASCADE_WEBHOOK_OPTIONS,
  ConfigurableModuleClass,
} from './cascade-webhook.module-definition.js';
import type { CascadeWebhookSecretOptions } from './cascade-webhook.options.js';

function checkSecret(options: CascadeWebhookSecretOptions | undefined): string {
  const secret = options?.secret;
  if (typeof secret !== 'string' || secret.length < MIN_WEBHOOK_SECRET_LENGTH) {
    throw new CascadeConfigError(
      'secret',
      `the webhook secret must be a string of ${MIN_WEBHOOK_SECRET_LENGTH} characters or more`,
    );
  }
  return secret;
}

/**
 * Mounts a route that receives SMSBAT's status webhooks: it refuses a request without the
 * shared secret (401), validates the payload (400 with what is wrong), answers 204, and hands
 * each update to the app through `CascadeStatusUpdates.updates$`.
 *
 * `CascadeWebhookModule.forRoot({ secret, path?, secretIn?, header? })`, or
 * `forRootAsync({ path?, secretIn?, header?, useFactory | useClass | useExisting })` where only
 * the secret comes from the factory: the route must be known when the module is declared.
 */
@Module({
  providers: [
    CascadeStatusUpdates,
    CascadeWebhookGuard,
    CascadeWebhookBodyGuard,
    { provide: CASCADE_WEBHOOK_SECRET, inject: [CASCADE_WEBHOOK_OPTIONS], useFactory: checkSecret },
  ],
  exports: [CascadeStatusUpdates],
})
export class CascadeWebhookModule extends ConfigurableModuleClass {}
