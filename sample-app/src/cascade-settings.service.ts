import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { CascadeModuleOptions } from 'nestjs-smsbat-cascade';
import { CascadeEmulator } from 'nestjs-smsbat-cascade/testing';

/**
 * Builds the CascadeModule options from the environment. With no credential configured it starts
 * the package's emulator in this process and points the module at it, so the app runs (and can
 * be tried end to end) without an SMSBAT account.
 */
@Injectable()
export class CascadeSettings implements OnApplicationShutdown {
  private readonly logger = new Logger('Cascade');
  private emulator?: CascadeEmulator;

  constructor(private readonly config: ConfigService) {}

  /** Called once by `CascadeModule.forRootAsync({ useExisting: CascadeSettings })`. */
  async create(): Promise<CascadeModuleOptions> {
    const credentials = {
      apiKey: this.config.get<string>('CASCADE_API_KEY'),
      viberToken: this.config.get<string>('CASCADE_VIBER_TOKEN'),
      tgBotKey: this.config.get<string>('CASCADE_TG_BOT_KEY'),
    };
    if (Object.values(credentials).some(Boolean)) {
      return { ...credentials, baseUrl: this.config.get<string>('CASCADE_BASE_URL') };
    }
    this.emulator = await CascadeEmulator.start({ record: false });
    this.logger.warn(
      `Emulator mode: no CASCADE_API_KEY, CASCADE_VIBER_TOKEN or CASCADE_TG_BOT_KEY is set, so ` +
        `messages go to the in-process emulator at ${this.emulator.url} and reach no phone.`,
    );
    return { apiKey: 'emulator', baseUrl: this.emulator.url };
  }

  /** Whether the app sends to the in-process emulator rather than the real API. */
  get emulatorMode(): boolean {
    return this.emulator !== undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.emulator?.close();
  }
}
