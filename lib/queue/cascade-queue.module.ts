import {
  ConfigurableModuleBuilder,
  Inject,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { CASCADE_QUEUE_HEALTH_PROBE } from '../cascade.constants.js';
import { quote } from '../redact.js';
import { CampaignStore } from './campaign-store.js';
import {
  CASCADE_QUEUE,
  CASCADE_QUEUE_CONFIG,
  CASCADE_QUEUE_NAME,
  DEFAULT_QUEUE_NAME,
} from './cascade-queue.constants.js';
import { CascadeQueueProbe } from './cascade-queue.health-probe.js';
import {
  type CascadeJobData,
  type CascadeQueueModuleOptions,
  type ResolvedQueueOptions,
  resolveQueueOptions,
} from './cascade-queue.options.js';
import { CascadeQueueProducer } from './cascade-queue.producer.js';
import { CascadeQueueWorker } from './cascade-queue.worker.js';
import { QueueRedis, queueConnection } from './queue-redis.js';
import { TrackingClaims } from './tracking-claims.js';

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: CASCADE_QUEUE_MODULE_OPTIONS } =
  new ConfigurableModuleBuilder<CascadeQueueModuleOptions>()
    .setClassMethodName('forRoot')
    // The queue's name is known when the module is declared, so @nestjs/bullmq's
    // `@InjectQueue(name)` reaches the same queue.
    .setExtras({ queueName: DEFAULT_QUEUE_NAME }, (definition, { queueName }) => ({
      ...definition,
      providers: [
        ...(definition.providers ?? []),
        { provide: CASCADE_QUEUE_NAME, useValue: queueName },
        { provide: getQueueToken(queueName), useExisting: CASCADE_QUEUE },
      ],
      exports: [...(definition.exports ?? []), getQueueToken(queueName)],
    }))
    .build();

/**
 * Durable, queue-backed sending on BullMQ and Redis: `CascadeQueueProducer` enqueues messages
 * and campaigns in jobs of up to `batchSize`; the `CascadeQueueWorker` of every instance sends
 * them under one shared rate limit. Needs `CascadeModule` in the app.
 */
@Module({
  providers: [
    {
      provide: CASCADE_QUEUE_CONFIG,
      inject: [CASCADE_QUEUE_MODULE_OPTIONS, CASCADE_QUEUE_NAME],
      useFactory: resolveQueueOptions,
    },
    {
      provide: QueueRedis,
      inject: [CASCADE_QUEUE_CONFIG],
      useFactory: (options: ResolvedQueueOptions) => new QueueRedis(options),
    },
    {
      provide: CampaignStore,
      inject: [QueueRedis, CASCADE_QUEUE_CONFIG],
      useFactory: (redis: QueueRedis, { keepCompletedMs }: ResolvedQueueOptions) =>
        new CampaignStore(redis, keepCompletedMs),
    },
    {
      provide: TrackingClaims,
      inject: [QueueRedis, CampaignStore, CASCADE_QUEUE_CONFIG],
      useFactory: (
        redis: QueueRedis,
        store: CampaignStore,
        { keepCompletedMs }: ResolvedQueueOptions,
      ) => new TrackingClaims(redis, store, keepCompletedMs),
    },
    {
      provide: CASCADE_QUEUE,
      inject: [CASCADE_QUEUE_CONFIG],
      useFactory: async (options: ResolvedQueueOptions) => {
        const { queueName, prefix } = options;
        const queue = new Queue<CascadeJobData>(queueName, {
          connection: queueConnection(options),
          prefix,
        });
        // The connection reconnects by itself; an error left unheard would end the process.
        queue.on('error', (error) =>
          new Logger('CascadeQueue').warn(`Queue: ${quote(error.message)}`),
        );
        await queue.waitUntilReady();
        return queue;
      },
    },
    CascadeQueueProducer,
    CascadeQueueWorker,
    CascadeQueueProbe,
    { provide: CASCADE_QUEUE_HEALTH_PROBE, useExisting: CascadeQueueProbe },
  ],
  exports: [CascadeQueueProducer, CASCADE_QUEUE, CASCADE_QUEUE_HEALTH_PROBE],
})
export class CascadeQueueModule extends ConfigurableModuleClass implements OnApplicationShutdown {
  constructor(
    @Inject(CASCADE_QUEUE) private readonly queue: Queue,
    private readonly redis: QueueRedis,
  ) {
    super();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.queue.close(), this.redis.close()]);
  }
}
