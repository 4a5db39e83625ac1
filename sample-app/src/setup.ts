import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { CascadeExceptionFilter } from 'nestjs-smsbat-cascade';
import { setupOpenApi } from './openapi.js';

/** What `main.ts` and the end-to-end tests both apply to the app, so the tests run it as served. */
export function configureApp(
  app: INestApplication,
  bodyLimit = process.env.BODY_LIMIT ?? '1mb',
): void {
  (app as NestExpressApplication).useBodyParser('json', { limit: bodyLimit });
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  app.useGlobalFilters(new CascadeExceptionFilter(app.get(HttpAdapterHost)));
  app.enableShutdownHooks();
  setupOpenApi(app);
}
