// One client of `npm run bench` in a process of its own: `sendBulk`, raw node:http, or the plain
// axios loop. Apart, the three never share the JIT's feedback on the code they have in common
// (axios, node:http), as they would not in an app; together, each ran on code tuned for another.
// It builds the campaign, warms up with one whole run, prints "ready", then runs once for each
// "go" line on stdin and prints that run's wall and CPU time; "exit" prints its peak RSS.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import axios from 'axios';
import { CASCADE_ENDPOINTS } from '../dist/index.js';
import { message, peakRssMb, startCascade } from './support.js';

const [kind, url, count, batchSize, concurrency] = process.argv.slice(2);
const MESSAGES = Number(count);
const BATCH_SIZE = Number(batchSize);
const CONCURRENCY = Number(concurrency);

const messages = Array.from({ length: MESSAGES }, (_, i) => message(i));
const batches = [];
for (let i = 0; i < messages.length; i += BATCH_SIZE) {
  batches.push(messages.slice(i, i + BATCH_SIZE));
}

/** Posts every batch with `post`, `CONCURRENCY` at a time. */
async function postAll(post) {
  let next = 0;
  const worker = async () => {
    while (next < batches.length) await post(batches[next++]);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

/** The baseline: the same batches, posted with node:http. */
async function postRaw() {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const post = (batch) =>
    new Promise((resolve, reject) => {
      const req = request(
        `${url}${CASCADE_ENDPOINTS.standard}`,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'x-authorization-key': 'bench' },
        },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('end', () => {
            const results = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            if (res.statusCode !== 200 || results.length !== batch.length) {
              reject(new Error(`raw baseline: HTTP ${res.statusCode}`));
            } else resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(batch));
    });
  await postAll(post);
  agent.destroy();
}

/** What a user would write by hand: axios.post per batch. */
async function postAxios() {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const client = axios.create({
    baseURL: url,
    httpAgent: agent,
    headers: { 'x-authorization-key': 'bench' },
  });
  await postAll(async (batch) => {
    const { data } = await client.post(CASCADE_ENDPOINTS.standard, batch);
    if (data.length !== batch.length) throw new Error('axios baseline: wrong count');
  });
  agent.destroy();
}

const cascade = kind === 'sendBulk' ? await startCascade(url) : undefined;
async function sendBulk() {
  const report = await cascade.service.sendBulk(messages, {
    batchSize: BATCH_SIZE,
    concurrency: CONCURRENCY,
  });
  if (report.counts.accepted !== MESSAGES) {
    throw new Error(`sendBulk accepted ${report.counts.accepted}`);
  }
}

const run = { raw: postRaw, axios: postAxios, sendBulk }[kind];
const say = (figures) => process.stdout.write(`${JSON.stringify(figures)}\n`);

await run();
say({ ready: true });
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'go') {
    const cpu = process.cpuUsage();
    const started = performance.now();
    await run();
    const ms = performance.now() - started;
    const { user, system } = process.cpuUsage(cpu);
    say({ ms, cpuMs: (user + system) / 1000 });
  } else if (line === 'exit') {
    say({ peakRssMb: peakRssMb() });
    break;
  }
}
await cascade?.app.close();
