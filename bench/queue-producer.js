// A producer-only instance in a process of its own: enqueues a campaign of `count` messages
// read from an async iterable, then prints how long that took (and the CPU time it used, which
// a busy host does not stretch), and the process's peak RSS.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { performance } from 'node:perf_hooks';
import { CascadeModule } from '../dist/index.js';
import { CascadeQueueModule, CascadeQueueProducer } from '../dist/queue/index.js';
import { message, peakRssMb } from './support.js';

const [port, queueName, count, prefix] = process.argv.slice(2);

class Producer {}
const app = await NestFactory.createApplicationContext(
  {
    module: Producer,
    imports: [
      CascadeModule.forRoot({ apiKey: 'producer', baseUrl: 'http://127.0.0.1:9', isGlobal: true }),
      CascadeQueueModule.forRoot({
        connection: { host: '127.0.0.1', port: Number(port) },
        queueName,
        worker: false,
      }),
    ],
  },
  { logger: ['error'] },
);

async function* rows() {
  for (let i = 0; i < Number(count); i++) yield message(i, prefix);
}

const started = performance.now();
const cpu = process.cpuUsage();
const { campaignId, enqueued } = await app.get(CascadeQueueProducer).enqueueCampaign(rows());
const ms = performance.now() - started;
const { user, system } = process.cpuUsage(cpu);
const cpuMs = Math.round((user + system) / 1000);
await app.close();
process.stdout.write(
  `${JSON.stringify({ campaignId, enqueued, ms, cpuMs, peakRssMb: peakRssMb() })}\n`,
);
