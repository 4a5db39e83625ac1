import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CascadeModule, CascadeService } from '../dist/index.js';

/** Starts the emulator process; `cpuMs()` asks it for its CPU time so far. */
export async function startEmulator() {
  const child = spawn(
    process.execPath,
    [new URL('./emulator-process.js', import.meta.url).pathname],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const read = async () => JSON.parse((await lines.next()).value);
  const { url } = await read();
  return {
    url,
    cpuMs: async () => {
      child.stdin.write('cpu\n');
      return (await read()).cpuMs;
    },
    close: () => child.kill(),
  };
}

/**
 * A Nest application context with CascadeModule pointed at `baseUrl`. The vendor's rate limits
 * are off, as the baselines keep none: the figures compare the work, not the waits.
 */
export async function startCascade(baseUrl) {
  Logger.overrideLogger(['error']);
  const app = await NestFactory.createApplicationContext(
    CascadeModule.forRoot({ apiKey: 'bench', baseUrl, rateLimits: false }),
    { logger: ['error'] },
  );
  return { app, service: app.get(CascadeService) };
}

/** Message `i` of a campaign: a valid transaction with its own tracking id and phone. */
export const message = (i, prefix = 'bench') => ({
  id: `${prefix}-${i}`,
  fromName: 'YourBrand',
  toPhone: `+38050${String(i % 10_000_000).padStart(7, '0')}`,
  messageType: 'transaction',
  text: `Your order #${i} has been confirmed and will arrive tomorrow.`,
  ttl: 86400,
});

export const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
