import { ConfigurableModuleBuilder, Inject } from '@nestjs/common';
import { CASCADE_CONFIG, CASCADE_HTTP_CLIENT } from './cascade.constants.js';
import { CascadeClient } from './client/cascade.client.js';
import { CascadeService } from './cascade.service.js';
import { CascadeTelemetry } from './telemetry/cascade-telemetry.js';
import type { CascadeModuleOptions } from './types/options.types.js';

/** The injection token of a named instance's `CascadeService`; the default instance's is the class. */
export const getCascadeServiceToken = (name?: string) =>
  name === undefined ? CascadeService : `CascadeService:${name}`;

/** The injection token of a named instance's `CascadeClient`; the default instance's is the class. */
export const getCascadeClientToken = (name?: string) =>
  name === undefined ? CascadeClient : `CascadeClient:${name}`;

/**
 * Injects a named instance's `CascadeService` (or the default one, without a name):
 * `constructor(@InjectCascade('brandA') private readonly brandA: CascadeService) {}`.
 */
export const InjectCascade = (name?: string) => Inject(getCascadeServiceToken(name));

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: CASCADE_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<CascadeModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras(
    { isGlobal: false, name: undefined as string | undefined },
    (definition, { isGlobal, name }) => {
      if (name === undefined) {
        const exports = [
          CascadeService,
          CascadeClient,
          CascadeTelemetry,
          CASCADE_HTTP_CLIENT,
          CASCADE_CONFIG,
        ];
        return { ...definition, global: isGlobal, exports };
      }
      // Several accounts in one app: each named instance shows its service and client under
      // its own tokens only, so instances never shadow each other.
      const named = [getCascadeServiceToken(name), getCascadeClientToken(name)];
      return {
        ...definition,
        global: isGlobal,
        providers: [
          ...(definition.providers ?? []),
          { provide: named[0], useExisting: CascadeService },
          { provide: named[1], useExisting: CascadeClient },
        ],
        exports: named,
      };
    },
  )
  .build();
