// `npm run bench:queue`: the queue at scale, in one run, side by side with direct sendBulk, all
// against the emulator in a process of its own answering each call 50 ms late (as a distant API
// would) and a Redis server of the benchmark's own. Needs redis-server on the PATH.
//   - messages per second, end to end (enqueue to last accepted), through one worker process and
//     through two, beside direct sendBulk at the same batch size and concurrency;
//   - how fast a producer enqueues a 100,000-message campaign read from an async iterable;
//   - Redis memory per message once that campaign is sent, its results kept (INFO memory);
//   - the producer's peak RSS enqueuing 100,000 and 1,000,000 messages.
// The last line printed is one JSON object with the figures.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import { CascadeModule } from '../dist/index.js';
import { CASCADE_QUEUE, CascadeQueueModule, CascadeQueueProducer } from '../dist/queue/index.js';
import { message, startCascade, startEmulator } from './support.js';

const MESSAGES = Number(process.env.BENCH_QUEUE_MESSAGES ?? 40_000);
const CAMPAIGN = Number(process.env.BENCH_QUEUE_CAMPAIGN ?? 100_000);
const LARGE_CAMPAIGN = Number(process.env.BENCH_QUEUE_LARGE_CAMPAIGN ?? 1_000_000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const BATCH_SIZE = 100;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 2);
const WORKER = new URL('../test/queue/worker-process.mjs', import.meta.url).pathname;
const PRODUCER = new URL('./queue-producer.js', import.meta.url).pathname;

const perSecond = (count, ms) => Math.round((count * 1000) / ms);
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

async function startRedis() {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'cascade-bench-redis-'));
  const child = spawn('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
  ]);
  await new Promise((done, fail) => {
    child.stdout.on('data', (chunk) => String(chunk).includes('Ready to accept') && done());
    child.once('error', fail);
  });
  const client = new Redis({ port });
  return {
    port,
    usedMemory: async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))[1]),
    flush: () => client.flushall(),
    stop: async () => {
      client.disconnect();
      child.kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function startWorker(env) {
  const child = spawn(process.execPath, [WORKER], { env: { PATH: process.env.PATH, ...env } });
  return new Promise((done) =>
    child.stdout.on('data', (chunk) => String(chunk).includes('ready') && done(child)),
  );
}

const stopWorkers = (children) =>
  Promise.all(
    children.map(
      (child) =>
        new Promise((done) => {
          child.once('exit', done);
          child.kill('SIGTERM');
        }),
    ),
  );

// The emulator's process inherits this.
process.env.EMULATOR_LATENCY_MS = String(LATENCY_MS);
const emulator = await startEmulator();
const redis = await startRedis();
const workerEnv = (queueName, name, concurrency = CONCURRENCY) => ({
  REDIS_PORT: String(redis.port),
  EMULATOR_URL: emulator.url,
  QUEUE: queueName,
  NAME: name,
  BATCH: String(BATCH_SIZE),
  CONCURRENCY: String(concurrency),
});

/** A producer-only instance in this process, and its queue, to watch a campaign drain. */
async function producerApp(queueName) {
  class Producer {}
  const app = await NestFactory.createApplicationContext(
    {
      module: Producer,
      imports: [
        CascadeModule.forRoot({ apiKey: 'producer', baseUrl: emulator.url, isGlobal: true }),
        CascadeQueueModule.forRoot({
          connection: { host: '127.0.0.1', port: redis.port },
          queueName,
          batchSize: BATCH_SIZE,
          worker: false,
        }),
      ],
    },
    { logger: ['error'] },
  );
  return { app, producer: app.get(CascadeQueueProducer), queue: app.get(CASCADE_QUEUE) };
}

/** Resolves once no job waits or runs; a job failed for good ends the benchmark. */
async function drained(queue) {
  for (;;) {
    const counts = await queue.getJobCounts(
      'waiting',
      'prioritized',
      'delayed',
      'active',
      'failed',
    );
    if (counts.failed > 0) throw new Error(`${counts.failed} jobs failed`);
    if (counts.waiting + counts.prioritized + counts.delayed + counts.active === 0) return;
    await sleep(10);
  }
}

// Direct sendBulk, after a warm-up.
const messages = Array.from({ length: MESSAGES }, (_, i) => message(i, 'q'));
const { app: direct, service } = await startCascade(emulator.url);
await service.sendBulk(messages.slice(0, 2000), {
  batchSize: BATCH_SIZE,
  concurrency: CONCURRENCY,
});
let started = performance.now();
const report = await service.sendBulk(messages, {
  batchSize: BATCH_SIZE,
  concurrency: CONCURRENCY,
});
const directMsgsPerSec = perSecond(report.counts.accepted, performance.now() - started);
await direct.close();

/** End to end through `workers` worker processes: from enqueue to the last message accepted. */
async function throughQueue(workers, run) {
  const queueName = `bench-${run}`;
  const children = await Promise.all(
    Array.from({ length: workers }, (_, i) => startWorker(workerEnv(queueName, `w${i}`))),
  );
  const { app, producer, queue } = await producerApp(queueName);
  // Warmed up as direct sendBulk was.
  await producer.enqueueCampaign(
    messages.slice(0, 2000).map((m) => ({ ...m, id: `${m.id}-w${run}` })),
  );
  await drained(queue);
  const start = performance.now();
  const { campaignId } = await producer.enqueueCampaign(
    messages.map((m) => ({ ...m, id: `${m.id}-${run}` })),
  );
  await drained(queue);
  const ms = performance.now() - start;
  const { accepted } = await producer.campaign(campaignId);
  if (accepted !== MESSAGES) throw new Error(`${run}: ${accepted} of ${MESSAGES} accepted`);
  await stopWorkers(children);
  await app.close();
  return perSecond(MESSAGES, ms);
}

const oneWorker = await throughQueue(1, 'one');
const twoWorkers = await throughQueue(2, 'two');

/** Enqueues a campaign from a producer process of its own, for its time and peak RSS. */
async function produce(count, queueName, nodeFlags = []) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...nodeFlags, PRODUCER, String(redis.port), queueName, String(count), queueName],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

