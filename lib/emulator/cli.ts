#!/usr/bin/env node
// The emulator as a command, for clients in any language: `npx cascade-emulator --port 4010`.
// It needs nothing but Node: none of the package's peer dependencies is loaded.
import { parseArgs } from 'node:util';
import { quote } from '../redact.js';
import { DEFAULT_WEBHOOK_HEADER } from '../webhooks/cascade-webhook.constants.js';
import {
  CascadeEmulator,
  type CascadeEmulatorOptions,
  emulatorOptionProblem,
} from './cascade-emulator.js';

const USAGE = `Usage: cascade-emulator [options]

A local stand-in for the SMSBAT Cascade API: both send routes (with and without /async), the
delivery-status look-up (/bat/message/{messageId}) and status webhooks.

  --port <n>                 the port, 0 for a free one (4010)
  --host <address>           the address to listen on (127.0.0.1)
  --scheduled-field <name>   the scheduled-time field: scheduledSent, sheduledSent or
                             scheduledTime (scheduledSent)
  --phone-format <format>    e164 (+380501234567) or digits (380501234567) (e164)
  --strict                   refuse the other dialect, fields the rules do not know and
                             scheduled times in the past (off: accept what the vendor's
                             examples send, and send past times at once)
  --latency-ms <ms>          wait this long before each answer (0)
  --rate-limit <n>           per key: messages a second on the send routes, requests a second
                             on the status route; over it, 429 with Retry-After (no limit)
  --api-key <key>            a key it accepts; repeat it, or separate keys with commas
                             (any non-empty key)
  --webhook-url <url>        post a status webhook here at each change of a message's state
  --webhook-secret <secret>  send it with each webhook, in ${DEFAULT_WEBHOOK_HEADER}
  --help                     print this and exit

It prints its URL, then one line per call (phone numbers masked), and stops on Ctrl-C or
SIGTERM.
`;

// The flag each option comes from, to name it when its value is refused.
const FLAG_OF: Record<string, string> = {
  port: '--port',
  host: '--host',
  'dialect.scheduledSentField': '--scheduled-field',
  'dialect.phoneFormat': '--phone-format',
  latencyMs: '--latency-ms',
  ratePerSecond: '--rate-limit',
  'credentials.apiKey': '--api-key',
  'webhook.url': '--webhook-url',
};

/** Ends the command as a usage error does: exit code 2, with what to fix. */
function usageError(message: string): never {
  process.stderr.write(
    `cascade-emulator: ${message}\nRun cascade-emulator --help for the options.\n`,
  );
  process.exit(2);
}

/** A flag's number, NaN when it is none (`Number('')` would be 0). */
const toNumber = (text: string | undefined) =>
  text === undefined ? undefined : text.trim() === '' ? NaN : Number(text);

function readOptions(args: string[]): CascadeEmulatorOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string', default: '4010' },
        host: { type: 'string', default: '127.0.0.1' },
        'scheduled-field': { type: 'string' },
        'phone-format': { type: 'string' },
        strict: { type: 'boolean', default: false },
        'latency-ms': { type: 'string' },
        'rate-limit': { type: 'string' },
        'api-key': { type: 'string', multiple: true },
        'webhook-url': { type: 'string' },
        'webhook-secret': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    usageError(quote((error as Error).message));
  }
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const secret = values['webhook-secret'];
  if (secret !== undefined) {
    if (values['webhook-url'] === undefined) usageError('--webhook-secret needs --webhook-url');
    // It travels in a header: no control characters, and something to compare.
    // eslint-disable-next-line no-control-regex
    if (secret === '' || /[\u0000-\u001f\u007f]/.test(secret)) {
      usageError('--webhook-secret must be printable text');
    }
  }
  const apiKeys = values['api-key']?.flatMap((keys) => keys.split(',').map((key) => key.trim()));
  const options: CascadeEmulatorOptions = {
    port: toNumber(values.port),
    host: values.host,
    dialect: {
      scheduledSentField: values['scheduled-field'] as never,
      phoneFormat: values['phone-format'] as never,
    },
    strict: values.strict,
    latencyMs: toNumber(values['latency-ms']),
    ratePerSecond: toNumber(values['rate-limit']),
    credentials: apiKeys && { apiKey: apiKeys },
    webhook:
      values['webhook-url'] === undefined
        ? undefined
        : {
            url: values['webhook-url'],
            headers: secret === undefined ? undefined : { [DEFAULT_WEBHOOK_HEADER]: secret },
          },
    // Keeps the messages for the status route, not every request: it may run for long.
    record: 'messages',
    log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
  };
  const problem = emulatorOptionProblem(options);
  if (problem) usageError(`${FLAG_OF[problem.option] ?? problem.option} ${problem.rule}`);
  return options;
}

const options = readOptions(process.argv.slice(2));
let emulator: CascadeEmulator;
try {
  emulator = await CascadeEmulator.start(options);
} catch (error) {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  process.stderr.write(
    `cascade-emulator: cannot listen on ${quote(`${options.host}:${options.port}`)}: ${quote(reason)}\n`,
  );
  process.exit(1);
}
process.stdout.write(`Cascade emulator listening on ${emulator.url}\n`);

const stop = async (signal: string) => {
  process.stdout.write(`Stopping on ${signal}\n`);
  await emulator.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));
