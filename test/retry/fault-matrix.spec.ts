import { inspect } from 'node:util';
import {
  CascadeAbortError,
  CascadeApiError,
  CascadeError,
  type CascadeMessage,
  CascadeNetworkError,
  type CascadeRetrySetting,
  type CascadeSendResult,
  CascadeUnexpectedResponseError,
} from 'nestjs-smsbat-cascade';
import type { CascadeEmulator, EmulatorFault } from 'nestjs-smsbat-cascade/testing';
import { startCascade } from '../support/cascade-app.js';
import { FastForwardScheduler } from '../support/fast-forward-scheduler.js';
import { LogCapture } from '../support/log-capture.js';
import { transaction } from '../support/messages.js';
import { until } from '../support/until.js';
import { virtualTimers } from '../support/virtual-timers.js';

const CREDENTIALS = {
  apiKey: 'sk-live-a1b2c3d4e5',
  viberToken: 'viber-tok-f6g7h8',
  tgBotKey: 'tg-key-i9j0k1',
};
const PHONES = ['+380671234501', '+380671234502', '+380671234503'];
const batch = (): CascadeMessage[] =>
  PHONES.map((toPhone, i) => transaction({ id: `matrix-${i}`, toPhone }));

interface Case {
  name: string;
  /** Faults for the requests in turn; `always` repeats the first for every request. */
  faults: (EmulatorFault | null)[];
  always?: boolean;
  retry?: CascadeRetrySetting;
  requests: number;
  outcome: 'accepted' | { error: new (...args: never[]) => CascadeError; reason: string };
  /** How many times the emulator took each message (more than once is a duplicate). */
  taken: number;
}

const status = (code: number, headers?: Record<string, string>): EmulatorFault => ({
  kind: 'status',
  status: code,
  body: { error: { code: `E${code}`, message: `Failure ${code}` } },
  headers,
});

const cases: Case[] = [
  { name: 'no fault', faults: [], requests: 1, outcome: 'accepted', taken: 1 },
  { name: 'one 503', faults: [status(503)], requests: 2, outcome: 'accepted', taken: 1 },
  { name: 'one 500', faults: [status(500)], requests: 2, outcome: 'accepted', taken: 1 },
  { name: 'one 502', faults: [status(502)], requests: 2, outcome: 'accepted', taken: 1 },
  { name: 'one 504', faults: [status(504)], requests: 2, outcome: 'accepted', taken: 1 },
  {
    name: 'one 429 with Retry-After',
    faults: [status(429, { 'retry-after': '3' })],
    requests: 2,
    outcome: 'accepted',
    taken: 1,
  },
  {
    name: 'a 500 every time',
    faults: [status(500)],
    always: true,
    requests: 4,
    outcome: { error: CascadeApiError, reason: 'retries-exhausted' },
    taken: 0,
  },
  ...[400, 401, 403, 404, 409, 413, 422].map((code): Case => ({
    name: `a ${code}`,
    faults: [status(code)],
    requests: 1,
    outcome: { error: CascadeApiError, reason: 'not-retryable' },
    taken: 0,
  })),
  {
    name: 'a reset before the body',
    faults: [{ kind: 'reset', when: 'before-body' }],
    requests: 2,
    outcome: 'accepted',
    taken: 1,
  },
  {
    name: 'a hang (per-attempt timeout)',
    faults: [{ kind: 'hang' }],
    requests: 2,
    outcome: 'accepted',
    taken: 1,
  },
  {
    name: 'a delay shorter than the timeout',
    faults: [{ kind: 'delay', ms: 50 }],
    requests: 1,
    outcome: 'accepted',
    taken: 1,
  },
  {
    // The documented duplicate risk: the API took the messages, the answer was lost.
    name: 'a reset after the body',
    faults: [{ kind: 'reset', when: 'after-body' }],
    requests: 2,
    outcome: 'accepted',
    taken: 2,
  },
  {
    name: 'a reset after the body, retryUnknownOutcome off',
    faults: [{ kind: 'reset', when: 'after-body' }],
    retry: { retryUnknownOutcome: false },
    requests: 1,
    outcome: { error: CascadeNetworkError, reason: 'not-retryable' },
    taken: 1,
  },
  {
    name: 'a 503, retryUnknownOutcome off',
    faults: [status(503)],
    retry: { retryUnknownOutcome: false },
    requests: 1,
    outcome: { error: CascadeApiError, reason: 'not-retryable' },
    taken: 0,
  },
  {
    name: 'a 429, retryUnknownOutcome off',
    faults: [status(429)],
    retry: { retryUnknownOutcome: false },
    requests: 2,
    outcome: 'accepted',
    taken: 1,
  },
  {
    name: 'a malformed JSON answer',
    faults: [{ kind: 'malformed-json' }],
    requests: 1,
    outcome: { error: CascadeUnexpectedResponseError, reason: 'not-retryable' },
    taken: 1,
  },
  {
    name: 'a wrong number of results',
    faults: [{ kind: 'wrong-count' }],
    requests: 1,
    outcome: { error: CascadeUnexpectedResponseError, reason: 'not-retryable' },
    taken: 1,
  },
  {
    name: 'a Retry-After past the deadline',
    faults: [status(429, { 'retry-after': '120' })],
    requests: 1,
    outcome: { error: CascadeApiError, reason: 'retry-after-past-deadline' },
    taken: 0,
  },
  {
    name: 'a 503 with retries off',
    faults: [status(503)],
    retry: false,
    requests: 1,
    outcome: { error: CascadeApiError, reason: 'retries-exhausted' },
    taken: 0,
  },
];