// A 100,000-message campaign: enqueued, then sent by two workers; Redis's memory measured
// before it and once it is sent, with its results kept.
await redis.flush();
const watch = await producerApp('bench-campaign');
const memoryBefore = await redis.usedMemory();
const campaign = await produce(CAMPAIGN, 'bench-campaign');
const senders = await Promise.all(
  [0, 1].map((i) => startWorker(workerEnv('bench-campaign', `big${i}`, 8))),
);
await drained(watch.queue);
const account = await watch.producer.campaign(campaign.campaignId);
if (account.accepted !== CAMPAIGN) throw new Error(`${account.accepted} of ${CAMPAIGN} accepted`);
await stopWorkers(senders);
const redisBytesPerMessage = Math.round(((await redis.usedMemory()) - memoryBefore) / CAMPAIGN);
await watch.app.close();

// A 1,000,000-message campaign, enqueued only: the producer's memory must not grow with it.
await redis.flush();
const large = await produce(LARGE_CAMPAIGN, 'bench-large');
await redis.flush();
// Both sizes again with the heap capped, as in a small container: what the producer holds,
// apart from the room V8's default sizing lets the heap take over a longer run.
const capped = ['--max-old-space-size=64'];
const campaignCapped = await produce(CAMPAIGN, 'bench-capped', capped);
await redis.flush();
const largeCapped = await produce(LARGE_CAMPAIGN, 'bench-large-capped', capped);
await redis.flush();

await redis.stop();
emulator.close();

const figures = {
  messages: MESSAGES,
  batchSize: BATCH_SIZE,
  concurrency: CONCURRENCY,
  latencyMs: LATENCY_MS,
  directSendBulkMsgsPerSec: directMsgsPerSec,
  queueOneWorkerMsgsPerSec: oneWorker,
  queueTwoWorkersMsgsPerSec: twoWorkers,
  queueVsDirect: Number((oneWorker / directMsgsPerSec).toFixed(2)),
  twoWorkersVsOne: Number((twoWorkers / oneWorker).toFixed(2)),
  enqueueMsgsPerSec: perSecond(CAMPAIGN, campaign.ms),
  enqueueLargeMsgsPerSec: perSecond(LARGE_CAMPAIGN, large.ms),
  redisBytesPerMessage,
  producerPeakRssMb: campaign.peakRssMb,
  producerPeakRssLargeMb: large.peakRssMb,
  producerPeakRssMbHeapCapped: campaignCapped.peakRssMb,
  producerPeakRssLargeMbHeapCapped: largeCapped.peakRssMb,
  enqueueLargeMsgsPerSecHeapCapped: perSecond(LARGE_CAMPAIGN, largeCapped.ms),
};
console.log(`
each call answered ${LATENCY_MS} ms late; batches of ${BATCH_SIZE}, ${CONCURRENCY} calls in flight per sender
direct sendBulk       ${directMsgsPerSec} msg/s
queue, 1 worker       ${oneWorker} msg/s end to end (enqueue to last accepted), ${figures.queueVsDirect}x direct
queue, 2 workers      ${twoWorkers} msg/s, ${figures.twoWorkersVsOne}x one
enqueue               ${figures.enqueueMsgsPerSec} msg/s (${CAMPAIGN} from an async iterable), ${figures.enqueueLargeMsgsPerSec} msg/s (${LARGE_CAMPAIGN})
Redis memory          ${redisBytesPerMessage} bytes per message, ${CAMPAIGN} sent, results kept
producer peak RSS     ${campaign.peakRssMb} MB for ${CAMPAIGN}, ${large.peakRssMb} MB for ${LARGE_CAMPAIGN};
                      with --max-old-space-size=64: ${campaignCapped.peakRssMb} and ${largeCapped.peakRssMb} MB (${figures.enqueueLargeMsgsPerSecHeapCapped} msg/s)
`);
console.log(JSON.stringify(figures));
