import {
  CascadeAbortError,
  CascadeNotFoundError,
  CascadeStatusTimeoutError,
  isFinalStatus,
} from 'nestjs-smsbat-cascade';
import { lastValueFrom, toArray } from 'rxjs';
import { startCascade } from '../support/cascade-app.js';
import { FastForwardScheduler } from '../support/fast-forward-scheduler.js';
import { flashcall, transaction } from '../support/messages.js';
import { until } from '../support/until.js';

const HOUR = 3_600_000;

describe('delivery status over HTTP, on a shared virtual clock', () => {
  // The module's timers and the emulator's lifecycle run on one clock that jumps ahead by each
  // pause: an hour-long wait takes milliseconds, and every pause is recorded.
  const clock = new FastForwardScheduler();
  let cascade: Awaited<ReturnType<typeof startCascade>>;
  const statusRequests = () => cascade.emulator.requests.filter((r) => r.method === 'GET').length;

  beforeAll(async () => {
    cascade = await startCascade(
      { retry: { scheduler: clock } },
      { now: () => clock.now(), lifecycle: { processingMs: 5000 } },
    );
  });
  afterAll(() => cascade.close());
  beforeEach(() => {
    cascade.emulator.reset();
    clock.delays.length = 0;
  });

  it('reads a status, typed, and tells a final one from a pending one', async () => {
    const { messageId } = await cascade.service.send(transaction());

    const pending = await cascade.service.getStatus(messageId);
    clock.advance(5000);
    const done = await cascade.service.getStatus(messageId);

    expect(pending).toMatchObject({
      messageId,
      deliverystatus: 'processing',
      known: true,
      final: false,
    });
    expect(done).toMatchObject({
      messageId,
      deliverystatus: 'delivered',
      known: true,
      final: true,
    });
    expect(done).toMatchObject({
      partscount: 1,
      cost: 0.05,
      fallbacks: [{ type: 'sms', status: 'not_used' }],
    });
    expect(isFinalStatus('delivered')).toBe(true);
    expect(isFinalStatus('scheduled')).toBe(false);
    expect(cascade.emulator.requests.at(-1)?.path).toBe(`/bat/message/${messageId}`);
  });

  it('fails clearly on an unknown messageId', async () => {
    const error = await cascade.service.getStatus('no-such-message').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CascadeNotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'MESSAGE_NOT_FOUND' });
  });

  it('keeps and flags a status value it does not know, never calling it final', async () => {
    const { messageId } = await cascade.service.send(transaction());
    cascade.emulator.messages.get(messageId)!.course.outcome = 'expired' as never;
    clock.advance(5000);

    const status = await cascade.service.getStatus(messageId);

    expect(status).toMatchObject({ deliverystatus: 'expired', known: false, final: false });
  });

  it('goes through the retry policy', async () => {
    const { messageId } = await cascade.service.send(transaction());
    cascade.emulator.faults.next({ kind: 'status', status: 503 });

    await cascade.service.getStatus(messageId);

    expect(statusRequests()).toBe(2);
  });

  it('waits for the final status, polling at most once a second and backing off', async () => {
    const { messageId } = await cascade.service.send(transaction());

    const changes = await lastValueFrom(cascade.service.watchStatus$(messageId).pipe(toArray()));
    const final = changes.at(-1)!;

    expect(changes.map((s) => s.deliverystatus)).toEqual(['processing', 'delivered']);
    expect(final.final).toBe(true);
    const pauses = clock.delays.filter((d) => d > 0);
    expect(Math.min(...pauses)).toBeGreaterThanOrEqual(1000);
    // 1 s, then 1.5 s, 2.25 s...: while the status stays the same the pauses grow.
    expect(pauses).toEqual([...pauses].sort((a, b) => a - b));
    expect(pauses.at(-1)).toBeGreaterThan(pauses[0]);
    expect(statusRequests()).toBe(pauses.length + 1);
  });

  it('follows a message scheduled ahead through scheduled, processing and delivered', async () => {
    const at = new Date(clock.now() + HOUR);
    const { messageId } = await cascade.service.send(flashcall({ scheduledSent: at }));

    const seen = await lastValueFrom(
      // Pauses capped below the 5 s processing window, so a poll lands inside it.
      cascade.service
        .watchStatus$(messageId, { timeoutMs: 2 * HOUR, maxPollIntervalMs: 4000 })
        .pipe(toArray()),
    );

    expect(seen.map((s) => s.deliverystatus)).toEqual(['scheduled', 'processing', 'delivered']);
    // Backed off to the cap over the hour, rather than polling every second.
    expect(Math.max(...clock.delays)).toBe(4000);
    expect(statusRequests()).toBeLessThan(HOUR / 4000 + 20);
  });

  it('reports a failure outcome', async () => {
    const failing = await startCascade(
      { retry: { scheduler: clock } },
      { now: () => clock.now(), lifecycle: { processingMs: 2000, failureRate: 1 } },
    );
    try {
      const { messageId } = await failing.service.send(transaction());

      const final = await failing.service.waitForFinalStatus(messageId);

      expect(final).toMatchObject({ deliverystatus: 'undeliverable', final: true });
    } finally {
      await failing.close();
    }
  });

  it('times out while the message stays pending, saying where it stood', async () => {
    const { messageId } = await cascade.service.send(
      transaction({ scheduledSent: new Date(clock.now() + 10 * HOUR) }),
    );

    const error = await cascade.service
      .waitForFinalStatus(messageId, { timeoutMs: 60_000 })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CascadeStatusTimeoutError);
    expect((error as CascadeStatusTimeoutError).lastStatus?.deliverystatus).toBe('scheduled');
    expect((error as Error).message).toContain('within 60000 ms; it was scheduled');
  });

  it('tracks many messages at once', async () => {
    const results = await cascade.service.send([
      transaction({ id: 'm-1' }),
      transaction({ id: 'm-2' }),
      flashcall({ id: 'm-3' }),
    ]);
    const ids = results.map((r) => r.messageId);

    const statuses = await cascade.service.waitForFinalStatuses(ids);

    expect([...statuses.keys()].sort()).toEqual([...ids].sort());
    for (const status of statuses.values()) expect(status.deliverystatus).toBe('delivered');
  });

  it.each([
    ['pollIntervalMs', { pollIntervalMs: 500 }],
    ['maxPollIntervalMs', { pollIntervalMs: 2000, maxPollIntervalMs: 1000 }],
    ['timeoutMs', { timeoutMs: 0 }],
  ])('refuses a bad %s', async (option, options) => {
    await expect(cascade.service.waitForFinalStatus('x', options)).rejects.toThrow(
      `Cascade option ${option}`,
    );
  });
});

