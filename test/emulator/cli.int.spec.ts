import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CascadeEmulator } from 'nestjs-smsbat-cascade/testing';
import { manyTransactions, transaction } from '../support/messages.js';
import { until } from '../support/until.js';
import { runCommand, startCommand, withoutTime } from './emulator-command.js';
import { type ErrorBody, lookUp, send, sendOk } from './http.js';

const KEY = 'cli-spec-key-7d2a9c';

describe('the cascade-emulator command', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'prints its URL, logs each call in one masked line, and stops on %s with 0',
    async (signal) => {
      const command = await startCommand(['--port', '0', '--api-key', `other,${KEY}`]);
      try {
        expect(command.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

        const [messageId] = await sendOk(command.url, [transaction()], {
          'X-Authorization-Key': KEY,
        });
        await lookUp(command.url, '+380501234567', { 'X-Authorization-Key': KEY });
        await lookUp(command.url, '%E0%A4%A', { 'X-Authorization-Key': KEY });
        await lookUp(command.url, messageId, { 'X-Authorization-Key': 'wrong' });
        await until(() => command.lines.length === 4);

        expect(command.lines.map(withoutTime)).toEqual([
          'POST /api/CascadeMessage/send_message/async 200 1 accepted',
          'GET /bat/message/+380*****4567 404 MESSAGE_NOT_FOUND',
          'GET /bat/message/%E0%A4%A 400 INVALID_MESSAGE_ID',
          `GET /bat/message/${messageId} 401 UNAUTHORIZED`,
        ]);
        expect(command.lines.join('\n')).not.toContain(KEY);
      } finally {
        expect(await command.stop(signal)).toBe(0);
      }
    },
  );

  it.each([
    [['--port', 'abc'], '--port'],
    [['--port', ''], '--port'],
    [['--host', ''], '--host'],
    [['--scheduled-field', 'sendAt'], '--scheduled-field'],
    [['--phone-format', 'E.164'], '--phone-format'],
    [['--latency-ms', '-5'], '--latency-ms'],
    [['--rate-limit', '0'], '--rate-limit'],
    [['--api-key', 'a,,b'], '--api-key'],
    [['--webhook-url', 'not a url'], '--webhook-url'],
    [['--webhook-secret', 'shh-a-secret-of-16'], '--webhook-secret'],
    [['--bogus'], '--bogus'],
    [['--port'], '--port'],
  ])('refuses %j with exit code 2, naming %s', async (args, flag) => {
    const { code, stderr } = await runCommand(args);

    expect(code).toBe(2);
    expect(stderr).toContain(flag);
    expect(stderr).not.toContain('shh-a-secret');
  });

  it('prints its options with --help', async () => {
    const { code, stdout } = await runCommand(['--help']);

    expect(code).toBe(0);
    for (const flag of ['--port', '--strict', '--rate-limit', '--api-key', '--webhook-url']) {
      expect(stdout).toContain(flag);
    }
  });

  it('fails with exit code 1 when its port is taken', async () => {
    const taken = await CascadeEmulator.start();
    try {
      const { code, stderr } = await runCommand(['--port', String(taken.port)]);

      expect(code).toBe(1);
      expect(stderr).toContain('EADDRINUSE');
    } finally {
      await taken.close();
    }
  });

  it('speaks the dialect it is given, strictly', async () => {
    const command = await startCommand([
      '--port=0',
      '--strict',
      '--scheduled-field=scheduledTime',
      '--phone-format=digits',
    ]);
    try {
      const at = new Date(Date.now() + 3_600_000).toISOString();
      await sendOk(command.url, [
        { ...transaction({ toPhone: '380501234567' }), scheduledTime: at },
      ]);

      const plus = await send(command.url, [transaction()]);
      const wrongField = await send(command.url, [
        transaction({ toPhone: '380501234567', scheduledSent: at }),
      ]);

      expect(((await plus.json()) as ErrorBody).error).toMatchObject({
        code: 'INVALID_PHONE',
        field: 'toPhone',
      });
      expect(((await wrongField.json()) as ErrorBody).error).toMatchObject({
        code: 'UNKNOWN_FIELD',
        field: 'scheduledSent',
      });
    } finally {
      await command.stop();
    }
  });

  it('answers 429 with Retry-After over --rate-limit', async () => {
    const command = await startCommand(['--port', '0', '--rate-limit', '1']);
    try {
      // A thousand messages at one a second: the key is held back for far longer than this test.
      await sendOk(command.url, manyTransactions(1000));

      const over = await send(command.url, [transaction()]);

      expect(over.status).toBe(429);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(900);
    } finally {
      await command.stop();
    }
  });

  it('waits --latency-ms before each answer', async () => {
    const command = await startCommand(['--port', '0', '--latency-ms', '300']);
    try {
      const start = performance.now();
      await sendOk(command.url, [transaction()]);
      // A lower bound only: a busy machine can make it later, never earlier.
      expect(performance.now() - start).toBeGreaterThanOrEqual(299);
    } finally {
      await command.stop();
    }
  });

  describe('with --webhook-url and --webhook-secret', () => {
    const SECRET = 'cli-webhook-secret-0123456789';
    let receiver: Server;
    const hooks: { headers: IncomingHttpHeaders; body: { deliverystatus: string } }[] = [];

    beforeAll(async () => {
      receiver = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk) => (body += chunk));
        request.on('end', () => {
          hooks.push({ headers: request.headers, body: JSON.parse(body) });
          response.writeHead(204).end();
        });
      });
      await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    });
    afterAll(() => new Promise((done) => receiver.close(done)));

    it('posts each status change with the secret, and never logs it', async () => {
      const { port } = receiver.address() as AddressInfo;
      const command = await startCommand([
        '--port',
        '0',
        '--webhook-url',
        `http://127.0.0.1:${port}/cascade/status`,
        '--webhook-secret',
        SECRET,
      ]);
      try {
        await sendOk(command.url, [transaction()]);
        await until(() => hooks.length === 2, { state: async () => hooks });

        expect(hooks.map((hook) => hook.body.deliverystatus)).toEqual(['processing', 'delivered']);
        expect(hooks.map((hook) => hook.headers['x-cascade-webhook-secret'])).toEqual([
          SECRET,
          SECRET,
        ]);
        expect(command.lines.join('\n')).not.toContain(SECRET);
      } finally {
        await command.stop();
      }
    });
  });
});
