import { HttpService } from '@nestjs/axios';
import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CASCADE_CONFIG, CASCADE_HTTP_CLIENT } from './cascade.constants.js';
import { CASCADE_MODULE_OPTIONS, ConfigurableModuleClass } from './cascade.module-definition.js';
import { CascadeClient } from './client/cascade.client.js';
import { closeCascadeHttpClient, createCascadeHttpClient } from './client/cascade-http.client.js';
import { resolveCascadeOptions } from './config/cascade-config.js';
import { CascadeCredentials } from './config/cascade-credentials.js';
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
    CascadeClient,
    CascadeService,
  ],
})
export class CascadeModule extends ConfigurableModuleClass implements OnApplicationShutdown {
  constructor(@Inject(CASCADE_HTTP_CLIENT) private readonly http: HttpService) {
    super();
  }

  onApplicationShutdown(): void {
    closeCascadeHttpClient(this.http);
  }
}
