import {
  ConfigurableModuleBuilder,
  Inject,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { CampaignStore } from './campaign-store.js';
import {
  CASCADE_CAMPAIGN_STORE,
  CASCADE_QUEUE,
  CASCADE_QUEUE_CONFIG,
  CASCADE_QUEUE_NAME,
  DEFAULT_QUEUE_NAME,
} from './cascade-queue.constants.js';
import {
  type CascadeJobData,
  type CascadeQueueModuleOptions,
  type ResolvedQueueOptions,
  resolveQueueOptions,
} from './cascade-queue.options.js';
import { CascadeQueueProducer } from './cascade-queue.producer.js';
import { CascadeQueueWorker } from './cascade-queue.worker.js';

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
 * and campaigns; the `CascadeQueueWorker` of every instance sends them under one shared rate
 * limit. Needs `CascadeModule` (for `CascadeService`) in the app.
 */
@Module({
  providers: [
    {
      provide: CASCADE_QUEUE_CONFIG,
      inject: [CASCADE_QUEUE_MODULE_OPTIONS, CASCADE_QUEUE_NAME],
      useFactory: resolveQueueOptions,
    },
    {
      provide: CASCADE_QUEUE,
      inject: [CASCADE_QUEUE_CONFIG],
      useFactory: async ({ queueName, connection }: ResolvedQueueOptions) => {
        const queue = new Queue<CascadeJobData>(queueName, { connection });
        // The connection reconnects by itself; an error left unheard would crash the process.
        queue.on('error', (error) => new Logger('CascadeQueue').warn(`Queue: ${error.message}`));
        await queue.waitUntilReady();
        return queue;
      },
    },
    {
      provide: CASCADE_CAMPAIGN_STORE,
      inject: [CASCADE_QUEUE],
      useFactory: async (queue: Queue) =>
        new CampaignStore(await queue.client, queue.qualifiedName),
    },
    CascadeQueueProducer,
    CascadeQueueWorker,
  ],
  exports: [CascadeQueueProducer, CASCADE_QUEUE],
})
export class CascadeQueueModule extends ConfigurableModuleClass implements OnApplicationShutdown {
  constructor(@Inject(CASCADE_QUEUE) private readonly queue: Queue) {
    super();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
