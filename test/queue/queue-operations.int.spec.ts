import { inspect } from 'node:util';
import { Module } from '@nestjs/common';
import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { TerminusModule } from '@nestjs/terminus';
import { Test, type TestingModule } from '@nestjs/testing';
import { CascadeModule, CascadeQueueUnavailableError } from 'nestjs-smsbat-cascade';
import { CascadeQueueHealthIndicator } from 'nestjs-smsbat-cascade/health';
import {
  CascadeQueueModule,
  CascadeQueueProducer,
  CascadeQueueWorker,
  type CascadeQueueModuleOptions,
} from 'nestjs-smsbat-cascade/queue';
import { CascadeEmulator } from 'nestjs-smsbat-cascade/testing';
import { LogCapture } from '../support/log-capture.js';
import { manyTransactions, transaction } from '../support/messages.js';
import { RedisServer } from '../support/redis-server.js';
import { until } from '../support/until.js';

const PASSWORD = 'redis-secret-8c41f0e2';

describe('the queue in operation: health, and Redis going away', () => {
  let redis: RedisServer;
  let emulator: CascadeEmulator;
  const apps: TestingModule[] = [];
  let logs: LogCapture;
  let queueName: string;

  async function start(options: Partial<CascadeQueueModuleOptions> = {}) {
    @Module({
      imports: [
        TerminusModule,
        CascadeModule.forRoot({
          apiKey: 'queue-test-key-0123',
          baseUrl: emulator.url,
          isGlobal: true,
        }),
        CascadeQueueModule.forRoot({
          connection: redis.connection,
          queueName,
          backoffMs: 50,
          ...options,
        }),
      ],
      providers: [CascadeQueueHealthIndicator],
    })
    class App {}
    const app = await Test.createTestingModule({ imports: [App] })
      .setLogger(logs)
      .compile();
    await app.init();
    apps.push(app);
    return {
      app,
      producer: app.get(CascadeQueueProducer),
      health: app.get(CascadeQueueHealthIndicator),
    };
  }

  beforeAll(async () => {
    redis = await RedisServer.start({ password: PASSWORD });
    emulator = await CascadeEmulator.start();
  });
  afterAll(async () => {
    await emulator.close();
    await redis.stop();
  });
  beforeEach(() => {
    emulator.reset();
    logs = new LogCapture();
    queueName = `ops-${Date.now()}`;
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('gives its backlog as the cascade.queue.backlog gauge, where OpenTelemetry is in use', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    // Read on demand below, never on a timer.
    const reader = new PeriodicExportingMetricReader({
      exporter,
      exportIntervalMillis: 2 ** 31 - 1,
    });
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    try {
      const { producer } = await start({ worker: false, batchSize: 100 });
      await producer.enqueue(manyTransactions(250, 'gauge'));

      await reader.forceFlush();
      const gauge = exporter
        .getMetrics()
        .at(-1)
        ?.scopeMetrics.flatMap((scope) => scope.metrics)
        .find((metric) => metric.descriptor.name === 'cascade.queue.backlog');
      expect(gauge?.dataPoints.map((point) => point.value)).toEqual([3]);
    } finally {
      await reader.shutdown();
      metrics.disable();
    }
  });

  it('reports a producer-only instance up, with its backlog and the age of its oldest job', async () => {
    const { producer, health } = await start({ worker: false });

    await producer.enqueue(manyTransactions(250, 'backlog'));
    const result = await health.isHealthy('queue');

    expect(result).toEqual({
      queue: {
        status: 'up',
        redisReachable: true,
        worker: 'none',
        backlogJobs: 3,
        oldestWaitingMs: expect.any(Number),
        activeJobs: 0,
        failedJobs: 0,
      },
    });
    expect(result.queue.oldestWaitingMs).toBeGreaterThanOrEqual(0);
  });

  it('reports down when this instance should run a worker and does not', async () => {
    const { app, health } = await start();
    expect((await health.isHealthy('queue')).queue).toMatchObject({
      status: 'up',
      worker: 'running',
    });

    await app.get(CascadeQueueWorker).beforeApplicationShutdown();

    expect((await health.isHealthy('queue')).queue).toMatchObject({
      status: 'down',
      worker: 'stopped',
      reason: 'worker not running',
    });
  });

  it('fails calls that need Redis fast and typed while it is down, and finishes once it is back', async () => {
    emulator.faults.rule({ fault: { kind: 'delay', ms: 20 } });
    const { producer, health } = await start();
    const { campaignId } = await producer.enqueueCampaign(manyTransactions(3000, 'outage'));
    await until(async () => ((await producer.campaign(campaignId))?.accepted ?? 0) >= 300);

    await redis.down();
    const timed = async (call: () => Promise<unknown>) => {
      const started = Date.now();
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      return { error, ms: Date.now() - started };
    };
    const [campaign, enqueueCampaign, enqueue] = await Promise.all([
      timed(() => producer.campaign(campaignId)),
      timed(() => producer.enqueueCampaign([transaction({ id: 'during' })])),
      timed(() => producer.enqueue(transaction({ id: 'during-2' }))),
    ]);
    const down = await health.isHealthy('queue');
    process.stdout.write(
      `Redis down: campaign() failed in ${campaign.ms} ms, enqueueCampaign() in ` +
        `${enqueueCampaign.ms} ms, enqueue() in ${enqueue.ms} ms\n`,
    );
    await redis.up();
    // Until the client has reconnected, a call may still fail as above: fast, and typed.
    const account = () => producer.campaign(campaignId).catch(() => undefined);
    await until(async () => (await account())?.pending === 0, {
      state: async () => ({ ...(await account()), results: undefined }),
    });
    const finished = await producer.campaign(campaignId);

    for (const { error } of [campaign, enqueueCampaign, enqueue]) {
      expect(error).toBeInstanceOf(CascadeQueueUnavailableError);
      expect((error as Error).message).toMatch(/^The queue's Redis could not serve \w+: /);
      expect(JSON.stringify(error)).not.toContain(PASSWORD);
      expect(inspect(error)).not.toContain(PASSWORD);
    }
    expect((campaign.error as CascadeQueueUnavailableError).operation).toBe('campaign');
    expect(down.queue).toMatchObject({ status: 'down', redisReachable: false });
    expect(finished?.accepted).toBe(3000);
    expect(logs.text).not.toContain(PASSWORD);
  }, 60_000);
});
