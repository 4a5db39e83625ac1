import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { resolveCascadeOptions } from '../lib/config/cascade-config.js';
import type { CascadeModuleOptions, CascadeRateLimit } from '../lib/types/options.types.js';

/** The README's options table, as option → default (empty when it has none). */
function readmeDefaults(): Map<string, string> {
  const readme = readFileSync(resolve(import.meta.dirname, '../README.md'), 'utf8');
  const after = readme.slice(readme.indexOf('Every option, with its default'));
  // The table: the lines from its header to the first line that is not a row.
  const table = after.slice(after.indexOf('\n|'), after.indexOf('\n\n', after.indexOf('\n|')));
  const rows = [...table.matchAll(/^\|\s*`([\w.]+)`\s*\|([^|]*)\|/gm)];
  return new Map(rows.map(([, option, value]) => [option, value.trim().replace(/^`|`$/g, '')]));
}

// Every key of CascadeModuleOptions and the module's two extras: the compiler refuses this
// object when an option is added without it.
const EVERY_OPTION: Record<keyof CascadeModuleOptions | 'name' | 'isGlobal', true> = {
  apiKey: true,
  viberToken: true,
  tgBotKey: true,
  baseUrl: true,
  timeoutMs: true,
  deadlineMs: true,
  maxResponseBytes: true,
  retry: true,
  dialect: true,
  endpoints: true,
  statusAuth: true,
  rateLimits: true,
  name: true,
  isGlobal: true,
};

const limit = ({ perSecond, burst, concurrency }: CascadeRateLimit) =>
  `${perSecond} per second, burst ${burst}${concurrency ? `, ${concurrency} at once` : ''}`;

describe("the README's options table", () => {
  it('states the defaults the code uses', () => {
    const config = resolveCascadeOptions({ apiKey: 'readme-key' });
    const code: Record<string, unknown> = {
      baseUrl: config.baseUrl,
      timeoutMs: config.timeoutMs,
      deadlineMs: config.deadlineMs,
      maxResponseBytes: config.maxResponseBytes,
      'retry.maxRetries': config.retry.maxRetries,
      'retry.baseDelayMs': config.retry.baseDelayMs,
      'retry.maxDelayMs': config.retry.maxDelayMs,
      'retry.jitter': config.retry.jitter,
      'retry.retryUnknownOutcome': config.retry.retryUnknownOutcome,
      'dialect.scheduledSentField': config.dialect.scheduledSentField,
      'dialect.phoneFormat': config.dialect.phoneFormat,
      'endpoints.standard': config.endpoints.standard,
      'endpoints.telegramViber': config.endpoints.telegramViber,
      'endpoints.status': config.endpoints.status,
      statusAuth: config.statusAuth,
      'rateLimits.send': limit(config.rateLimits.send!),
      'rateLimits.lookup': limit(config.rateLimits.lookup!),
    };
    const readme = readmeDefaults();

    for (const [option, value] of Object.entries(code)) {
      expect([option, readme.get(option)]).toEqual([option, String(value)]);
    }
  });

  it('lists every option the module takes', () => {
    const options = [...readmeDefaults().keys()].map((option) => option.split('.')[0]);
    const documented = new Set(options);
    expect([...documented].sort()).toEqual(Object.keys(EVERY_OPTION).sort());
  });
});