describe('an aborted wait, on the real clock', () => {
  it('stops polling and fails with CascadeAbortError', async () => {
    const cascade = await startCascade({}, { lifecycle: { processingMs: 60_000 } });
    try {
      const { messageId } = await cascade.service.send(transaction());
      const controller = new AbortController();

      const waiting = cascade.service.waitForFinalStatus(messageId, { signal: controller.signal });
      // Aborted between polls: after the first answer, before the next poll, a second on.
      await until(() => cascade.emulator.requests.length === 2);
      controller.abort();
      const error = await waiting.catch((e: unknown) => e);
      // Past the time of that next poll, had it not been cancelled.
      await new Promise((resolve) => setTimeout(resolve, 1200));

      expect(error).toBeInstanceOf(CascadeAbortError);
      expect(cascade.emulator.requests).toHaveLength(2);
    } finally {
      await cascade.close();
    }
  });
});

describe('watching many messages, on the real clock', () => {
  it('keeps every one-second window of look-ups within the limit, and few in flight', async () => {
    const lookup = { perSecond: 100, burst: 10, concurrency: 4 };
    const cascade = await startCascade(
      { rateLimits: { lookup } },
      // Delivered at once, so each message is looked up once; a little latency makes the
      // requests in flight visible at the emulator.
      { lifecycle: { processingMs: 0 }, latencyMs: 5 },
    );
    try {
      const messages = Array.from({ length: 200 }, (_, i) => transaction({ id: `w-${i}` }));
      const ids = (await cascade.service.send(messages)).map((result) => result.messageId);

      const statuses = await cascade.service.waitForFinalStatuses(ids);

      expect(statuses.size).toBe(200);
      const lookUps = cascade.emulator.requests.filter((request) => request.method === 'GET');
      expect(lookUps.length).toBeGreaterThanOrEqual(200);
      // A token bucket lets at most burst + rate through in any one second it counts. Counted
      // at the emulator, a request's trip adds a few ms either way: 10 % of slack for that.
      for (const { receivedAt: from } of lookUps) {
        const inWindow = lookUps.filter((r) => r.receivedAt >= from && r.receivedAt < from + 1000);
        expect(inWindow.length).toBeLessThanOrEqual(lookup.burst + lookup.perSecond * 1.1);
      }
      for (const { receivedAt: at } of lookUps) {
        const open = lookUps.filter((r) => r.receivedAt <= at && r.answeredAt > at);
        expect(open.length).toBeLessThanOrEqual(lookup.concurrency);
      }
    } finally {
      await cascade.close();
    }
  });
});
