import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Test, type TestingModule } from '@nestjs/testing';
import { CascadeModule } from 'nestjs-smsbat-cascade';
import type { Queue } from 'bullmq';
import {
  CASCADE_QUEUE,
  CascadeQueueModule,
  CascadeQueueProducer,
} from 'nestjs-smsbat-cascade/queue';
import { CascadeEmulator } from 'nestjs-smsbat-cascade/testing';
import { LogCapture } from '../support/log-capture.js';
import { manyTransactions } from '../support/messages.js';
import { RedisServer } from '../support/redis-server.js';
import { until } from '../support/until.js';

const WORKER = resolve(import.meta.dirname, 'worker-process.mjs');

describe('queue-backed sending across processes, on a real Redis', () => {
  let redis: RedisServer;
  let emulator: CascadeEmulator;
  let producerModule: TestingModule;
  let producer: CascadeQueueProducer;
  const workers: ChildProcess[] = [];
  let queue = '';

  async function startWorker(name: string, env: Record<string, string> = {}) {
    const child = spawn(process.execPath, [WORKER], {
      env: {
        PATH: process.env.PATH,
        REDIS_PORT: String(redis.port),
        EMULATOR_URL: emulator.url,
        QUEUE: queue,
        NAME: name,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    workers.push(child);
    await new Promise<void>((done, fail) => {
      child.stdout!.on('data', (chunk) => String(chunk).includes('ready') && done());
      child.once('exit', (code) => fail(new Error(`worker exited with ${code}`)));
    });
    return child;
  }

  async function stopWorkers() {
    await Promise.all(
      workers.splice(0).map(
        (child) =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done(undefined);
            child.once('exit', done);
            child.kill('SIGTERM');
          }),
      ),
    );
  }

  /** How many times the emulator took each tracking id, and from which instance. */
  function taken() {
    const times = new Map<string, number>();
    const senders = new Set<string>();
    for (const request of emulator.requests) {
      if (request.status !== 200) continue;
      senders.add(String(request.headers['x-authorization-key']));
      for (const { id } of request.body as { id: string }[])
        times.set(id, (times.get(id) ?? 0) + 1);
    }
    return { times, senders };
  }

  /** The campaign's account and the queue's job counts, for a timeout's message. */
  const state = (campaignId: string) => async () => {
    const account = await producer.campaign(campaignId).catch((error: Error) => error.message);
    const counts = await producerModule.get<Queue>(CASCADE_QUEUE).getJobCounts();
    return {
      account: typeof account === 'object' ? { ...account, results: undefined } : account,
      counts,
    };
  };

  beforeAll(async () => {
    redis = await RedisServer.start();
    emulator = await CascadeEmulator.start();
  });
  afterAll(async () => {
    await stopWorkers();
    await emulator.close();
    await redis.stop();
  });
  beforeEach(async () => {
    emulator.reset();
    queue = `processes-${Date.now()}`;
    producerModule = await Test.createTestingModule({
      imports: [
        CascadeModule.forRoot({ apiKey: 'producer', baseUrl: emulator.url, isGlobal: true }),
        CascadeQueueModule.forRoot({
          connection: redis.connection,
          queueName: queue,
          worker: false,
        }),
      ],
    })
      .setLogger(new LogCapture())
      .compile();
    await producerModule.init();
    producer = producerModule.get(CascadeQueueProducer);
  });
  afterEach(async () => {
    await stopWorkers();
    await producerModule.close();
  });

  it('sends 10,000 messages through two workers, each exactly once', async () => {
    await startWorker('worker-1');
    await startWorker('worker-2');

    const { campaignId, enqueued } = await producer.enqueueCampaign(
      manyTransactions(10_000, 'two'),
    );
    await until(async () => (await producer.campaign(campaignId))?.pending === 0, {
      state: state(campaignId),
    });
    const account = await producer.campaign(campaignId);
    const { times, senders } = taken();

    expect(enqueued).toBe(10_000);
    expect(account).toMatchObject({ accepted: 10_000, failed: 0, duplicates: 0 });
    expect(times.size).toBe(10_000);
    expect([...times.values()].every((n) => n === 1)).toBe(true);
    expect([...senders].sort()).toEqual(['worker-1', 'worker-2']);
  }, 90_000);

  it('holds the shared limit in every one-second window, across two workers', async () => {
    const rate = 1000;
    const total = 5000;
    // Enqueued first, so that this process (the emulator's) is idle while the workers send.
    await producer.enqueueCampaign(manyTransactions(total, 'rate'));
    await Promise.all([
      startWorker('worker-1', { RATE: String(rate), BATCH: '50' }),
      startWorker('worker-2', { RATE: String(rate), BATCH: '50' }),
    ]);
    // Counted here, from the emulator's own record: no Redis reads to slow this process down.
    await until(() => [...taken().times.values()].reduce((sum, n) => sum + n, 0) === total);
    const sent = emulator.requests
      .filter((r) => r.status === 200)
      .map((r) => ({ at: r.receivedAt, n: (r.body as unknown[]).length }));
    // Every window that starts with a request: the busiest of all windows starts with one.
    const busiest = Math.max(
      ...sent.map(({ at }) =>
        sent.filter((s) => s.at >= at && s.at < at + 1000).reduce((sum, s) => sum + s.n, 0),
      ),
    );

    expect(taken().senders).toEqual(new Set(['worker-1', 'worker-2']));
    expect(busiest).toBeLessThanOrEqual(rate * 1.1);
    process.stdout.write(`shared limit ${rate}/s: busiest one-second window ${busiest}\n`);
  }, 90_000);

  it('recovers the jobs of a worker killed mid-run, accounting for every message', async () => {
    const victim = await startWorker('worker-1', { RATE: '3000', LOCK_MS: '2000' });
    await startWorker('worker-2', { RATE: '3000', LOCK_MS: '2000' });

    const { campaignId } = await producer.enqueueCampaign(manyTransactions(10_000, 'kill'));
    await until(async () => ((await producer.campaign(campaignId))?.accepted ?? 0) >= 3000, {
      state: state(campaignId),
    });
    victim.kill('SIGKILL');
    await until(async () => (await producer.campaign(campaignId))?.pending === 0, {
      state: state(campaignId),
    });
    const account = (await producer.campaign(campaignId))!;
    const { times } = taken();
    const duplicates = [...times.values()].filter((n) => n > 1).length;

    // Every message ends accepted (or failed with its reason); none is lost.
    expect(account.accepted + account.failed).toBe(10_000);
    expect(Object.keys(account.failures)).toHaveLength(account.failed);
    for (let i = 0; i < 10_000; i++) {
      const id = `kill-${i}`;
      expect(times.has(id) || account.failures[id] !== undefined).toBe(true);
    }
    // The duplicate risk: sends the killed worker made but never recorded. At most the one
    // batch it had in flight (concurrency 1, batchSize 100).
    expect(duplicates).toBeLessThanOrEqual(100);
    process.stdout.write(
      `killed worker: ${duplicates} messages sent twice (system-recorded duplicates: ${account.duplicates})\n`,
    );
  }, 90_000);

  it('loses no job when Redis restarts mid-run', async () => {
    await startWorker('worker-1', { LOCK_MS: '2000' });

    const { campaignId } = await producer.enqueueCampaign(manyTransactions(5000, 'restart'));
    await until(async () => ((await producer.campaign(campaignId))?.accepted ?? 0) >= 1000, {
      state: state(campaignId),
    });
    await redis.restart();
    await until(
      async () => (await producer.campaign(campaignId).catch(() => undefined))?.pending === 0,
      { state: state(campaignId) },
    );
    const account = (await producer.campaign(campaignId))!;
    const { times } = taken();

    expect(account.accepted + account.failed).toBe(5000);
    for (let i = 0; i < 5000; i++) expect(times.has(`restart-${i}`)).toBe(true);
  }, 90_000);
});
