import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { freePort } from '../support/free-port.js';
import { runSampleAppToExit, stopLeftovers } from './sample-process.js';

// Each bad setting must stop the boot with exit code 1 and an error that names the setting,
// never its value (values are chosen to be recognisable in the output).
describe('sample app settings, checked at boot', () => {
  afterEach(stopLeftovers);

  it.each<[string, Record<string, string>, string[]]>([
    ['a limit that is not a number', { THROTTLE_LIMIT: 'abc-not-a-number' }, ['THROTTLE_LIMIT']],
    [
      'several bad settings at once',
      { PORT: 'port-x1', BODY_LIMIT: 'lots-y2', MAX_RUNNING_CAMPAIGNS: 'many-z3' },
      ['PORT', 'BODY_LIMIT', 'MAX_RUNNING_CAMPAIGNS'],
    ],
    [
      'a malformed REDIS_URL holding a password',
      { REDIS_URL: 'redis://user:pw-7c1d9e@cache.internal:notaport' },
      ['REDIS_URL'],
    ],
    [
      'a REDIS_URL of another scheme',
      { REDIS_URL: 'http://pw-3e5f7a@cache.internal' },
      ['REDIS_URL'],
    ],
    ['a base URL that is no URL', { CASCADE_BASE_URL: 'not a url-4b6d' }, ['CASCADE_BASE_URL']],
    ['a timeout that is not a number', { CASCADE_TIMEOUT_MS: 'soon-5e' }, ['CASCADE_TIMEOUT_MS']],
    [
      'a short key with real credentials',
      { CASCADE_API_KEY: 'sk-live-9f8e7d', SAMPLE_API_KEY: 'short-6a' },
      ['SAMPLE_API_KEY'],
    ],
    [
      'a webhook secret the package refuses',
      { CASCADE_WEBHOOK_SECRET: 'tiny-8c0e' },
      ['CASCADE_WEBHOOK_SECRET'],
    ],
  ])('refuses to start with %s', async (_label, env, names) => {
    const { code, output } = await runSampleAppToExit(env);

    expect(code).toBe(1);
    expect(output).toContain('Not started:');
    for (const name of names) expect(output).toContain(name);
    for (const value of Object.values(env)) expect(output).not.toContain(value);
    expect(output).not.toContain('Listening on');
  });

  it('refuses to start with real credentials and no SAMPLE_API_KEY, saying why', async () => {
    const { code, output } = await runSampleAppToExit({ CASCADE_API_KEY: 'sk-live-x' });

    expect(code).toBe(1);
    expect(output).toContain(
      'SAMPLE_API_KEY is not set: with real Cascade credentials, the send routes',
    );
    expect(output).not.toContain('sk-live-x');
  });

  it('fails the boot after REDIS_CONNECT_TIMEOUT_MS when Redis cannot be reached', async () => {
    // A free port: nothing listens there.
    const url = `redis://:redis-pw-5d4c3b@127.0.0.1:${await freePort()}`;

    const { code, output } = await runSampleAppToExit({
      REDIS_URL: url,
      REDIS_CONNECT_TIMEOUT_MS: '300',
    });

    expect(code).toBe(1);
    expect(output).toContain(
      'Not started: Redis at REDIS_URL could not be used within 300 ms (ECONNREFUSED)',
    );
    expect(output).not.toContain('redis-pw-5d4c3b');
  });

  it('reads settings only through ConfigService: no module reads process.env', async () => {
    const root = resolve(import.meta.dirname, '../../sample-app/src');
    const files = (await readdir(root, { recursive: true })).filter((file) => file.endsWith('.ts'));
    const readers: string[] = [];
    for (const file of files) {
      if ((await readFile(join(root, file), 'utf8')).includes('process.env')) readers.push(file);
    }

    expect(files.length).toBeGreaterThan(10);
    expect(readers).toEqual([]);
  });
});
