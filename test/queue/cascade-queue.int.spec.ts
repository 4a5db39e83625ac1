import type { TestingModule } from '@nestjs/testing';
import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import { CascadeConfigError, CascadeModule, CascadeValidationError } from 'nestjs-smsbat-cascade';
import {
  CASCADE_QUEUE,
  CascadeQueueModule,
  CascadeQueueProducer,
  type CascadeQueueModuleOptions,
} from 'nestjs-smsbat-cascade/queue';
import { CascadeEmulator } from 'nestjs-smsbat-cascade/testing';
import { LogCapture } from '../support/log-capture.js';
import { manyTransactions, transaction } from '../support/messages.js';
import { RedisServer } from '../support/redis-server.js';
import { until } from '../support/until.js';

const DAY = 24 * 60 * 60 * 1000;

describe('CascadeQueueModule on a real Redis, one instance', () => {
  let redis: RedisServer;
  let emulator: CascadeEmulator;
  let moduleRef: TestingModule;
  let producer: CascadeQueueProducer;
  let queue: Queue;
  let queueName: string;
  const drained = async () => {
    const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
    return Object.values(counts).every((count) => count === 0);
  };
  const sentIds = () =>
    emulator.requests.flatMap((r) =>
      r.status === 200 ? (r.body as { id: string }[]).map((m) => m.id) : [],
    );

  async function start(options: Partial<CascadeQueueModuleOptions> = {}, baseUrl = emulator.url) {
    moduleRef = await Test.createTestingModule({
      imports: [
        CascadeModule.forRoot({ apiKey: 'queue-test-key-0123', baseUrl, isGlobal: true }),
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

    expect(jobIds).toHaveLength(1);
    expect(duplicates).toEqual([]);
    const messageId = job?.returnvalue.results['order:1'];
    expect(messageId).toEqual(expect.any(String));
    expect(emulator.messages.get(messageId)?.message.id).toBe('order:1');
  });

  it('sends a message enqueued twice only once', async () => {
    await producer.enqueue([transaction({ id: 'twice' })]);
    const again = await producer.enqueue([
      transaction({ id: 'twice' }),
      transaction({ id: 'once' }),
    ]);

    await until(() => sentIds().length === 2);
    await until(drained);

    expect(again.duplicates).toEqual(['twice']);
    expect(sentIds().sort()).toEqual(['once', 'twice']);
  });

  it('sends a campaign enqueued by two instances at once only once', async () => {
    const other = await Test.createTestingModule({
      imports: [
        CascadeModule.forRoot({
          apiKey: 'queue-test-key-0123',
          baseUrl: emulator.url,
          isGlobal: true,
        }),
        CascadeQueueModule.forRoot({ connection: redis.connection, queueName, worker: false }),
      ],
    })
      .setLogger(new LogCapture())
      .compile();
    await other.init();
    const messages = manyTransactions(2000, 'both');

    const [first, second] = await Promise.all([
      producer.enqueueCampaign(messages, { campaignId: 'first' }),
      other.get(CascadeQueueProducer).enqueueCampaign(messages, { campaignId: 'second' }),
    ]);
    await until(async () => (await producer.campaign('first'))?.pending === 0);
    await until(async () => (await producer.campaign('second'))?.pending === 0);
    await until(drained);
    await other.close();

    expect(first.enqueued + second.enqueued).toBe(2000);
    expect(first.rejected + second.rejected).toBe(2000);
    expect(sentIds()).toHaveLength(2000);
    expect(new Set(sentIds()).size).toBe(2000);
  });

  it('refuses invalid messages when enqueued, all or nothing', async () => {
    const error = await producer
      .enqueue([transaction({ id: 'a' }), transaction({ id: 'b', toPhone: '0501234567' })])
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CascadeValidationError);
    expect(await queue.count()).toBe(0);
  });

  it('gathers jobs into batches for the API', async () => {
    await producer.enqueue(manyTransactions(250));

    await until(() => sentIds().length === 250);

    expect(emulator.requests).toHaveLength(3);
    expect(Math.max(...emulator.requests.map((r) => (r.body as unknown[]).length))).toBe(100);
  });

  it('gathers calls of enqueue made together into shared jobs', async () => {
    const results = await Promise.all(
      manyTransactions(250, 'single').map((message) => producer.enqueue(message)),
    );

    await until(() => sentIds().length === 250);

    expect(new Set(results.flatMap((result) => result.jobIds)).size).toBe(3);
    expect(emulator.requests).toHaveLength(3);
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

  it('refuses a repeat far apart in a campaign, with the same reason as a near one', async () => {
    // Far enough apart to be admitted in different groups, so found by the claims.
    const messages = [...manyTransactions(6000, 'far'), transaction({ id: 'far-3' })];

    const { campaignId, enqueued, rejected } = await producer.enqueueCampaign(messages);
    await until(async () => (await producer.campaign(campaignId))?.pending === 0);
    const account = await producer.campaign(campaignId);

    expect({ enqueued, rejected }).toEqual({ enqueued: 6000, rejected: 1 });
    expect(account?.failures).toEqual({
      '#6000': 'DUPLICATE_ID: id repeats the id of an earlier message of the campaign',
    });
    expect(new Set(sentIds()).size).toBe(6000);
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

  it('moves a job to delayed for a long Retry-After, rather than holding it', async () => {
    emulator.faults.next({ kind: 'status', status: 429, headers: { 'retry-after': '2.5' } });

    const { jobIds } = await producer.enqueue(transaction({ id: 'later' }));
    await until(async () => (await queue.getJobState(jobIds[0])) === 'delayed');
    await until(() => sentIds().includes('later'));
    await until(async () => (await queue.getJobState(jobIds[0])) === 'completed');
    const job = await queue.getJob(jobIds[0]);

    expect(emulator.requests.map((r) => r.status)).toEqual([429, 200]);
    // Only the attempt that sent it: the 429 was not charged.
    expect(job?.attemptsMade).toBe(1);
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

  it('fails only the message the API refuses, and sends the rest of its batch', async () => {
    // A strict API whose clock runs two days ahead refuses a message scheduled for tomorrow as
    // past, and so every batch holding it, with a 400 that does not say which message.
    const ahead = await CascadeEmulator.start({ now: () => Date.now() + 2 * DAY, strict: true });
    await moduleRef.close();
    await start({}, ahead.url);
    const messages = manyTransactions(100, 'part');
    messages[37].scheduledSent = new Date(Date.now() + DAY).toISOString();

    const { campaignId } = await producer.enqueueCampaign(messages);
    await until(async () => (await producer.campaign(campaignId))?.pending === 0);
    await until(async () => (await queue.getFailedCount()) === 1);
    const account = await producer.campaign(campaignId);
    const [failed] = await queue.getFailed();
    await ahead.close();

    expect(account).toMatchObject({ accepted: 99, failed: 1, duplicates: 0 });
    expect(account?.failures).toEqual({
      'part-37': expect.stringContaining('HTTP 400 INVALID_SCHEDULE'),
    });
    expect(ahead.messages.size).toBe(99);
    expect(failed.data.messages.map((m: { id: string }) => m.id)).toEqual(['part-37']);
    expect(failed.attemptsMade).toBe(1);
  });

  it('finishes the jobs it holds when it shuts down', async () => {
    emulator.faults.rule({ fault: { kind: 'delay', ms: 150 } });
    await producer.enqueue(manyTransactions(50, 'held'));
    await until(async () => (await queue.getActiveCount()) === 1);

    await moduleRef.close();

    expect(sentIds()).toHaveLength(50);
    await start();
    expect(await queue.getActiveCount()).toBe(0);
    expect(await queue.getCompletedCount()).toBe(1);
  });
});

describe('CascadeQueueModule options', () => {
  const boot = (options: Record<string, unknown>) =>
    Test.createTestingModule({
      imports: [
        CascadeModule.forRoot({
          apiKey: 'queue-test-key-0123',
          baseUrl: 'http://127.0.0.1:9',
          isGlobal: true,
        }),
        // Nothing listens on port 9: the options fail before any connection is tried.
        CascadeQueueModule.forRoot({
          connection: { host: '127.0.0.1', port: 9, password: 'redis-secret-5d1e' },
          ...options,
        } as CascadeQueueModuleOptions),
      ],
    })
      .setLogger(new LogCapture())
      .compile()
      .then(
        () => undefined,
        (error: unknown) => error,
      );

  it.each([
    ['batchSize', 5000],
    ['batchSize', 0],
    ['batchSize', 2.5],
    ['ratePerSecond', 0],
    ['ratePerSecond', -300],
    ['ratePerSecond', Number.NaN],
    ['lockDurationMs', 0],
    ['concurrency', 0],
    ['attempts', 0],
    ['backoffMs', -1],
    ['lingerMs', 60_000],
    ['keepCompletedMs', 0],
    ['redisTimeoutMs', 0],
    ['endpoint', 'fastest'],
    ['worker', 'yes'],
    ['prefix', 'a:b'],
    ['lingerMS', 5],
  ])('refuses %s: %p at boot, naming the option and not its value', async (option, value) => {
    const error = await boot({ [option]: value });

    expect(error).toBeInstanceOf(CascadeConfigError);
    expect((error as CascadeConfigError).option).toBe(option);
    expect((error as Error).message).toContain(option);
    // A value of one character is found in any message; the others must not be.
    if (String(value).length > 1) expect((error as Error).message).not.toContain(String(value));
    expect(JSON.stringify(error)).not.toContain('redis-secret-5d1e');
  });
});
