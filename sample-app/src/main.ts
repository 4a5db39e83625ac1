import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { configureApp } from './setup.js';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  configureApp(app);
  await app.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1');
  new Logger('Bootstrap').log(`Listening on ${await app.getUrl()}; API documentation at /docs`);
}

bootstrap().catch((error: Error) => {
  new Logger('Bootstrap').error(`Not started: ${error.message}`);
  process.exit(1);
});
