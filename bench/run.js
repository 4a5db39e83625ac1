// `npm run bench`: sendBulk against two baselines, side by side in one run, all posting to the
// emulator on loopback: raw node:http, and the plain axios loop a user would write instead of
// the module (no validation, no report). Each client runs in a process of its own (client.js).
// Then validation cost, and the peak RSS of a streamed campaign. The last line printed is one
// JSON object with the figures.
import { execFile, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { validateMessageDtos } from '../dist/index.js';
import { validateMessage } from '../dist/validation/validate-messages.js';
import { message, startEmulator } from './support.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
const STREAMED = Number(process.env.BENCH_STREAMED ?? 1_000_000);
const BATCH_SIZE = 1000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 2);
// A round's runs take about a third of a second each, and vary by 10 % on a shared machine:
// the median of many short rounds holds where that of a few does not.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const perSecond = (count, ms) => Math.round((count * 1000) / ms);

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

/** A client process of `kind`, warmed up: `run()` has it send the campaign once. */
async function startClient(kind) {
  const child = spawn(
    process.execPath,
    [
      new URL('./client.js', import.meta.url).pathname,
      kind,
      emulator.url,
      String(MESSAGES),
      String(BATCH_SIZE),
      String(CONCURRENCY),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const read = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`the ${kind} client stopped`);
    return JSON.parse(value);
  };
  await read();
  const ask = async (command) => {
    child.stdin.write(`${command}\n`);
    return read();
  };
  return {
    run: () => ask('go'),
    close: async () => {
      const { peakRssMb } = await ask('exit');
      child.stdin.end();
      return peakRssMb;
    },
  };
}

const emulator = await startEmulator();
const clients = {};
for (const kind of ['raw', 'axios', 'sendBulk']) clients[kind] = await startClient(kind);

const rates = { raw: [], axios: [], sendBulk: [] };
const cpu = { raw: 0, axios: 0, sendBulk: 0 };
const emulatorCpu = { raw: 0, axios: 0, sendBulk: 0 };
let rawWallMs = 0;
/** One measured run of `kind`: its rate, and its and the emulator's CPU time. */
async function measure(kind) {
  const before = await emulator.cpuMs();
  const { ms, cpuMs } = await clients[kind].run();
  emulatorCpu[kind] += (await emulator.cpuMs()) - before;
  cpu[kind] += cpuMs;
  if (kind === 'raw') rawWallMs += ms;
  rates[kind].push(perSecond(MESSAGES, ms));
}
// Rounds of the three, each round in another order, so drift in the machine's load hits all
// alike.
const ORDERS = [
  ['raw', 'axios', 'sendBulk'],
  ['sendBulk', 'raw', 'axios'],
  ['axios', 'sendBulk', 'raw'],
];
const ratios = [];
const axiosRatios = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const kind of ORDERS[round % ORDERS.length]) await measure(kind);
  const [raw, plain, bulk] = [rates.raw.at(-1), rates.axios.at(-1), rates.sendBulk.at(-1)];
  ratios.push(bulk / raw);
  axiosRatios.push(bulk / plain);
  console.log(
    `round ${round + 1}: raw ${raw}, axios loop ${plain}, sendBulk ${bulk} msg/s; ` +
      `ratio to raw ${ratios.at(-1).toFixed(3)}, to axios ${axiosRatios.at(-1).toFixed(3)}`,
  );
}
const usPerMsg = (ms) => Number(((ms * 1000) / (MESSAGES * ROUNDS)).toFixed(2));
const sendBulkPeakRssMb = await clients.sendBulk.close();
await clients.raw.close();
await clients.axios.close();

const messages = Array.from({ length: MESSAGES }, (_, i) => message(i));
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

const rawMsgsPerSec = median(rates.raw);
const axiosLoopMsgsPerSec = median(rates.axios);
const sendBulkMsgsPerSec = median(rates.sendBulk);
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
  emulatorCpuShare: Number((emulatorCpu.raw / rawWallMs).toFixed(2)),
  emulatorCpuUsPerMsg: usPerMsg(emulatorCpu.raw),
  emulatorCpuUsPerMsgAxiosLoop: usPerMsg(emulatorCpu.axios),
  emulatorCpuUsPerMsgSendBulk: usPerMsg(emulatorCpu.sendBulk),
  rawClientCpuUsPerMsg: usPerMsg(cpu.raw),
  axiosLoopClientCpuUsPerMsg: usPerMsg(cpu.axios),
  sendBulkClientCpuUsPerMsg: usPerMsg(cpu.sendBulk),
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
peak RSS          ${sendBulkPeakRssMb} MB in sendBulk's process, with ${MESSAGES} messages and their report in memory
streamed          ${STREAMED} messages at ${figures.streamedMsgsPerSec} msg/s: peak RSS ${streamed.peakRssMb} MB (target < 150),
                  ${capped.peakRssMb} MB with --max-old-space-size=64; live heap ${streamed.liveHeapBeforeMb} MB before, ${streamed.liveHeapAfterMb} MB after
validation        ${figures.validationUsPerMsg} us/msg pre-send check, ${figures.dtoValidationUsPerMsg} us/msg class-validator DTOs
client CPU        ${figures.sendBulkClientCpuUsPerMsg} us/msg sendBulk, ${figures.axiosLoopClientCpuUsPerMsg} us/msg axios loop, ${figures.rawClientCpuUsPerMsg} us/msg raw baseline
emulator CPU      ${figures.emulatorCpuUsPerMsg} us/msg for raw, ${figures.emulatorCpuUsPerMsgAxiosLoop} for the axios loop, ${figures.emulatorCpuUsPerMsgSendBulk} for sendBulk;
                  ${Math.round(figures.emulatorCpuShare * 100)} % of one core during the raw runs
`);
console.log(JSON.stringify(figures));
