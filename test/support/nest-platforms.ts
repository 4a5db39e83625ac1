import type { INestApplication, LoggerService, ModuleMetadata } from '@nestjs/common';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';

export type Platform = 'express' | 'fastify';
export const PLATFORMS: Platform[] = ['express', 'fastify'];

/** The largest JSON body the test apps take, so that a 1 MB field reaches the route. */
const BODY_LIMIT = 2 * 1024 * 1024;

/** A Nest app on Express or Fastify, listening on a free loopback port. */
export async function startNestApp(
  platform: Platform,
  metadata: ModuleMetadata,
  {
    logger = false,
    setup,
  }: { logger?: LoggerService | false; setup?: (app: INestApplication) => void } = {},
): Promise<{ app: INestApplication; url: string }> {
  const moduleRef = await Test.createTestingModule(metadata).compile();
  const adapter =
    platform === 'express' ? new ExpressAdapter() : new FastifyAdapter({ bodyLimit: BODY_LIMIT });
  const app = moduleRef.createNestApplication(adapter, { logger });
  if (platform === 'express') {
    (app as NestExpressApplication).useBodyParser('json', { limit: BODY_LIMIT });
  }
  setup?.(app);
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}
