import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { CascadeModuleOptions } from 'nestjs-smsbat-cascade';
import { CascadeEmulator } from 'nestjs-smsbat-cascade/testing';
import { STATUS_WEBHOOK_HEADER, STATUS_WEBHOOK_PATH } from '../deliveries/status-webhook.js';
import { DEVELOPMENT_API_KEY, type Settings } from './settings.js';

/**
 * Where the module sends: the real API with the configured credentials or, with none configured,
 * the package's emulator started in this process, so the app runs (and can be tried end to end)
 * without an SMSBAT account.
 */
@Injectable()
export class CascadeTarget implements OnApplicationShutdown {
  private readonly logger = new Logger('Cascade');
  private emulator?: CascadeEmulator;

  constructor(private readonly config: ConfigService<Settings, true>) {}

  /** Called once by `CascadeModule.forRootAsync({ useExisting: CascadeTarget })`. */
  async create(): Promise<CascadeModuleOptions> {
    const credentials = {
      apiKey: this.config.get('CASCADE_API_KEY', { infer: true }),
      viberToken: this.config.get('CASCADE_VIBER_TOKEN', { infer: true }),
      tgBotKey: this.config.get('CASCADE_TG_BOT_KEY', { infer: true }),
    };
    const retries = this.config.get('CASCADE_MAX_RETRIES', { infer: true });
    const tuning = {
      ...(retries !== undefined && { retry: { maxRetries: retries } }),
      timeoutMs: this.config.get('CASCADE_TIMEOUT_MS', { infer: true }),
    };
    if (Object.values(credentials).some(Boolean)) {
      return {
        ...credentials,
        ...tuning,
        baseUrl: this.config.get('CASCADE_BASE_URL', { infer: true }),
      };
    }
    const port = this.config.get('PORT', { infer: true });
    this.emulator = await CascadeEmulator.start({
      lifecycle: { processingMs: 2000 },
      webhook: {
        url: `http://127.0.0.1:${port}/${STATUS_WEBHOOK_PATH}`,
        headers: {
          [STATUS_WEBHOOK_HEADER]: this.config.get('CASCADE_WEBHOOK_SECRET', { infer: true }),
        },
      },
    });
    const ownKey = this.config.get('SAMPLE_API_KEY', { infer: true }) !== DEVELOPMENT_API_KEY;
    this.logger.warn(
      `Emulator mode: no CASCADE_API_KEY, CASCADE_VIBER_TOKEN or CASCADE_TG_BOT_KEY is set, so ` +
        `messages go to the in-process emulator at ${this.emulator.url} and reach no phone. ` +
        (ownKey
          ? 'Send routes take SAMPLE_API_KEY.'
          : `Send routes take x-api-key: ${DEVELOPMENT_API_KEY}.`),
    );
    return { apiKey: 'emulator', ...tuning, baseUrl: this.emulator.url };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.emulator?.close();
  }
}
