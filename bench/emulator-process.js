// The emulator in a process of its own, so that its work is measured apart from the client's.
// It prints its URL, then answers "cpu" on stdin with its CPU time so far, in ms.
import { createInterface } from 'node:readline';
import { CascadeEmulator } from '../dist/emulator/index.js';

const emulator = await CascadeEmulator.start({ record: false });
process.stdout.write(`${JSON.stringify({ url: emulator.url })}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ cpuMs: (user + system) / 1000 })}\n`);
  }
}
await emulator.close();
