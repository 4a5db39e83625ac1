import { HttpService } from '@nestjs/axios';
import axios from 'axios';
import {
  type CascadeBulkEvent,
  type CascadeBulkProgress,
  type CascadeBulkResult,
  CascadeConfigError,
  CASCADE_ENDPOINTS,
  CASCADE_HTTP_CLIENT,
  CascadeModule,
  CascadeService,
} from 'nestjs-smsbat-cascade';
import { Test, type TestingModule } from '@nestjs/testing';
import { PayloadBuffers } from '../../lib/client/payload-buffers.js';
import { lastValueFrom, toArray } from 'rxjs';
import { API_KEY, startCascade } from '../support/cascade-app.js';
import { FastForwardScheduler } from '../support/fast-forward-scheduler.js';
import { HoldingProxy } from '../support/holding-proxy.js';
import { manyTransactions, transaction } from '../support/messages.js';
import { until } from '../support/until.js';
import { virtualTimers } from '../support/virtual-timers.js';

/** A few turns of the event loop: what a campaign with nothing left to send needs to end. */
const turns = async (count: number) => {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('CascadeService.sendBulk over HTTP', () => {
  const scheduler = new FastForwardScheduler();
  let cascade: Awaited<ReturnType<typeof startCascade>>;

  beforeAll(async () => {
    cascade = await startCascade({ retry: { scheduler } });
  });
  afterAll(() => cascade.close());
  beforeEach(() => cascade.emulator.reset());

  const sentIds = () =>
    cascade.emulator.requests.flatMap((r) => (r.body as { id: string }[]).map((m) => m.id));

  it('sends 2500 messages in exactly 3 requests, results lined up with the inputs', async () => {
    const messages = manyTransactions(2500);

    const report = await cascade.service.sendBulk(messages, { batchSize: 1000 });

    expect(cascade.emulator.requests.map((r) => (r.body as unknown[]).length)).toEqual([
      1000, 1000, 500,
    ]);
    expect(report.counts).toEqual({
      read: 2500,
      accepted: 2500,
      failed: 0,
      notSent: 0,
      pending: 0,
    });
    expect(report.aborted).toBe(false);
    expect(report.nextIndex).toBe(2500);
    const byIndex = [...report.accepted].sort((a, b) => a.index - b.index);
    expect(byIndex.map((r) => r.trackingId)).toEqual(messages.map((m) => m.id));
    for (const { messageId, trackingId } of byIndex) {
      expect(cascade.emulator.messages.get(messageId)?.message.id).toBe(trackingId);
    }
  });

  it('writes batch after batch into a few body buffers, each body intact', async () => {
    // A batch of 1000 is about 180 KB: its bytes go into a buffer that is used again once the
    // request that sent it has been written out, instead of a new one per batch.
    const pool = PayloadBuffers.prototype as unknown as Record<
      'allocate' | 'release',
      (...args: unknown[]) => unknown
    >;
    const allocate = import.meta.jest.spyOn(pool, 'allocate');
    const release = import.meta.jest.spyOn(pool, 'release');
    const messages = manyTransactions(8000);

    const report = await cascade.service.sendBulk(messages, { batchSize: 1000, concurrency: 2 });

    expect(report.counts.accepted).toBe(8000);
    const bodies = cascade.emulator.requests.map((r) => r.body as { id: string }[]);
    expect(bodies).toHaveLength(8);
    for (const ids of bodies.map((body) => body.map((m) => m.id))) {
      const first = messages.findIndex((m) => m.id === ids[0]);
      expect(ids).toEqual(messages.slice(first, first + 1000).map((m) => m.id));
    }
    // Every body came back once written, so three buffers at most served all eight: two in
    // flight, and one for the batch read ahead. Each is sized once, from the body's first part.
    expect(release).toHaveBeenCalledTimes(8);
    expect(allocate.mock.calls.length).toBeLessThanOrEqual(3);
    allocate.mockRestore();
    release.mockRestore();
  });

  describe('a body buffer goes back to the pool', () => {
    const spyOnRelease = () =>
      import.meta.jest.spyOn(
        PayloadBuffers.prototype as unknown as Record<'release', (...args: unknown[]) => unknown>,
        'release',
      );

    it('once every attempt wrote it, retried ones too', async () => {
      const release = spyOnRelease();
      cascade.emulator.faults.next({ kind: 'status', status: 503 });

      const report = await cascade.service.sendBulk(manyTransactions(1000), { batchSize: 1000 });

      expect(report.counts.accepted).toBe(1000);
      expect(cascade.emulator.requests).toHaveLength(2);
      expect(release).toHaveBeenCalledTimes(1);
      release.mockRestore();
    });

    it('is not used with an HTTP client the app provides, whose requests it cannot follow', async () => {
      const encode = import.meta.jest.spyOn(PayloadBuffers.prototype, 'encode');
      const encodeArray = import.meta.jest.spyOn(PayloadBuffers.prototype, 'encodeArray');
      const moduleRef = await Test.createTestingModule({
        imports: [CascadeModule.forRoot({ apiKey: API_KEY, baseUrl: cascade.emulator.url })],
      })
        .overrideProvider(CASCADE_HTTP_CLIENT)
        .useValue(new HttpService(axios.create({ baseURL: cascade.emulator.url })))
        .compile();
      const messages = manyTransactions(2000, 'own');

      const report = await moduleRef.get(CascadeService).sendBulk(messages);
      await moduleRef.close();

      expect(report.counts.accepted).toBe(2000);
      const sent = cascade.emulator.requests.flatMap((r) => r.body as { id: string }[]);
      expect(sent.map((m) => m.id).sort()).toEqual(messages.map((m) => m.id).sort());
      expect(encode).not.toHaveBeenCalled();
      expect(encodeArray).not.toHaveBeenCalled();
      encode.mockRestore();
      encodeArray.mockRestore();
    });

    it('never after an attempt that got no answer: it is not known to have written it all', async () => {
      const release = spyOnRelease();
      cascade.emulator.faults.next({ kind: 'reset', when: 'after-body' });

      const report = await cascade.service.sendBulk(manyTransactions(1000), { batchSize: 1000 });

      expect(report.counts.accepted).toBe(1000);
      expect(cascade.emulator.requests).toHaveLength(2);
      expect(release).not.toHaveBeenCalled();
      release.mockRestore();
    });
  });

  it('uses the Telegram/Viber endpoint when asked', async () => {
    await cascade.service.sendBulk(manyTransactions(3), { endpoint: 'telegramViber' });

    expect(cascade.emulator.requests[0].path).toBe(CASCADE_ENDPOINTS.telegramViber);
  });

  it('keeps no more requests in flight than its concurrency', async () => {
    // Held at a proxy until three are in flight, the requests reach the concurrency whatever the
    // machine's speed; the proxy counts how many were ever open at once.
    const proxy = await HoldingProxy.start(cascade.emulator.url);
    const moduleRef = await Test.createTestingModule({
      imports: [CascadeModule.forRoot({ apiKey: API_KEY, baseUrl: proxy.url })],
    }).compile();
    try {
      const sending = moduleRef
        .get(CascadeService)
        .sendBulk(manyTransactions(1000), { batchSize: 100, concurrency: 3 });
      await until(() => proxy.open >= 3);
      proxy.release();
      await sending;

      expect(cascade.emulator.requests).toHaveLength(10);
      expect(proxy.peak).toBe(3);
    } finally {
      await moduleRef.close();
      await proxy.close();
    }
  });

  it('holds the rate limit, counted at the emulator', async () => {
    const ratePerSecond = 500;
    // The limiter's clock and waits, and the emulator's timestamps, on Jest's clock: it moves
    // to the next wait's end only when the test says, so a slow machine cannot bend the spacing.
    const { jest } = import.meta;
    virtualTimers('Date', 'setTimeout', 'clearTimeout');
    try {
      const startedAt = Date.now();
      let done = false;
      const sending = cascade.service
        .sendBulk(manyTransactions(500), { batchSize: 50, concurrency: 4, ratePerSecond })
        .finally(() => (done = true));
      while (!done) {
        await new Promise((resolve) => setImmediate(resolve));
        jest.advanceTimersToNextTimer();
      }
      await sending;

      // The k-th batch to arrive may start no sooner than k * 50 / 500 s after the campaign.
      const arrivals = cascade.emulator.requests.map((r) => r.receivedAt).sort((a, b) => a - b);
      expect(arrivals).toHaveLength(10);
      arrivals.forEach((at, k) => expect(at - startedAt).toBeGreaterThanOrEqual(k * 100));
    } finally {
      jest.useRealTimers();
    }
  });

  it('reports the messages of a batch that failed for good, and sends the rest', async () => {
    cascade.emulator.faults.next(null, {
      kind: 'status',
      status: 400,
      body: {
        error: { code: 'INVALID_SENDER', message: 'Unknown sender name', field: 'fromName' },
      },
    });

    const report = await cascade.service.sendBulk(manyTransactions(30), {
      batchSize: 10,
      concurrency: 1,
    });

    expect(report.counts).toMatchObject({ accepted: 20, failed: 10 });
    expect(report.failed.map((f) => f.index)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(report.failed[0]).toEqual({
      status: 'failed',
      index: 10,
      trackingId: 'bulk-10',
      code: 'INVALID_SENDER',
      reason: 'Cascade API answered 400 (INVALID_SENDER, field fromName): Unknown sender name',
      attempts: 1,
    });
  });

  it('retries a batch through the retry policy before it fails it', async () => {
    cascade.emulator.faults.next(
      { kind: 'status', status: 503 },
      { kind: 'reset', when: 'before-body' },
    );

    const report = await cascade.service.sendBulk(manyTransactions(10));

    expect(report.counts.accepted).toBe(10);
    expect(cascade.emulator.requests).toHaveLength(3);
  });

  it('reports invalid and repeated messages, sends the valid ones, never one twice', async () => {
    const messages = [
      transaction({ id: 'a' }),
      transaction({ id: 'b', toPhone: '0501234567' }),
      transaction({ id: 'a', text: 'again' }),
      'not a message',
      transaction({ id: 'c' }),
    ];

    const report = await cascade.service.sendBulk(messages);

    expect(sentIds()).toEqual(['a', 'c']);
    expect(report.failed).toEqual([
      expect.objectContaining({ index: 1, trackingId: 'b', code: 'INVALID_PHONE', attempts: 0 }),
      expect.objectContaining({ index: 2, trackingId: 'a', code: 'DUPLICATE_ID' }),
      expect.objectContaining({ index: 3, code: 'INVALID_MESSAGE' }),
    ]);
    expect(report.failed[2]).not.toHaveProperty('trackingId');
    expect(report.counts).toMatchObject({ read: 5, accepted: 2, failed: 3 });
  });

  it('stops cleanly when aborted: batches in flight finish, the account is exact', async () => {
    cascade.emulator.faults.rule({ fault: { kind: 'delay', ms: 30 } });
    const controller = new AbortController();
    let batches = 0;

    const report = await cascade.service.sendBulk(manyTransactions(10_000), {
      batchSize: 100,
      concurrency: 2,
      signal: controller.signal,
      onProgress: () => {
        if (++batches === 3) controller.abort();
      },
    });

    expect(report.aborted).toBe(true);
    const { read, accepted, failed, notSent, pending } = report.counts;
    expect(accepted + failed + notSent).toBe(read);
    expect(pending).toBe(0);
    expect(report.nextIndex).toBe(read);
    expect(read).toBeLessThan(10_000);
    // Exactly what the emulator took was accepted; nothing read after the abort was sent.
    expect(sentIds().sort()).toEqual(report.accepted.map((r) => r.trackingId).sort());
    expect(new Set(sentIds()).size).toBe(sentIds().length);
    for (const { index } of report.notSent) expect(sentIds()).not.toContain(`bulk-${index}`);
  });

  it('pulls an async source only as batches go out', async () => {
    let pulled = 0;
    async function* cursor() {
      for (let i = 0; i < 5000; i++) {
        pulled++;
        yield transaction({ id: `cursor-${i}`, toPhone: `+38050${String(i).padStart(7, '0')}` });
      }
    }
    const pulledAtEachRequest: number[] = [];
    cascade.emulator.faults.rule({ fault: { kind: 'delay', ms: 5 } });

    const report = await cascade.service.sendBulk(cursor(), {
      batchSize: 500,
      concurrency: 2,
      onProgress: () => pulledAtEachRequest.push(pulled),
    });

    expect(report.counts.accepted).toBe(5000);
    // At any moment at most concurrency + 1 batches have been read ahead of what is done.
    pulledAtEachRequest.forEach((p, i) => expect(p).toBeLessThanOrEqual((i + 1) * 500 + 2 * 500));
  });

  it('reads an iterator whose steps are promises, as it reads an async one', async () => {
    const messages = manyTransactions(30, 'steps');
    let at = 0;
    const source = {
      [Symbol.iterator]: () => ({
        next: () => Promise.resolve({ done: at >= messages.length, value: messages[at++] }),
      }),
    } as unknown as Iterable<unknown>;

    const report = await cascade.service.sendBulk(source, { batchSize: 10 });

    expect(report.counts).toMatchObject({ read: 30, accepted: 30, failed: 0 });
  });

  it('reads an array through its own iterator when it has one', async () => {
    const page = manyTransactions(20, 'even');
    Object.defineProperty(page, Symbol.iterator, {
      *value() {
        for (let i = 0; i < page.length; i += 2) yield page[i];
      },
    });

    const report = await cascade.service.sendBulk(page, { batchSize: 5 });

    expect(report.counts.read).toBe(10);
    const even = page.filter((_, i) => i % 2 === 0).map((m) => m.id);
    expect(sentIds().sort()).toEqual(even.sort());
  });

  it('reads an array of promises as it is: a promise is no message', async () => {
    const report = await cascade.service.sendBulk([Promise.resolve(transaction())]);

    expect(report.counts).toMatchObject({ read: 1, failed: 1, accepted: 0 });
    expect(cascade.emulator.requests).toHaveLength(0);
  });

  it('reports a source that fails, keeping what it had sent', async () => {
    function* broken() {
      yield* manyTransactions(15);
      throw new Error('cursor lost');
    }

    const report = await cascade.service.sendBulk(broken(), { batchSize: 10, concurrency: 1 });

    expect(report).toMatchObject({ aborted: true, sourceError: 'cursor lost', nextIndex: 15 });
    expect(report.counts.accepted + report.counts.notSent).toBe(15);
  });

  it('reports progress after each batch, and the total of an array', async () => {
    const progress: CascadeBulkProgress[] = [];

    await cascade.service.sendBulk(manyTransactions(250), {
      batchSize: 100,
      concurrency: 1,
      onProgress: (p) => progress.push(p),
    });

    // One event a batch; the end added nothing, so it repeats none.
    expect(progress.map((p) => p.accepted)).toEqual([100, 200, 250]);
    expect(progress.every((p) => p.total === 250)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ read: 250, pending: 0, failed: 0 });
  });

  it('adds a last progress event only when the end changed the counts', async () => {
    const progress: CascadeBulkProgress[] = [];
    const controller = new AbortController();

    // Stopped after the first batch: the batch read ahead meanwhile is not sent, and only the
    // end tells it.
    await cascade.service.sendBulk(manyTransactions(300), {
      batchSize: 100,
      concurrency: 1,
      signal: controller.signal,
      onProgress: (p) => {
        progress.push(p);
        controller.abort();
      },
    });

    expect(progress.map((p) => [p.accepted, p.notSent])).toEqual([
      [100, 0],
      [100, 100],
    ]);
  });

  describe('reading the next batch while one is in flight', () => {
    // Requests are held at the proxy until a test lets them go, so that what a campaign reads
    // while its batch is in flight does not depend on the machine's speed.
    let proxy: HoldingProxy;
    let moduleRef: TestingModule;
    let service: CascadeService;
    beforeEach(async () => {
      proxy = await HoldingProxy.start(cascade.emulator.url);
      moduleRef = await Test.createTestingModule({
        imports: [CascadeModule.forRoot({ apiKey: API_KEY, baseUrl: proxy.url })],
      }).compile();
      service = moduleRef.get(CascadeService);
    });
    afterEach(async () => {
      await moduleRef.close();
      await proxy.close();
    });

    it('reads the next batch while one is in flight, and reports it not sent when stopped', async () => {
      const controller = new AbortController();
      let pulled = 0;
      function* source() {
        for (const message of manyTransactions(300)) {
          pulled++;
          yield message;
        }
      }

      const sending = service.sendBulk(source(), {
        batchSize: 100,
        concurrency: 1,
        signal: controller.signal,
        onResult: () => controller.abort(),
      });
      // The first batch is held in flight until the second has been read.
      await until(() => proxy.open === 1 && pulled === 200);
      proxy.release();
      const report = await sending;

      expect(cascade.emulator.requests).toHaveLength(1);
      expect(report.counts).toMatchObject({ read: 200, accepted: 100, notSent: 100 });
      expect(report.notSent.map((r) => r.index)).toEqual(
        Array.from({ length: 100 }, (_, i) => 100 + i),
      );
      expect(report.nextIndex).toBe(200);
    });

    it('ends once its batch in flight is done when stopped, though the source has nothing yet', async () => {
      // A live source (a queue, a feed) that has 100 messages now and waits for more.
      const messages = manyTransactions(100, 'live');
      let more!: () => void;
      const nothingYet = new Promise<void>((resolve) => (more = resolve));
      let at = 0;
      let waiting = false;
      const source: AsyncIterable<unknown> = {
        [Symbol.asyncIterator]: () => ({
          next: async () => {
            if (at < messages.length) return { done: false, value: messages[at++] };
            waiting = true;
            await nothingYet;
            return { done: true, value: undefined };
          },
          return: async () => ({ done: true, value: undefined }),
        }),
      };
      const controller = new AbortController();
      let batchDone!: () => void;
      const firstBatchDone = new Promise<void>((resolve) => (batchDone = resolve));
      let ended = false;

      const sending = service
        .sendBulk(source, {
          batchSize: 100,
          concurrency: 1,
          signal: controller.signal,
          onProgress: () => {
            controller.abort();
            batchDone();
          },
        })
        .finally(() => (ended = true));
      await until(() => proxy.open === 1 && waiting);
      proxy.release();
      await firstBatchDone;
      // Stopped, its one batch answered: nothing is in flight, nothing more may be sent.
      await turns(20);
      const endedWhenStopped = ended;
      more();
      const report = await sending;

      expect(endedWhenStopped).toBe(true);
      expect(report.counts).toMatchObject({ read: 100, accepted: 100, notSent: 0 });
    });

    it('says it was aborted when stopped with the last batch read ahead and not sent', async () => {
      const controller = new AbortController();
      let sourceEnded = false;
      function* source() {
        yield* manyTransactions(150);
        sourceEnded = true;
      }

      // The first batch of 100 is in flight while the last 50 are read ahead, which ends the
      // source; the campaign is then stopped, and those 50 are not sent.
      const sending = service.sendBulk(source(), {
        batchSize: 100,
        concurrency: 1,
        signal: controller.signal,
        onResult: () => controller.abort(),
      });
      await until(() => proxy.open === 1 && sourceEnded);
      proxy.release();
      const report = await sending;

      expect(report.counts).toMatchObject({ read: 150, accepted: 100, notSent: 50 });
      // `aborted` says why it stopped early: 50 messages were never sent, because of the signal.
      expect(report.aborted).toBe(true);
    });

    it('reads one batch ahead of those in flight, no more', async () => {
      // Two workers, each with a batch held in flight: a third batch is read, and no fourth.
      let pulled = 0;
      function* source() {
        for (const message of manyTransactions(1000)) {
          pulled++;
          yield message;
        }
      }

      const sending = service.sendBulk(source(), { batchSize: 100, concurrency: 2 });
      await until(() => proxy.open >= 2 && pulled >= 300);
      await turns(20);
      const pulledWhileHeld = pulled;
      proxy.release();
      await sending;

      expect(pulledWhileHeld).toBe(300);
    });
  });

  it('fails a batch that cannot be serialized, and goes on with the next', async () => {
    // A field that reads valid when checked and then changes: JSON cannot hold a BigInt.
    let reads = 0;
    const shifty = transaction({ id: 'shifty' });
    Object.defineProperty(shifty, 'ttl', { enumerable: true, get: () => (reads++ ? 1n : 60) });

    const report = await cascade.service.sendBulk(
      [transaction({ id: 'first' }), shifty, transaction({ id: 'last' })],
      { batchSize: 1, concurrency: 1 },
    );

    expect(report.accepted.map((r) => r.trackingId)).toEqual(['first', 'last']);
    expect(report.failed).toEqual([
      expect.objectContaining({ index: 1, trackingId: 'shifty', code: 'UNEXPECTED', attempts: 0 }),
    ]);
    expect(report.failed[0].reason).toMatch(/BigInt/);
  });

  it('runs under fake timers, as an app’s own tests may install them', async () => {
    import.meta.jest.useFakeTimers();
    try {
      const report = await cascade.service.sendBulk(manyTransactions(300), { batchSize: 100 });

      expect(report.counts.accepted).toBe(300);
    } finally {
      import.meta.jest.useRealTimers();
    }
  });

  it('streams results without keeping them, for campaigns too large to hold', async () => {
    const results: CascadeBulkResult[] = [];

    const report = await cascade.service.sendBulk(manyTransactions(300), {
      keepResults: false,
      onResult: (r) => results.push(r),
    });

    expect(report.accepted).toEqual([]);
    expect(report.counts.accepted).toBe(300);
    expect(results.filter((r) => r.status === 'accepted')).toHaveLength(300);
  });

  it('offers the campaign as an Observable of results, progress and the report', async () => {
    const events: CascadeBulkEvent[] = await lastValueFrom(
      cascade.service.sendBulk$(manyTransactions(20), { batchSize: 10 }).pipe(toArray()),
    );

    expect(events.filter((e) => e.type === 'result')).toHaveLength(20);
    expect(events.filter((e) => e.type === 'progress').length).toBeGreaterThanOrEqual(2);
    expect(events.at(-1)).toMatchObject({ type: 'report', report: { counts: { accepted: 20 } } });
  });

  it('stops the campaign when its Observable is unsubscribed', async () => {
    let pulled = 0;
    let closed: () => void;
    const sourceClosed = new Promise<void>((resolve) => (closed = resolve));
    // The campaign closes its source once it has stopped and its batches in flight are done.
    function* source() {
      try {
        for (const message of manyTransactions(5000)) {
          pulled++;
          yield message;
        }
      } finally {
        closed();
      }
    }

    const subscription = cascade.service
      .sendBulk$(source(), { batchSize: 100, concurrency: 1 })
      .subscribe(() => subscription.unsubscribe());
    await sourceClosed;

    // Unsubscribed at the first batch's first result: the batch read ahead while the first was
    // in flight is the last one read, and nothing more is sent.
    expect(pulled).toBe(200);
    expect(cascade.emulator.requests).toHaveLength(1);
  });

  it.each([
    ['batchSize', { batchSize: 1001 }],
    ['batchSize', { batchSize: 0 }],
    ['concurrency', { concurrency: 0 }],
    ['ratePerSecond', { ratePerSecond: -1 }],
  ])('refuses a bad %s before reading anything', async (option, options) => {
    const sending = cascade.service.sendBulk(manyTransactions(5), options);

    await expect(sending).rejects.toThrow(CascadeConfigError);
    await expect(sending).rejects.toThrow(`Cascade option ${option}`);
    expect(cascade.emulator.requests).toHaveLength(0);
  });
});
