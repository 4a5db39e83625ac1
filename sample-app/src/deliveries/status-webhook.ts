import { ConfigService } from '@nestjs/config';
import { CascadeWebhookModule } from 'nestjs-smsbat-cascade';
import type { Settings } from '../settings/settings.js';

/** Where SMSBAT (or, in emulator mode, the emulator) posts status updates, and how it signs them. */
export const STATUS_WEBHOOK_PATH = 'cascade/status';
export const STATUS_WEBHOOK_HEADER = 'x-cascade-webhook-secret';

/** The status webhook route, with the secret from CASCADE_WEBHOOK_SECRET. */
export const StatusWebhookModule = CascadeWebhookModule.forRootAsync({
  path: STATUS_WEBHOOK_PATH,
  header: STATUS_WEBHOOK_HEADER,
  inject: [ConfigService],
  useFactory: (config: ConfigService<Settings, true>) => ({
    secret: config.get('CASCADE_WEBHOOK_SECRET', { infer: true }),
  }),
});
