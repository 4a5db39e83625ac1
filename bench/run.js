// `npm run bench`: sendBulk against two baselines, side by side in one run, all posting to the
// emulator on loopback: raw node:http, and the plain axios loop a user would write instead of
// the module (no validation, no report). Then validation cost, and the peak RSS of a streamed
// campaign. The last line printed is one JSON object with the figures.
import { execFile } from 'node:child_process';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import axios from 'axios';
import { CASCADE_ENDPOINTS, validateMessageDtos } from '../dist/index.js';
import { validateMessage } from '../dist/validation/validate-messages.js';
import { message, peakRssMb, startCascade, startEmulator } from './support.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
const STREAMED = Number(process.env.BENCH_STREAMED ?? 1_000_000);
const BATCH_SIZE = 1000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const perSecond = (count, ms) => Math.round((count * 1000) / ms);

/** The baseline: the same batches, posted with node:http at the same concurrency. */
async function postRaw(url, batches) {
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
  let next = 0;
  const worker = async () => {
    while (next < batches.length) await post(batches[next++]);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
}

/** What a user would write by hand: axios.post per batch, at the same concurrency. */
async function postAxios(url, batches) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const client = axios.create({
    baseURL: url,
    httpAgent: agent,
    headers: { 'x-authorization-key': 'bench' },
  });
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++];
      const { data } = await client.post(CASCADE_ENDPOINTS.standard, batch);
      if (data.length !== batch.length) throw new Error('axios baseline: wrong count');
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
}

async function timed(fn) {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

function validationCost(messages, validate, repeat) {
  const times = [];
  for (let r = 0; r < repeat; r++) times.push(timedSync(() => validate(messages)));
  return (Math.min(...times) * 1000) / messages.length;
}

function timedSync(fn) {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

const emulator = await startEmulator();
const { app, service } = await startCascade(emulator.url);
const messages = Array.from({ length: MESSAGES }, (_, i) => message(i));
const batches = [];
for (let i = 0; i < messages.length; i += BATCH_SIZE)
  batches.push(messages.slice(i, i + BATCH_SIZE));

// Warm both paths up (JIT, connections) before measuring.
await postRaw(emulator.url, batches.slice(0, 5));
await postAxios(emulator.url, batches.slice(0, 5));
await service.sendBulk(messages.slice(0, 5000), {
  batchSize: BATCH_SIZE,
  concurrency: CONCURRENCY,
});

const raw = [];
const plain = [];
const bulk = [];
const cpu = {
  rawClient: 0,
  rawEmulator: 0,
  axiosClient: 0,
  axiosEmulator: 0,
  bulkClient: 0,
  bulkEmulator: 0,
  rawWall: 0,
};
/** Runs `fn`, adding its wall time and the client's and the emulator's CPU time to `cpu`. */
async function measured(fn, client, server) {
  const [clientBefore, serverBefore] = [process.cpuUsage(), await emulator.cpuMs()];
  const ms = await timed(fn);
  const { user, system } = process.cpuUsage(clientBefore);
  cpu[client] += (user + system) / 1000;
  cpu[server] += (await emulator.cpuMs()) - serverBefore;
  return ms;
}
const runRaw = async () => {
  const ms = await measured(() => postRaw(emulator.url, batches), 'rawClient', 'rawEmulator');
  cpu.rawWall += ms;
  raw.push(perSecond(MESSAGES, ms));
};
const runAxios = async () => {
  const ms = await measured(() => postAxios(emulator.url, batches), 'axiosClient', 'axiosEmulator');
  plain.push(perSecond(MESSAGES, ms));
};
const runBulk = async () => {
  let report;
  const ms = await measured(
    async () => {
      report = await service.sendBulk(messages, {
        batchSize: BATCH_SIZE,
        concurrency: CONCURRENCY,
      });
    },
    'bulkClient',
    'bulkEmulator',
  );
  if (report.counts.accepted !== MESSAGES)
    throw new Error(`sendBulk accepted ${report.counts.accepted}`);
  bulk.push(perSecond(MESSAGES, ms));
};
// Rounds of the three, each round in another order, so drift in the machine's load hits all
// alike.
const ORDERS = [
  [runRaw, runAxios, runBulk],
  [runBulk, runRaw, runAxios],
  [runAxios, runBulk, runRaw],
];
const ratios = [];
const axiosRatios = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const run of ORDERS[round % ORDERS.length]) await run();
  ratios.push(bulk.at(-1) / raw.at(-1));
  axiosRatios.push(bulk.at(-1) / plain.at(-1));
  console.log(
    `round ${round + 1}: raw ${raw.at(-1)}, axios loop ${plain.at(-1)}, sendBulk ${bulk.at(-1)} msg/s; ` +
      `ratio to raw ${ratios.at(-1).toFixed(3)}, to axios ${axiosRatios.at(-1).toFixed(3)}`,
  );
}
const usPerMsg = (ms) => Number(((ms * 1000) / (MESSAGES * ROUNDS)).toFixed(2));
const sendBulkPeakRssMb = peakRssMb();
await app.close();

