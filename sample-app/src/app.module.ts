import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { CascadeModule, CascadeWebhookModule } from 'nestjs-smsbat-cascade';
import { CascadeHealthIndicator } from 'nestjs-smsbat-cascade/health';
import { CascadeQueueModule } from 'nestjs-smsbat-cascade/queue';
import { CampaignsController } from './campaigns/campaigns.controller.js';
import { CampaignsService } from './campaigns/campaigns.service.js';
import { DeliveryLog } from './deliveries/delivery-log.service.js';
import { HealthController } from './health/health.controller.js';
import { MessagesController } from './messages/messages.controller.js';
import { CascadeSettings } from './settings/cascade-settings.service.js';
import { SettingsModule } from './settings/settings.module.js';

function queueModule(redisUrl: string) {
  const url = new URL(redisUrl);
  return CascadeQueueModule.forRoot({
    connection: {
      host: url.hostname,
      port: Number(url.port || 6379),
      ...(url.username && { username: decodeURIComponent(url.username) }),
      ...(url.password && { password: decodeURIComponent(url.password) }),
    },
    ratePerSecond: process.env.QUEUE_RATE_PER_SECOND
      ? Number(process.env.QUEUE_RATE_PER_SECOND)
      : undefined,
  });
}

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    SettingsModule,
    CascadeModule.forRootAsync({
      imports: [SettingsModule],
      useExisting: CascadeSettings,
      isGlobal: true,
    }),
    CascadeWebhookModule.forRootAsync({
      path: 'cascade/status',
      imports: [SettingsModule],
      inject: [CascadeSettings],
      useFactory: (settings: CascadeSettings) => ({ secret: settings.webhookSecret }),
    }),
    // Per client (by address): each may make THROTTLE_LIMIT requests a minute.
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => [
        { ttl: 60_000, limit: Number(config.get('THROTTLE_LIMIT') ?? 60) },
      ],
    }),
    TerminusModule,
    // Queue mode: with REDIS_URL set, campaigns go through Redis, shared by every instance.
    ...(process.env.REDIS_URL ? [queueModule(process.env.REDIS_URL)] : []),
  ],
  controllers: [MessagesController, CampaignsController, HealthController],
  providers: [
    { provide: APP_GUARD, useClass: ThrottlerGuard },
    CampaignsService,
    CascadeHealthIndicator,
    DeliveryLog,
  ],
})
export class AppModule {}
