import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { type Need, provide } from '../support/provision.js';
import { until } from '../support/until.js';
import { type RunningCommand, startCommand, withoutTime } from './emulator-command.js';

const run = promisify(execFile);
const client = (file: string) => resolve(import.meta.dirname, 'seed-clients', file);

const API_KEY = 'seed-clients-key-41b7';
// Debian's python3-requests serves Debian's interpreter, which a version manager's `python3`
// (pyenv's shims, on this project's machines) hides on PATH: ask that one by its path.
const PYTHON = '/usr/bin/python3';
const NEEDS: Need[] = [
  {
    what: 'PHP with its curl extension',
    check: ['php', '-r', "exit(function_exists('curl_init')?0:1);"],
    debianPackages: ['php-cli', 'php-curl'],
  },
  {
    what: "Python 3's requests package",
    check: [PYTHON, '-c', 'import requests'],
    debianPackages: ['python3-requests'],
  },
];

const SEND = 'POST /api/CascadeMessage/send_message/async 200';
const PRINTS_ID_AND_COUNT = /^Message ID: [0-9a-f-]{36}\nSent 100 messages\n$/;

/** Each of the vendor's examples: how to run it, what it prints, the calls it makes. */
const CLIENTS: Record<
  string,
  { run: string[]; prints: (stdout: string) => void; calls: string[] }
> = {
  Python: {
    run: [PYTHON, client('cascade_messenger.py')],
    prints: (stdout) => expect(stdout).toMatch(PRINTS_ID_AND_COUNT),
    // The second is scheduled: a zone-less local time, which west of UTC reads as past.
    calls: [`${SEND} 1 accepted`, `${SEND} 1 accepted`, `${SEND} 100 accepted`],
  },
  'Node.js': {
    run: [process.execPath, client('cascade-messenger.mjs')],
    prints: (stdout) => expect(stdout).toMatch(PRINTS_ID_AND_COUNT),
    calls: [`${SEND} 1 accepted`, `${SEND} 1 accepted`, `${SEND} 100 accepted`],
  },
  PHP: {
    run: ['php', client('cascade-messenger.php')],
    prints: (stdout) => expect(stdout).toMatch(PRINTS_ID_AND_COUNT),
    calls: [`${SEND} 1 accepted`, `${SEND} 100 accepted`],
  },
  curl: {
    run: ['bash', client('curl-examples.sh')],
    prints: (stdout) =>
      expect(
        stdout
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line)),
      ).toEqual(
        [['tx-001'], ['promo-001'], ['bulk-001', 'bulk-002', 'bulk-003']].map((ids) =>
          ids.map((trackinId) => ({ messageId: expect.any(String), trackinId })),
        ),
      ),
    // The second is the example's literal time, long past.
    calls: [`${SEND} 1 accepted`, `${SEND} 1 accepted`, `${SEND} 3 accepted`],
  },
};

describe("the vendor's own clients against the cascade-emulator command", () => {
  let command: RunningCommand;

  // Provisioned here rather than in a globalSetup, so that only this spec pays for it; the
  // first run on a fresh machine installs PHP, hence the long timeout.
  beforeAll(async () => {
    await provide(NEEDS);
    command = await startCommand(['--port', '0', '--api-key', API_KEY]);
  }, 600_000);
  afterAll(async () => {
    expect(await command?.stop()).toBe(0);
  });

  describe.each(['UTC', 'America/New_York'])('in TZ=%s', (zone) => {
    it.each(Object.entries(CLIENTS))('the %s example succeeds', async (_name, example) => {
      const before = command.lines.length;
      const [program, ...args] = example.run;

      const { stdout } = await run(program, args, {
        env: { ...process.env, TZ: zone, CASCADE_BASE_URL: command.url, CASCADE_API_KEY: API_KEY },
      });

      example.prints(stdout);
      await until(() => command.lines.length >= before + example.calls.length);
      expect(command.lines.slice(before).map(withoutTime)).toEqual(example.calls);
    });
  });
});
