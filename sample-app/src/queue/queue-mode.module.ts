import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule } from '@bull-board/nestjs';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { CascadeQueueHealthIndicator } from 'nestjs-smsbat-cascade/health';
import { CascadeQueueModule, DEFAULT_QUEUE_NAME } from 'nestjs-smsbat-cascade/queue';
import { ApiKeyMiddleware } from '../security/api-key.middleware.js';
import { ClientKeyModule } from '../security/client-key.module.js';
import type { Settings } from '../settings/settings.js';
import { redisConnection, waitForRedis } from './redis-connection.js';

type Config = ConfigService<Settings, true>;

/** Where operators see the queue. */
export const QUEUE_DASHBOARD_ROUTE = '/queues';

/**
 * Queue mode (REDIS_URL set): campaigns go through Redis, shared by every instance; `/health`
 * reports the queue, and operators with the app's key see it at QUEUE_DASHBOARD_ROUTE.
 */
@Module({
  imports: [
    CascadeQueueModule.forRootAsync({
      inject: [ConfigService],
      useFactory: async (config: Config) => {
        // Checked at boot: set (or this module is not registered) and well formed.
        const connection = redisConnection(config.get('REDIS_URL', { infer: true })!)!;
        await waitForRedis(connection, config.get('REDIS_CONNECT_TIMEOUT_MS', { infer: true }));
        return {
          connection,
          ratePerSecond: config.get('QUEUE_RATE_PER_SECOND', { infer: true }),
        };
      },
    }),
    TerminusModule,
    // Bull Board serves its page and API as Express middleware, which Nest guards do not reach:
    // its own `middleware` option runs the key check first, on every path under the route.
    BullBoardModule.forRootAsync({
      imports: [ClientKeyModule],
      useFactory: () => ({
        route: QUEUE_DASHBOARD_ROUTE,
        adapter: ExpressAdapter,
        middleware: ApiKeyMiddleware,
      }),
    }),
    BullBoardModule.forFeature({ name: DEFAULT_QUEUE_NAME, adapter: BullMQAdapter }),
  ],
  providers: [CascadeQueueHealthIndicator],
  exports: [CascadeQueueModule, CascadeQueueHealthIndicator],
})
export class QueueModeModule {}
