import { Module } from '@nestjs/common';
import { ConditionalModule, ConfigModule, ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { CascadeModule } from 'nestjs-smsbat-cascade';
import { CascadeHealthIndicator } from 'nestjs-smsbat-cascade/health';
import { CampaignsController } from './campaigns/campaigns.controller.js';
import { CampaignsService } from './campaigns/campaigns.service.js';
import { DeliveryLog } from './deliveries/delivery-log.service.js';
import { StatusWebhookModule } from './deliveries/status-webhook.js';
import { HealthController } from './health/health.controller.js';
import { MessagesController } from './messages/messages.controller.js';
import { QueueModeModule } from './queue/queue-mode.module.js';
import { ClientKeyModule } from './security/client-key.module.js';
import { ClientThrottlerGuard } from './security/client-throttler.guard.js';
import { CascadeTarget } from './settings/cascade-target.service.js';
import { type Settings, validateSettings } from './settings/settings.js';

type Config = ConfigService<Settings, true>;

// Every setting is read and checked here, once, as the app boots; the rest ask ConfigService.
const settings = ConfigModule.forRoot({ isGlobal: true, validate: validateSettings });
// A bad setting rejects this promise before Nest awaits it; marked as handled so that Node does
// not end the process first: the boot fails with the error where Nest awaits it.
settings.catch(() => undefined);

// `useExisting` takes the options factory from a module that CascadeModule imports.
@Module({ providers: [CascadeTarget], exports: [CascadeTarget] })
class CascadeTargetModule {}

@Module({
  imports: [
    settings,
    CascadeModule.forRootAsync({
      imports: [CascadeTargetModule],
      useExisting: CascadeTarget,
      isGlobal: true,
    }),
    ClientKeyModule,
    StatusWebhookModule,
    // Per client and route: each may make THROTTLE_LIMIT requests a minute (ClientThrottlerGuard).
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: Config) => [
        { ttl: 60_000, limit: config.get('THROTTLE_LIMIT', { infer: true }) },
      ],
    }),
    TerminusModule,
    // Queue mode: with REDIS_URL set, campaigns go through Redis, shared by every instance.
    ConditionalModule.registerWhen(QueueModeModule, (env) => Boolean(env.REDIS_URL), {
      debug: false,
    }),
  ],
  controllers: [MessagesController, CampaignsController, HealthController],
  providers: [
    { provide: APP_GUARD, useClass: ClientThrottlerGuard },
    CampaignsService,
    CascadeHealthIndicator,
    DeliveryLog,
  ],
})
export class AppModule {}
