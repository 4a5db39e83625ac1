import type { TestingModule } from '@nestjs/testing';
import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import { CascadeModule, CascadeValidationError } from 'nestjs-smsbat-cascade';
import {
  CASCADE_QUEUE,
  CascadeQueueModule,
  CascadeQueueProducer,
  type CascadeQueueModuleOptions,
} from 'nestjs-smsbat-cascade/queue';
import { CascadeEmulator } from 'nestjs-smsbat-cascade/testing';
import { HoldingProxy } from '../support/holding-proxy.js';
import { LogCapture } from '../support/log-capture.js';
import { manyTransactions, transaction } from '../support/messages.js';
import { RedisServer } from '../support/redis-server.js';
import { until } from '../support/until.js';

const HOUR = 3_600_000;
/** The states of a job that may still run. */
const UNFINISHED = ['waiting', 'active', 'delayed', 'prioritized', 'paused'] as const;

describe('CascadeQueueModule on a real Redis, one instance', () => {
  let redis: RedisServer;
  let emulator: CascadeEmulator;
  let moduleRef: TestingModule;
  let producer: CascadeQueueProducer;
  let queue: Queue;
  let queueName: string;
  const sentIds = () =>
    emulator.requests.flatMap((r) =>
      r.status === 200 ? (r.body as { id: string }[]).map((m) => m.id) : [],
    );

  async function start(options: Partial<CascadeQueueModuleOptions> = {}, baseUrl = emulator.url) {
    moduleRef = await Test.createTestingModule({
      imports: [
        CascadeModule.forRoot({ apiKey: 'k', baseUrl, isGlobal: true }),
        CascadeQueueModule.forRoot({
          connection: redis.connection,
          queueName,
          backoffMs: 50,
          lingerMs: 10,
          ...options,
        }),
      ],
    })
      .setLogger(new LogCapture())
      .compile();
    await moduleRef.init();
    producer = moduleRef.get(CascadeQueueProducer);
    queue = moduleRef.get(CASCADE_QUEUE);
  }

  /** Starts the instance anew, on the same queue. */
  async function restart(...args: Parameters<typeof start>) {
    await moduleRef.close();
    await start(...args);
  }

  beforeAll(async () => {
    redis = await RedisServer.start();
    emulator = await CascadeEmulator.start();
  });
  afterAll(async () => {
    await emulator.close();
    await redis.stop();
  });
  beforeEach(async () => {
    emulator.reset();
    queueName = `q-${Date.now()}`;
    await start();
  });
  afterEach(() => moduleRef.close());

  it("shares its queue with @nestjs/bullmq's @InjectQueue(name)", () => {
    expect(moduleRef.get(getQueueToken(queueName))).toBe(queue);
  });

  it('sends an enqueued message, keyed by its tracking id', async () => {
    const { jobIds, duplicates } = await producer.enqueue(transaction({ id: 'order:1' }));

    await until(async () => (await queue.getJob(jobIds[0]))?.finishedOn !== undefined);
    const job = await queue.getJob(jobIds[0]);

    expect(jobIds).toEqual(['msg-order%3A1']);
    expect(duplicates).toEqual([]);
    expect(job?.returnvalue.messageId).toEqual(expect.any(String));
    expect(emulator.messages.get(job?.returnvalue.messageId)?.message.id).toBe('order:1');
  });

  it('sends a message enqueued twice only once', async () => {
    await producer.enqueue([transaction({ id: 'twice' })]);
    const again = await producer.enqueue([
      transaction({ id: 'twice' }),
      transaction({ id: 'once' }),
    ]);

    // Both enqueues are done: once no job is left to run, nothing more will be sent.
    await until(async () =>
      Object.values(await queue.getJobCounts(...UNFINISHED)).every((n) => !n),
    );

    expect(again.duplicates).toEqual(['twice']);
    expect(await queue.getCompletedCount()).toBe(2);
    expect(sentIds().sort()).toEqual(['once', 'twice']);
  });

  it('refuses invalid messages when enqueued, all or nothing', async () => {
    const error = await producer
      .enqueue([transaction({ id: 'a' }), transaction({ id: 'b', toPhone: '0501234567' })])
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CascadeValidationError);
    expect(await queue.count()).toBe(0);
  });

  it('gathers jobs into batches for the API', async () => {
    // No linger to cut a batch short, however slowly the jobs come: each goes when full.
    await restart({ lingerMs: HOUR });
    await producer.enqueue(manyTransactions(300));

    await until(() => sentIds().length === 300);

    expect(emulator.requests.map((r) => (r.body as unknown[]).length)).toEqual([100, 100, 100]);
  });

  it('keeps a campaign account any instance can read', async () => {
    const messages = [
      ...manyTransactions(120, 'campaign'),
      transaction({ id: 'bad', toPhone: '380501234567' }),
      transaction({ id: 'campaign-3' }),
    ];

    const { campaignId, enqueued, rejected } = await producer.enqueueCampaign(
      (async function* () {
        yield* messages;
      })(),
    );
    await until(async () => (await producer.campaign(campaignId))?.pending === 0);
    const account = await producer.campaign(campaignId);

    expect({ enqueued, rejected }).toEqual({ enqueued: 120, rejected: 2 });
    expect(account).toMatchObject({
      enqueued: 120,
      rejected: 2,
      accepted: 120,
      failed: 0,
      duplicates: 0,
    });
    expect(Object.keys(account!.results)).toHaveLength(120);
    expect(emulator.messages.get(account!.results['campaign-7'])?.message.id).toBe('campaign-7');
    expect(account!.failures).toEqual({
      '#120': expect.stringMatching(/^INVALID_PHONE: toPhone must start with "\+"/),
      '#121': 'DUPLICATE_ID: id repeats the id of an earlier message of the campaign',
    });
  });

  it('retries a retryable failure with backoff, then sends', async () => {
    emulator.faults.next({ kind: 'status', status: 503 }, { kind: 'reset', when: 'before-body' });

    await producer.enqueue(transaction({ id: 'flaky' }));
    await until(() => sentIds().includes('flaky'));

    expect(emulator.requests.map((r) => r.status)).toEqual([503, 0, 200]);
  });

  it('honours a 429 by pausing the queue, without charging the attempt', async () => {
    emulator.faults.next({ kind: 'status', status: 429, headers: { 'retry-after': '0.3' } });
    const started = Date.now();

    const { jobIds } = await producer.enqueue(transaction({ id: 'limited' }));
    await until(() => sentIds().includes('limited'));
    const job = await queue.getJob(jobIds[0]);

    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(job?.attemptsMade).toBeLessThanOrEqual(1);
  });

  it('fails a permanent error at once with its reason, kept for replay', async () => {
    emulator.faults.next({
      kind: 'status',
      status: 400,
      body: { error: { code: 'INVALID_SENDER', message: 'Unknown sender', field: 'fromName' } },
    });
    const { campaignId } = await producer.enqueueCampaign([transaction({ id: 'rejected' })]);

    // The account is written as the job fails; BullMQ files the job as failed just after.
    await until(async () => (await queue.getFailedCount()) === 1);
    const [failed] = await queue.getFailed();
    const account = await producer.campaign(campaignId);

    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toContain('HTTP 400 INVALID_SENDER');
    expect(account?.failures).toEqual({ rejected: expect.stringContaining('Unknown sender') });

    expect(await producer.replayFailed(campaignId)).toBe(1);
    await until(async () => (await producer.campaign(campaignId))?.accepted === 1);
    expect(await producer.campaign(campaignId)).toMatchObject({
      accepted: 1,
      failed: 0,
      failures: {},
    });
  });

  it('finishes the jobs it holds when it shuts down', async () => {
    // Every request waits at a proxy, so all 50 jobs are in the worker's hands when the
    // shutdown starts, whether gathering or sent; it must see each through.
    const proxy = await HoldingProxy.start(emulator.url);
    try {
      await restart({}, proxy.url);
      await producer.enqueue(manyTransactions(50, 'held'));
      await until(async () => (await queue.getActiveCount()) === 50);

      const closing = moduleRef.close();
      proxy.release();
      await closing;

      expect(sentIds()).toHaveLength(50);
      await start();
      expect(await queue.getActiveCount()).toBe(0);
      expect(await queue.getCompletedCount()).toBe(50);
    } finally {
      await proxy.close();
    }
  });
});
