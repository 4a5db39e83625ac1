import {
  Body,
  Controller,
  type DynamicModule,
  HttpCode,
  Logger,
  Module,
  Post,
  UseGuards,
  ValidationPipe,
} from '@nestjs/common';
import { CascadeConfigError } from '../errors/cascade.error.js';
import { CascadeStatusUpdates } from './cascade-status-updates.service.js';
import { CascadeStatusWebhookDto } from './cascade-status-webhook.dto.js';
import { CascadeWebhookGuard, type SecretReader } from './cascade-webhook.guard.js';
import {
  CASCADE_WEBHOOK_SECRET,
  type CascadeWebhookAsyncOptions,
  type CascadeWebhookOptions,
  type CascadeWebhookSecretOptions,
  DEFAULT_WEBHOOK_HEADER,
  DEFAULT_WEBHOOK_PATH,
  MIN_WEBHOOK_SECRET_LENGTH,
} from './cascade-webhook.options.js';

function checkSecret({ secret }: CascadeWebhookSecretOptions): string {
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
 */
@Module({})
export class CascadeWebhookModule {
  static forRoot(options: CascadeWebhookOptions): DynamicModule {
    const { secret, ...route } = options;
    return CascadeWebhookModule.forRootAsync({ ...route, useFactory: () => ({ secret }) });
  }

  static forRootAsync(options: CascadeWebhookAsyncOptions): DynamicModule {
    const {
      path = DEFAULT_WEBHOOK_PATH,
      secretIn = 'header',
      header = DEFAULT_WEBHOOK_HEADER,
    } = options;
    const read: SecretReader =
      secretIn === 'path'
        ? (request) => request.params.secret
        : (request) => request.headers[header.toLowerCase()];

    @Controller(path)
    @UseGuards(CascadeWebhookGuard)
    class CascadeWebhookController {
      private readonly logger = new Logger('CascadeWebhook');

      constructor(private readonly updates: CascadeStatusUpdates) {}

      @Post(secretIn === 'path' ? ':secret' : '')
      @HttpCode(204)
      receive(
        @Body(new ValidationPipe({ whitelist: true, transform: true }))
        payload: CascadeStatusWebhookDto,
      ): void {
        this.logger.debug(`status ${payload.deliverystatus} for message ${payload.messageId}`);
        this.updates.publish(payload);
      }
    }

    return {
      module: CascadeWebhookModule,
      imports: (options.imports ?? []) as DynamicModule['imports'],
      controllers: [CascadeWebhookController],
      providers: [
        CascadeStatusUpdates,
        CascadeWebhookGuard,
        {
          provide: CASCADE_WEBHOOK_SECRET,
          inject: (options.inject ?? []) as never[],
          useFactory: async (...args: never[]) => ({
            secret: checkSecret(await options.useFactory(...args)),
            read,
          }),
        },
      ],
      exports: [CascadeStatusUpdates],
    };
  }
}
