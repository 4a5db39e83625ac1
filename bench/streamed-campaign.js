// A campaign far larger than memory should hold, read lazily from an async source. Prints the
// process's peak RSS once it is sent, and the heap still live after a full GC (run with
// --expose-gc): what the campaign really holds, apart from garbage V8 has not yet collected.
import { message, peakRssMb, startCascade } from './support.js';

const [url, count] = [process.argv[2], Number(process.argv[3])];
const { app, service } = await startCascade(url);
const liveHeapMb = () => {
  globalThis.gc?.();
  return Math.round(process.memoryUsage().heapUsed / 1e6);
};
const liveBefore = liveHeapMb();

async function* cursor() {
  for (let i = 0; i < count; i++) yield message(i, 'stream');
}

const report = await service.sendBulk(cursor(), {
  batchSize: 1000,
  concurrency: 2,
  keepResults: false,
});
const figures = {
  accepted: report.counts.accepted,
  durationMs: report.durationMs,
  peakRssMb: peakRssMb(),
  liveHeapBeforeMb: liveBefore,
  liveHeapAfterMb: liveHeapMb(),
};
await app.close();
process.stdout.write(`${JSON.stringify(figures)}\n`);
