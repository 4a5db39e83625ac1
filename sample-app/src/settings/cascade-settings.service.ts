import { randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { CascadeModuleOptions } from 'nestjs-smsbat-cascade';
import { CascadeEmulator } from 'nestjs-smsbat-cascade/testing';

/** The key that opens the send routes in emulator mode when SAMPLE_API_KEY is unset. */
export const DEVELOPMENT_API_KEY = 'dev-sample-key';

/**
 * The app's settings, read once from the environment. With no Cascade credential configured it
 * starts the package's emulator in this process and points the module at it, so the app runs
 * (and can be tried end to end) without an SMSBAT account.
 */
@Injectable()
export class CascadeSettings implements OnApplicationShutdown {
  private readonly logger = new Logger('Cascade');
  private emulator?: CascadeEmulator;
  /** The key callers must send in `x-api-key`. */
  clientKey = DEVELOPMENT_API_KEY;
  /** The secret SMSBAT's status webhooks must carry. */
  readonly webhookSecret: string;

  constructor(private readonly config: ConfigService) {
    this.webhookSecret =
      config.get<string>('CASCADE_WEBHOOK_SECRET') || randomBytes(24).toString('hex');
  }

  /** Called once by `CascadeModule.forRootAsync({ useExisting: CascadeSettings })`. */
  async create(): Promise<CascadeModuleOptions> {
    const credentials = {
      apiKey: this.config.get<string>('CASCADE_API_KEY'),
      viberToken: this.config.get<string>('CASCADE_VIBER_TOKEN'),
      tgBotKey: this.config.get<string>('CASCADE_TG_BOT_KEY'),
    };
    const clientKey = this.config.get<string>('SAMPLE_API_KEY');
    if (Object.values(credentials).some(Boolean)) {
      if (!clientKey) {
        throw new Error(
          'SAMPLE_API_KEY is not set: with real Cascade credentials, the send routes would be an ' +
            'open relay sending messages at your cost. Set SAMPLE_API_KEY to a long random key.',
        );
      }
      this.clientKey = clientKey;
      return {
        ...credentials,
        ...this.tuning(),
        baseUrl: this.config.get<string>('CASCADE_BASE_URL'),
      };
    }
    this.clientKey = clientKey || DEVELOPMENT_API_KEY;
    const port = this.config.get<string>('PORT') ?? '3000';
    this.emulator = await CascadeEmulator.start({
      lifecycle: { processingMs: 2000 },
      webhook: {
        url: `http://127.0.0.1:${port}/cascade/status`,
        headers: { 'x-cascade-webhook-secret': this.webhookSecret },
      },
    });
    this.logger.warn(
      `Emulator mode: no CASCADE_API_KEY, CASCADE_VIBER_TOKEN or CASCADE_TG_BOT_KEY is set, so ` +
        `messages go to the in-process emulator at ${this.emulator.url} and reach no phone. ` +
        (clientKey
          ? 'Send routes take SAMPLE_API_KEY.'
          : `Send routes take x-api-key: ${DEVELOPMENT_API_KEY}.`),
    );
    return { apiKey: 'emulator', ...this.tuning(), baseUrl: this.emulator.url };
  }

  /** The optional knobs: retries per call and the per-attempt timeout. */
  private tuning(): Pick<CascadeModuleOptions, 'retry' | 'timeoutMs'> {
    const retries = this.config.get<string>('CASCADE_MAX_RETRIES');
    const timeout = this.config.get<string>('CASCADE_TIMEOUT_MS');
    return {
      ...(retries !== undefined && { retry: { maxRetries: Number(retries) } }),
      ...(timeout !== undefined && { timeoutMs: Number(timeout) }),
    };
  }

  /** Whether the app sends to the in-process emulator rather than the real API. */
  get emulatorMode(): boolean {
    return this.emulator !== undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.emulator?.close();
  }
}
