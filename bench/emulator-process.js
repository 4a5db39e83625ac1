// The emulator in a process of its own, so that its work is measured apart from the client's.
// It prints its URL, then answers "cpu" on stdin with its CPU time so far, in ms. With
// EMULATOR_LATENCY_MS set, it answers every request that much later, as a distant API would.
import { createInterface } from 'node:readline';
import { CascadeEmulator } from '../dist/emulator/index.js';

const emulator = await CascadeEmulator.start({ record: false });
const latencyMs = Number(process.env.EMULATOR_LATENCY_MS ?? 0);
if (latencyMs > 0) emulator.faults.rule({ fault: { kind: 'delay', ms: latencyMs } });
process.stdout.write(`${JSON.stringify({ url: emulator.url })}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ cpuMs: (user + system) / 1000 })}\n`);
  }
}
await emulator.close();
