import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CascadeConfigError } from 'nestjs-smsbat-cascade';
import {
  CascadeEmulator,
  type CascadeEmulatorOptions,
  type EmulatorWebhookDelivery,
} from 'nestjs-smsbat-cascade/testing';
import { manyTransactions, transaction } from '../support/messages.js';
import { until } from '../support/until.js';
import { type ErrorBody, lookUp, send, sendOk } from './http.js';

/** A clock that moves only when the test says. */
const virtualClock = () => {
  let now = Date.parse('2030-01-01T00:00:00Z');
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

describe('CascadeEmulator rate limits, per credential, on a virtual clock', () => {
  const clock = virtualClock();
  let emulator: CascadeEmulator;
  const as = (key: string) => ({ 'X-Authorization-Key': key });

  beforeAll(async () => {
    emulator = await CascadeEmulator.start({ ratePerSecond: 2, now: clock.now });
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  it('answers messages over the rate with 429 and Retry-After, until the time has passed', async () => {
    await sendOk(emulator.url, manyTransactions(2), as('a'));

    const over = await send(emulator.url, [transaction()], { headers: as('a') });

    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('1');
    expect(await over.json()).toEqual({
      error: {
        code: 'TOO_MANY_REQUESTS',
        message: 'Over 2 messages a second for this credential: retry after 1 s',
      },
    });
    expect(emulator.messages.size).toBe(2);
    // Another credential has its own allowance.
    await sendOk(emulator.url, [transaction()], as('b'));
    clock.advance(1000);
    await sendOk(emulator.url, [transaction()], as('a'));
  });

  it('lets a call larger than a second’s worth through alone, then holds the key back', async () => {
    await sendOk(emulator.url, manyTransactions(6), as('a'));

    const over = await send(emulator.url, [transaction()], { headers: as('a') });

    expect(over.status).toBe(429);
    // Six messages are three seconds' worth; one more fits in the burst after 2.5 s.
    expect(over.headers.get('retry-after')).toBe('3');
    clock.advance(2500);
    await sendOk(emulator.url, [transaction()], as('a'));
  });

  it('counts look-ups in requests a second, apart from sends', async () => {
    const [messageId] = await sendOk(emulator.url, manyTransactions(2), as('a'));
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await lookUp(emulator.url, messageId, as('a'))).status);

    expect(statuses).toEqual([200, 200, 429]);
    clock.advance(500);
    expect((await lookUp(emulator.url, messageId, as('a'))).status).toBe(200);
  });
});

describe('CascadeEmulator delivery lifecycle, as the status route and webhooks tell it', () => {
  let receiver: Server;
  let hookUrl: string;
  const received: { status: string; cost: number }[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const { deliverystatus, cost } = JSON.parse(body);
        received.push({ status: deliverystatus, cost });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise((done) => receiver.close(done)));
  beforeEach(() => {
    received.length = 0;
  });

  const withEmulator = async (
    options: CascadeEmulatorOptions,
    test: (emulator: CascadeEmulator) => Promise<void>,
  ) => {
    const emulator = await CascadeEmulator.start(options);
    try {
      await test(emulator);
    } finally {
      await emulator.close();
    }
  };

  it('keeps a message’s messagelistId on every look-up: one per accepted call', async () => {
    await withEmulator({}, async (emulator) => {
      const first = await sendOk(emulator.url, manyTransactions(2));
      const [second] = await sendOk(emulator.url, [transaction()]);
      const listOf = async (id: string) =>
        ((await (await lookUp(emulator.url, id)).json()) as { messagelistId: number })
          .messagelistId;

      const seen = [];
      for (const id of [...first, second, ...first, second]) seen.push(await listOf(id));

      expect(seen).toEqual([1, 1, 2, 1, 1, 2]);
    });
  });

  it.each([
    ['delivered', 0.05],
    ['undeliverable', 0],
    ['permanenterror', 0],
  ] as const)('bills a message that ends %s %d', async (outcome, cost) => {
    const clock = virtualClock();
    await withEmulator({ now: clock.now }, async (emulator) => {
      const [messageId] = await sendOk(emulator.url, [transaction()]);
      emulator.messages.get(messageId)!.course.outcome = outcome;
      const read = async () => (await (await lookUp(emulator.url, messageId)).json()) as object;

      expect(await read()).toMatchObject({ deliverystatus: 'processing', cost: 0 });
      clock.advance(1000);
      expect(await read()).toMatchObject({ deliverystatus: outcome, cost });
    });
  });

  it.each([
    ['delivered', {}, 0.05],
    ['undeliverable', { failureRate: 1, failureStatus: 'undeliverable' }, 0],
  ] as const)(
    'posts webhooks that cost what the status route says (%s)',
    async (final, lifecycle, cost) => {
      await withEmulator(
        { webhook: { url: hookUrl }, lifecycle: { processingMs: 30, ...lifecycle } },
        async (emulator) => {
          const [messageId] = await sendOk(emulator.url, [transaction()]);
          await until(() => emulator.webhookDeliveries.length === 2, {
            state: async () => emulator.webhookDeliveries,
          });
          const status = (await (await lookUp(emulator.url, messageId)).json()) as {
            cost: number;
          };

          expect(received).toEqual([
            { status: 'processing', cost: 0 },
            { status: final, cost },
          ]);
          expect(status.cost).toBe(cost);
          expect(emulator.webhookDeliveries.map((d: EmulatorWebhookDelivery) => d.status)).toEqual([
            204, 204,
          ]);
        },
      );
    },
  );
});

describe('CascadeEmulator options', () => {
  it('waits latencyMs before each answer', async () => {
    const emulator = await CascadeEmulator.start({ latencyMs: 300 });
    try {
      const start = performance.now();
      await sendOk(emulator.url, [transaction()]);
      // A lower bound only: a busy machine can make it later, never earlier.
      expect(performance.now() - start).toBeGreaterThanOrEqual(299);
    } finally {
      await emulator.close();
    }
  });

  it.each<[string, CascadeEmulatorOptions]>([
    ['ratePerSecond', { ratePerSecond: 0 }],
    ['latencyMs', { latencyMs: -1 }],
    ['maxBodyBytes', { maxBodyBytes: 1.5 }],
    ['port', { port: 70_000 }],
    ['dialect.phoneFormat', { dialect: { phoneFormat: 'E164' as never } }],
    ['dialect.scheduledSentField', { dialect: { scheduledSentField: 'sendAt' as never } }],
    ['credentials.apiKey', { credentials: { apiKey: ['secret-key-1', ''] } }],
    ['webhook.url', { webhook: { url: 'ftp://secret-host/hook' } }],
    ['statusPath', { statusPath: '/bat/message' }],
  ])('refuses a malformed %s at start, naming it but not its value', async (option, options) => {
    const error = (await CascadeEmulator.start(options).catch((e: unknown) => e)) as Error;

    expect(error).toBeInstanceOf(CascadeConfigError);
    expect(error).toMatchObject({ option });
    expect(error.message).not.toMatch(/secret|E164|sendAt|70000/);
  });

  it('keeps only the messages with record: "messages"', async () => {
    const emulator = await CascadeEmulator.start({ record: 'messages' });
    try {
      const [messageId] = await sendOk(emulator.url, [transaction()]);

      expect(emulator.requests).toEqual([]);
      expect((await lookUp(emulator.url, messageId)).status).toBe(200);
      expect(((await (await lookUp(emulator.url, 'x')).json()) as ErrorBody).error.code).toBe(
        'MESSAGE_NOT_FOUND',
      );
    } finally {
      await emulator.close();
    }
  });
});
