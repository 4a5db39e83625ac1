import { HttpService } from '@nestjs/axios';
import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CASCADE_CONFIG, CASCADE_HTTP_CLIENT } from './cascade.constants.js';
import {
  ASYNC_OPTIONS_TYPE,
  CASCADE_MODULE_OPTIONS,
  ConfigurableModuleClass,
  OPTIONS_TYPE,
} from './cascade.module-definition.js';
import { CascadeClient } from './client/cascade.client.js';
import { closeCascadeHttpClient, createCascadeHttpClient } from './client/cascade-http.client.js';
import { resolveCascadeOptions } from './config/cascade-config.js';
import { CascadeCredentials } from './config/cascade-credentials.js';
import { CascadeTelemetry } from './telemetry/cascade-telemetry.js';
import type { CascadeModuleOptions } from './types/options.types.js';
import { CascadeService } from './cascade.service.js';

/**
 * `CascadeModule.forRoot({ apiKey })` or `CascadeModule.forRootAsync({ inject, useFactory })`,
 * each with `isGlobal` and, for several accounts in one app, `name`. Provides `CascadeService`,
 * and the `CascadeClient` it is a facade over; a named instance provides them under
 * `getCascadeServiceToken(name)` and `getCascadeClientToken(name)`, for `@InjectCascade(name)`.
 */
@Module({
  providers: [
    {
      provide: CASCADE_CONFIG,
      inject: [CASCADE_MODULE_OPTIONS],
      useFactory: resolveCascadeOptions,
    },
    {
      provide: CascadeCredentials,
      inject: [CASCADE_MODULE_OPTIONS],
      useFactory: (options: CascadeModuleOptions) => new CascadeCredentials(options),
    },
    {
      provide: CASCADE_HTTP_CLIENT,
      inject: [CASCADE_CONFIG],
      useFactory: createCascadeHttpClient,
    },
    { provide: CascadeTelemetry, useFactory: () => CascadeTelemetry.load() },
    CascadeClient,
    CascadeService,
  ],
})
export class CascadeModule extends ConfigurableModuleClass implements OnApplicationShutdown {
  constructor(@Inject(CASCADE_HTTP_CLIENT) private readonly http: HttpService) {
    super();
  }

  /**
   * Sets the module up with options known when the app is written. Checks them at boot: a bad
   * one stops the app with a `CascadeConfigError` naming the option, never its value.
   *
   * @example CascadeModule.forRoot({ apiKey: process.env.SMSBAT_API_KEY, isGlobal: true })
   * @example CascadeModule.forRoot({ name: 'brandA', apiKey: brandAKey }) // @InjectCascade('brandA')
   */
  static override forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    return super.forRoot(options);
  }

  /**
   * Sets the module up with options read at boot, from `useFactory` (with `inject` and
   * `imports`), `useClass` or `useExisting`: typically from `ConfigService`.
   *
   * @example
   * CascadeModule.forRootAsync({
   *   inject: [ConfigService],
   *   useFactory: (config: ConfigService) => ({ apiKey: config.getOrThrow('SMSBAT_API_KEY') }),
   * })
   */
  static override forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }

  onApplicationShutdown(): void {
    closeCascadeHttpClient(this.http);
  }
}
