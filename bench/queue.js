// `npm run bench:queue`: messages per second through the queue with one and with two worker
// processes, beside direct sendBulk, in one run, all against the emulator on loopback and a
// Redis server of the benchmark's own. Needs redis-server on the PATH. Last line: JSON figures.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CascadeModule } from '../dist/index.js';
import { CascadeQueueModule, CascadeQueueProducer } from '../dist/queue/index.js';
import { NestFactory } from '@nestjs/core';
import { message, startCascade, startEmulator } from './support.js';

const MESSAGES = Number(process.env.BENCH_QUEUE_MESSAGES ?? 20_000);
const WORKER = new URL('../test/queue/worker-process.mjs', import.meta.url).pathname;

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
  return {
    port,
    stop: async () => (child.kill(), await rm(dir, { recursive: true, force: true })),
  };
}

function startWorker(env) {
  const child = spawn(process.execPath, [WORKER], { env: { PATH: process.env.PATH, ...env } });
  return new Promise((done) =>
    child.stdout.on('data', (chunk) => String(chunk).includes('ready') && done(child)),
  );
}

const emulator = await startEmulator();
const redis = await startRedis();
const messages = Array.from({ length: MESSAGES }, (_, i) => message(i, 'q'));

const { app, service } = await startCascade(emulator.url);
await service.sendBulk(messages.slice(0, 2000));
const started = performance.now();
await service.sendBulk(messages, { batchSize: 100, concurrency: 2 });
const directMsgsPerSec = Math.round((MESSAGES * 1000) / (performance.now() - started));
await app.close();

async function throughQueue(workers, run) {
  const queueName = `bench-${run}`;
  const children = await Promise.all(
    Array.from({ length: workers }, (_, i) =>
      startWorker({
        REDIS_PORT: String(redis.port),
        EMULATOR_URL: emulator.url,
        QUEUE: queueName,
        NAME: `w${i}`,
      }),
    ),
  );
  class Producer {}
  const producerApp = await NestFactory.createApplicationContext(
    {
      module: Producer,
      imports: [
        CascadeModule.forRoot({ apiKey: 'producer', baseUrl: emulator.url, isGlobal: true }),
        CascadeQueueModule.forRoot({
          connection: { host: '127.0.0.1', port: redis.port },
          queueName,
          worker: false,
        }),
      ],
    },
    { logger: ['error'] },
  );
  const producer = producerApp.get(CascadeQueueProducer);
  const start = performance.now();
  const { campaignId } = await producer.enqueueCampaign(
    messages.map((m) => ({ ...m, id: `${m.id}-${run}` })),
  );
  const enqueuedMs = performance.now() - start;
  for (;;) {
    const account = await producer.campaign(campaignId);
    if (account && account.pending === 0) break;
    await new Promise((done) => setTimeout(done, 20));
  }
  const ms = performance.now() - start;
  for (const child of children) child.kill('SIGTERM');
  await producerApp.close();
  return {
    msgsPerSec: Math.round((MESSAGES * 1000) / ms),
    enqueueMsgsPerSec: Math.round((MESSAGES * 1000) / enqueuedMs),
  };
}

const one = await throughQueue(1, 'one');
const two = await throughQueue(2, 'two');
await redis.stop();
emulator.close();

const figures = {
  messages: MESSAGES,
  directSendBulkMsgsPerSec: directMsgsPerSec,
  queueOneWorkerMsgsPerSec: one.msgsPerSec,
  queueTwoWorkersMsgsPerSec: two.msgsPerSec,
  enqueueMsgsPerSec: Math.round((one.enqueueMsgsPerSec + two.enqueueMsgsPerSec) / 2),
};
console.log(`
direct sendBulk   ${directMsgsPerSec} msg/s (batch size 100, concurrency 2)
queue, 1 worker   ${one.msgsPerSec} msg/s, end to end (enqueue to last accepted)
queue, 2 workers  ${two.msgsPerSec} msg/s
enqueue           ${figures.enqueueMsgsPerSec} msg/s into Redis
`);
console.log(JSON.stringify(figures));
