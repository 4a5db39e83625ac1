import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { CascadeErrorsFilter } from './http/cascade-errors.filter.js';
import { refuseDeepJson } from './http/json-body.js';
import { RequestErrorsFilter } from './http/request-errors.filter.js';
import { setupOpenApi } from './openapi.js';
import type { Settings } from './settings/settings.js';

/** What `main.ts` applies to the app before it listens. */
export function configureApp(app: NestExpressApplication): void {
  const config = app.get<ConfigService<Settings, true>>(ConfigService);
  // JSON only (the app is created without Nest's default parsers), bounded in size and depth.
  app.useBodyParser('json', {
    limit: config.get('BODY_LIMIT', { infer: true }),
    verify: refuseDeepJson,
  });
  app.useGlobalFilters(
    new RequestErrorsFilter(app.getHttpAdapter()),
    new CascadeErrorsFilter(app.get(HttpAdapterHost)),
  );
  app.enableShutdownHooks();
  setupOpenApi(app);
}
