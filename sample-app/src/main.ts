import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { bootFailure, type Settings } from './settings/settings.js';
import { configureApp } from './setup.js';

async function bootstrap() {
  // abortOnError off: a failed boot reaches the catch below, which says why and exits with 1.
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    abortOnError: false,
  });
  configureApp(app);
  const config = app.get<ConfigService<Settings, true>>(ConfigService);
  await app.listen(config.get('PORT', { infer: true }), config.get('HOST', { infer: true }));
  new Logger('Bootstrap').log(`Listening on ${await app.getUrl()}; API documentation at /docs`);
}

bootstrap().catch((error: unknown) => {
  new Logger('Bootstrap').error(`Not started: ${bootFailure(error)}`);
  process.exit(1);
});