const TIMEOUT_MS = 300;

describe('the fault matrix, over real HTTP', () => {
  const logs = new LogCapture();
  const scheduler = new FastForwardScheduler();
  let cascade: Awaited<ReturnType<typeof startCascade>>;
  let emulator: CascadeEmulator;
  let logged = 0;
  const linesOfThisTest = () => logs.lines.slice(logged).map((line) => line.text);

  beforeAll(async () => {
    cascade = await startCascade(
      { ...CREDENTIALS, timeoutMs: TIMEOUT_MS, deadlineMs: 60_000, retry: { scheduler } },
      {},
      logs,
    );
    emulator = cascade.emulator;
  });
  afterAll(() => cascade.close());
  beforeEach(() => {
    emulator.reset();
    logged = logs.lines.length;
    // The per-attempt timers (RxJS's, on setInterval) on Jest's clock: an attempt times out
    // when the test says, never because the machine is slow.
    virtualTimers('setInterval', 'clearInterval');
  });
  // Whatever a test logged, at any level, holds no secret and no full phone number.
  afterEach(() => {
    import.meta.jest.useRealTimers();
    const text = linesOfThisTest().join('\n');
    for (const secret of [...Object.values(CREDENTIALS), ...PHONES]) {
      expect(text).not.toContain(secret);
    }
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    if (c.always) emulator.faults.rule({ fault: c.faults[0]! });
    else emulator.faults.next(...c.faults);
    const messages = batch();

    const sending = cascade.service
      .send(messages, c.retry === undefined ? {} : { retry: c.retry })
      .then(
        (results) => ({ results }),
        (error: unknown) => ({ error }),
      );
    if (c.faults[0]?.kind === 'hang') {
      // Once the request hangs at the emulator, its attempt's time is up.
      await until(() => emulator.requests.length === 1);
      import.meta.jest.advanceTimersByTime(TIMEOUT_MS);
    }
    const outcome = await sending;

    expect(emulator.requests).toHaveLength(c.requests);
    // Something for the log check after each test to read.
    expect(linesOfThisTest()).not.toEqual([]);
    // Every attempt carried the same messages, tracking ids and all.
    // (A reset before the body leaves nothing read to compare.)
    for (const { body } of emulator.requests)
      if (body !== undefined) expect(body).toEqual(messages);
    const taken = [...emulator.messages.values()].map(({ message }) => message.id);
    for (const { id } of messages) {
      expect(taken.filter((t) => t === id)).toHaveLength(c.taken);
    }
    if (c.outcome === 'accepted') {
      // Every message accepted, with a messageId the API really issued.
      const results = (outcome as { results: CascadeSendResult[] }).results;
      expect(results.map((r) => r.trackingId)).toEqual(messages.map((m) => m.id));
      for (const { messageId } of results) expect(emulator.messages.has(messageId)).toBe(true);
    } else {
      // Every message reported failed, with the reason and the number of attempts.
      const { error } = outcome as { error: CascadeError };
      expect(error).toBeInstanceOf(c.outcome.error);
      expect(error.attempts).toBe(c.requests);
      expect(error.giveUpReason).toBe(c.outcome.reason);
      for (const text of [
        error.message,
        String(error.stack),
        JSON.stringify(error),
        inspect(error),
      ]) {
        for (const secret of Object.values(CREDENTIALS)) expect(text).not.toContain(secret);
      }
    }
  });

  it('waits as long as Retry-After asks, even past the backoff cap', async () => {
    emulator.faults.next(status(503, { 'retry-after': '30' }));
    scheduler.delays.length = 0;

    await cascade.service.send(batch(), { retry: { maxDelayMs: 2000 } });

    expect(scheduler.delays.filter((d) => d > 0)).toEqual([30_000]);
  });

  it('reads Retry-After as an HTTP date', async () => {
    const at = new Date(Date.now() + 20_000).toUTCString();
    emulator.faults.next(status(429, { 'retry-after': at }));
    scheduler.delays.length = 0;

    await cascade.service.send(batch());

    const [delay] = scheduler.delays.filter((d) => d > 0);
    expect(delay).toBeGreaterThan(15_000);
    expect(delay).toBeLessThanOrEqual(20_000);
  });

  it('backs off exponentially between attempts: 1 s, 2 s, 4 s give or take the jitter', async () => {
    emulator.faults.rule({ fault: status(503) });
    scheduler.delays.length = 0;

    await cascade.service.send(batch()).catch(() => undefined);

    const delays = scheduler.delays.filter((d) => d > 0);
    expect(delays).toHaveLength(3);
    [1000, 2000, 4000].forEach((base, i) => {
      expect(delays[i]).toBeGreaterThanOrEqual(base * 0.8);
      expect(delays[i]).toBeLessThanOrEqual(base * 1.2);
    });
  });

  it('stops at the deadline rather than waiting in vain', async () => {
    emulator.faults.rule({ fault: status(503) });

    const error = (await cascade.service
      .send(batch(), { deadlineMs: 2500, retry: { random: () => 0.5 } })
      .catch((e: unknown) => e)) as CascadeError;

    // Attempt 1, wait 1 s, attempt 2; the next wait (2 s) would pass the 2.5 s deadline.
    expect(emulator.requests).toHaveLength(2);
    expect(error.giveUpReason).toBe('deadline');
    expect(error.attempts).toBe(2);
  });

  it('logs a warning per retry, with the attempt, the status and the delay', async () => {
    emulator.faults.next(status(503), status(429));
    const before = logs.lines.length;

    await cascade.service.send(batch(), { retry: { random: () => 0.5 } });

    const lines = logs.lines.slice(before);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.text)).toEqual([
      expect.stringMatching(/failed \(HTTP 503 E503\); retry 1 of 3 in 1000 ms/),
      expect.stringMatching(/failed \(HTTP 429 E429\); retry 2 of 3 in 2000 ms/),
    ]);
    expect(lines.filter((l) => l.level === 'debug')).toHaveLength(6);
    expect(lines.map((l) => l.text).join('\n')).toContain('+380*****4501');
  });

  it('aborts a call whose signal fires, cancelling the request in flight', async () => {
    emulator.faults.next({ kind: 'hang' });
    const controller = new AbortController();

    const sending = cascade.service.send(batch(), { signal: controller.signal });
    await until(() => emulator.requests.length === 1);
    controller.abort();
    const error = (await sending.catch((e: unknown) => e)) as CascadeError;

    expect(error).toBeInstanceOf(CascadeAbortError);
    expect(error).toMatchObject({ attempts: 1, giveUpReason: 'aborted' });
    expect(emulator.requests).toHaveLength(1);
  });

  it('retries a refused connection, then reports it', async () => {
    // Nest's logger is one for the process: this app logs to the same capture.
    const gone = await startCascade({ retry: { scheduler } }, {}, logs);
    await gone.emulator.close();

    const error = (await gone.service.send(batch()).catch((e: unknown) => e)) as CascadeError;

    expect(error).toBeInstanceOf(CascadeNetworkError);
    expect(error).toMatchObject({
      code: 'ECONNREFUSED',
      attempts: 4,
      giveUpReason: 'retries-exhausted',
    });
    await gone.moduleRef.close();
  });
});
