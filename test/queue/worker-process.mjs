// One instance of an app that runs a queue worker, in a process of its own, for the tests that
// need several (and one to kill). It uses the built package, as a deployed app would.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { CascadeModule } from '../../dist/index.js';
import { CascadeQueueModule } from '../../dist/queue/index.js';

const { REDIS_PORT, EMULATOR_URL, QUEUE, RATE, LOCK_MS, NAME, BATCH, CONCURRENCY } = process.env;
const number = (text) => (text ? Number(text) : undefined);

class WorkerApp {}

const app = await NestFactory.createApplicationContext(
  {
    module: WorkerApp,
    imports: [
      // The API key names the instance, so the emulator can tell who sent what.
      CascadeModule.forRoot({ apiKey: NAME, baseUrl: EMULATOR_URL, isGlobal: true }),
      CascadeQueueModule.forRoot({
        connection: { host: '127.0.0.1', port: Number(REDIS_PORT) },
        queueName: QUEUE,
        ratePerSecond: number(RATE),
        lockDurationMs: number(LOCK_MS),
        batchSize: number(BATCH),
        concurrency: number(CONCURRENCY),
        backoffMs: 100,
      }),
    ],
  },
  { logger: ['error'] },
);
app.enableShutdownHooks();
process.stdout.write('ready\n');