const validationUsPerMsg = validationCost(
  messages,
  (all) => {
    const context = { now: Date.now(), requireZone: true };
    for (let i = 0; i < all.length; i++) validateMessage(all[i], i, context);
  },
  5,
);
const dtoValidationUsPerMsg = validationCost(
  messages.slice(0, 20_000),
  (some) => validateMessageDtos(some),
  3,
);

/** Runs the streamed campaign in a fresh process, so no other work counts in its peak. */
async function streamedCampaign(nodeFlags) {
  const { stdout } = await promisify(execFile)(process.execPath, [
    ...nodeFlags,
    new URL('./streamed-campaign.js', import.meta.url).pathname,
    emulator.url,
    String(STREAMED),
  ]);
  const figures = JSON.parse(stdout.trim().split('\n').at(-1));
  if (figures.accepted !== STREAMED)
    throw new Error(`streamed campaign accepted ${figures.accepted}`);
  return figures;
}
console.log(`streaming ${STREAMED} messages in a fresh process, with V8's default heap sizing...`);
const streamed = await streamedCampaign(['--expose-gc']);
console.log(`...and again with the heap capped at 64 MB, as in a small container...`);
const capped = await streamedCampaign(['--expose-gc', '--max-old-space-size=64']);
emulator.close();

const rawMsgsPerSec = median(raw);
const axiosLoopMsgsPerSec = median(plain);
const sendBulkMsgsPerSec = median(bulk);
const figures = {
  ratio: Number(median(ratios).toFixed(3)),
  ratioToAxiosLoop: Number(median(axiosRatios).toFixed(3)),
  sendBulkMsgsPerSec,
  rawMsgsPerSec,
  axiosLoopMsgsPerSec,
  streamedPeakRssMb: streamed.peakRssMb,
  streamedPeakRssMbHeapCapped: capped.peakRssMb,
  streamedLiveHeapBeforeMb: streamed.liveHeapBeforeMb,
  streamedLiveHeapAfterMb: streamed.liveHeapAfterMb,
  validationUsPerMsg: Number(validationUsPerMsg.toFixed(2)),
  dtoValidationUsPerMsg: Number(dtoValidationUsPerMsg.toFixed(2)),
  sendBulkPeakRssMb,
  emulatorCpuShare: Number((cpu.rawEmulator / cpu.rawWall).toFixed(2)),
  emulatorCpuUsPerMsg: usPerMsg(cpu.rawEmulator),
  emulatorCpuUsPerMsgAxiosLoop: usPerMsg(cpu.axiosEmulator),
  emulatorCpuUsPerMsgSendBulk: usPerMsg(cpu.bulkEmulator),
  rawClientCpuUsPerMsg: usPerMsg(cpu.rawClient),
  axiosLoopClientCpuUsPerMsg: usPerMsg(cpu.axiosClient),
  sendBulkClientCpuUsPerMsg: usPerMsg(cpu.bulkClient),
  streamedMsgsPerSec: perSecond(streamed.accepted, streamed.durationMs),
  messages: MESSAGES,
  streamedMessages: STREAMED,
  batchSize: BATCH_SIZE,
  concurrency: CONCURRENCY,
  rounds: ROUNDS,
};
console.log(`
sendBulk          ${sendBulkMsgsPerSec} msg/s (median of ${ROUNDS}; validation on)
raw node:http     ${rawMsgsPerSec} msg/s (same batches, batch size ${BATCH_SIZE}, concurrency ${CONCURRENCY})
axios loop        ${axiosLoopMsgsPerSec} msg/s (axios.post per batch: no validation, no report)
ratio             ${figures.ratio} to raw (median of the rounds; target >= 0.8), ${figures.ratioToAxiosLoop} to the axios loop (target >= 1)
peak RSS          ${sendBulkPeakRssMb} MB with ${MESSAGES} messages and their report in memory
streamed          ${STREAMED} messages at ${figures.streamedMsgsPerSec} msg/s: peak RSS ${streamed.peakRssMb} MB (target < 150),
                  ${capped.peakRssMb} MB with --max-old-space-size=64; live heap ${streamed.liveHeapBeforeMb} MB before, ${streamed.liveHeapAfterMb} MB after
validation        ${figures.validationUsPerMsg} us/msg pre-send check, ${figures.dtoValidationUsPerMsg} us/msg class-validator DTOs
client CPU        ${figures.sendBulkClientCpuUsPerMsg} us/msg sendBulk, ${figures.axiosLoopClientCpuUsPerMsg} us/msg axios loop, ${figures.rawClientCpuUsPerMsg} us/msg raw baseline
emulator CPU      ${figures.emulatorCpuUsPerMsg} us/msg for raw, ${figures.emulatorCpuUsPerMsgAxiosLoop} for the axios loop, ${figures.emulatorCpuUsPerMsgSendBulk} for sendBulk;
                  ${Math.round(figures.emulatorCpuShare * 100)} % of one core during the raw runs
`);
console.log(JSON.stringify(figures));
