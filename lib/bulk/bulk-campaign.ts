import { setImmediate as nextTurn } from 'node:timers/promises';
import { firstValueFrom } from 'rxjs';
import { MAX_MESSAGES_PER_CALL } from '../cascade.constants.js';
import type { CascadeClient } from '../client/cascade.client.js';
import type { CascadePreparedPost } from '../client/prepared-post.js';
import type { CascadeCheckedMessage } from '../client/wire.js';
import { CascadeApiError } from '../errors/cascade-api.error.js';
import { CascadeConfigError, CascadeError } from '../errors/cascade.error.js';
import { CascadeNetworkError } from '../errors/cascade-network.error.js';

import type {
  CascadeBulkAccepted,
  CascadeBulkCounts,
  CascadeBulkEvent,
  CascadeBulkFailed,
  CascadeBulkNotSent,
  CascadeBulkOptions,
  CascadeBulkProgress,
  CascadeBulkReport,
  CascadeBulkResult,
  CascadeBulkSource,
} from '../types/bulk.types.js';
import { CampaignAdmissions } from './campaign-admission.js';
import { RateLimiter } from './rate-limiter.js';

export const DEFAULT_BATCH_SIZE = MAX_MESSAGES_PER_CALL;
export const DEFAULT_CONCURRENCY = 2;
/**
 * The slowest rate: a full batch then waits 10^6 s (11.6 days), within what Node's timers can
 * hold; a slower one would overflow them and fire at once.
 */
export const MIN_RATE_PER_SECOND = 0.001;

/** What a wait for the source gives when the campaign is stopped meanwhile. */
const STOPPED = Symbol('stopped');

/** A batch's accepted messages: their places in the source, tracking ids and the API's ids. */
interface AcceptedBatch {
  indexes: number[];
  trackingIds: readonly string[];
  messageIds: string[];
}

/** A batch read from the source and serialized, ready to send. */
interface Batch {
  indexes: number[];
  ids: string[];
  /** The post, or why it could not be made (a value in `extra` that JSON cannot hold). */
  post: CascadePreparedPost | { error: unknown };
}

/** An array iterated as arrays are, which may then be read in place, by index. */
function readsInPlace(source: CascadeBulkSource): source is readonly unknown[] {
  return (
    Array.isArray(source) &&
    !(Symbol.asyncIterator in source) &&
    source[Symbol.iterator] === Array.prototype[Symbol.iterator]
  );
}

function checkOptions(options: CascadeBulkOptions) {
  const { batchSize = DEFAULT_BATCH_SIZE, concurrency = DEFAULT_CONCURRENCY } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_MESSAGES_PER_CALL) {
    throw new CascadeConfigError(
      'batchSize',
      `must be a whole number from 1 to ${MAX_MESSAGES_PER_CALL}`,
    );
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new CascadeConfigError('concurrency', 'must be a whole number, 1 or more');
  }
  const rate = options.ratePerSecond;
  if (rate !== undefined && !(typeof rate === 'number' && rate >= MIN_RATE_PER_SECOND)) {
    throw new CascadeConfigError(
      'ratePerSecond',
      `must be a number, ${MIN_RATE_PER_SECOND} or more`,
    );
  }
  return { batchSize, concurrency };
}

/** What a failed batch tells each of its messages. */
function failureOf(error: unknown): Pick<CascadeBulkFailed, 'code' | 'reason' | 'attempts'> {
  const reason = error instanceof Error ? error.message : String(error);
  if (error instanceof CascadeApiError) {
    return { code: error.code ?? `HTTP_${error.status}`, reason, attempts: error.attempts };
  }
  if (error instanceof CascadeNetworkError) {
    return { code: error.code, reason, attempts: error.attempts };
  }
  if (error instanceof CascadeError) return { code: error.name, reason, attempts: error.attempts };
  return { code: 'UNEXPECTED', reason, attempts: 0 };
}

/**
 * One bulk campaign: reads the source a batch at a time as workers free up (so a source far
 * larger than memory is never held whole), validates each message, and posts batches under the
 * concurrency and rate limits. Every message read ends accepted, failed or not sent.
 */
export class BulkCampaign {
  private readonly counts: Omit<CascadeBulkCounts, 'pending'> = {
    read: 0,
    accepted: 0,
    failed: 0,
    notSent: 0,
  };
  /**
   * The accepted messages, a batch at a time, as the batch's own columns rather than an object
   * per message: a large campaign's report is most of its heap, and columns of strings cost the
   * collector far less. The report's `accepted` list is built from them when first read.
   */
  private readonly accepted: AcceptedBatch[] = [];
  private readonly failed: CascadeBulkFailed[] = [];
  private readonly notSent: CascadeBulkNotSent[] = [];
  private readonly admissions: CampaignAdmissions;
  private readonly limiter: RateLimiter;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly total?: number;
  private readonly started = Date.now();
  /** The source when it is an array read in place, by index: no iterator result per message. */
  private readonly array?: readonly unknown[];
  /** Where the next message of `array` is. */
  private at = 0;
  /** The source's iterator, when it is not read in place. */
  private readonly iterator?: Iterator<unknown> | AsyncIterator<unknown>;
  /** Reads are serialized: each worker takes the next batch in turn. */
  private reading: Promise<unknown> = Promise.resolve();
  /**
   * The next batch, read and serialized while the last one sent is in flight, so that a worker
   * whose answer arrives sends again at once, and the API is not kept waiting.
   */
  private ahead?: Promise<Batch | undefined>;
  private exhausted = false;
  /** The counts the last progress event gave. */
  private lastProgress?: string;
  private sourceError?: string;
  /** Ends the wait for the source's step in progress, when the campaign is stopped. */
  private wake?: (step: typeof STOPPED) => void;
  private readonly onAbort = () => this.wake?.(STOPPED);
  /** A step of the source was left pending when the campaign stopped. */
  private abandonedStep = false;

  constructor(
    source: CascadeBulkSource,
    private readonly options: CascadeBulkOptions,
    private readonly client: CascadeClient,
    private readonly emit?: (event: CascadeBulkEvent) => void,
  ) {
    ({ batchSize: this.batchSize, concurrency: this.concurrency } = checkOptions(options));
    this.limiter = new RateLimiter(options.ratePerSecond);
    if (Array.isArray(source)) this.total = source.length;
    this.admissions = new CampaignAdmissions(this.total);
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (readsInPlace(source)) {
      this.array = source;
    } else {
      this.iterator =
        Symbol.asyncIterator in source
          ? source[Symbol.asyncIterator]()
          : (source as Iterable<unknown>)[Symbol.iterator]();
    }
  }

  async run(): Promise<CascadeBulkReport> {
    try {
      await Promise.all(Array.from({ length: this.concurrency }, () => this.work()));
    } finally {
      this.options.signal?.removeEventListener('abort', this.onAbort);
    }
    if (!this.exhausted) await this.closeSource();
    const durationMs = Date.now() - this.started;
    const report: CascadeBulkReport = {
      counts: { ...this.counts, pending: 0 },
      durationMs,
      messagesPerSecond: rate(this.counts.accepted, durationMs),
      // Stopped early: messages were left unread, or read and not sent.
      aborted: !this.exhausted || this.counts.notSent > 0,
      nextIndex: this.counts.read,
      accepted: [],
      failed: this.failed,
      notSent: this.notSent,
    };
    const batches = this.accepted;
    let accepted: CascadeBulkAccepted[] | undefined;
    Object.defineProperty(report, 'accepted', {
      enumerable: true,
      get: () =>
        (accepted ??= batches.flatMap(({ indexes, trackingIds, messageIds }) =>
          indexes.map((index, i) => ({
            status: 'accepted' as const,
            index,
            trackingId: trackingIds[i],
            messageId: messageIds[i],
          })),
        )),
    });
    if (this.sourceError !== undefined) report.sourceError = this.sourceError;
    this.emitProgress();
    return report;
  }

  private get stopped(): boolean {
    return this.exhausted || this.sourceError !== undefined || !!this.options.signal?.aborted;
  }

  private async work(): Promise<void> {
    for (;;) {
      const batch = await this.nextBatch();
      if (!batch) return;
      const { indexes, ids, post } = batch;
      if (!(await this.limiter.wait(indexes.length, this.options.signal))) {
        indexes.forEach((index, i) =>
          this.record({ status: 'not-sent', index, trackingId: ids[i] }),
        );
        return;
      }
      try {
        if ('error' in post) throw post.error;
        const sending = this.send(post);
        this.readAhead();
        // The ids are taken as sent, which is how the API's answer is matched to them.
        const messageIds = await sending;
        this.accept({ indexes, trackingIds: post.ids, messageIds });
      } catch (error) {
        const failure = failureOf(error);
        indexes.forEach((index, i) => {
          this.record({ status: 'failed', index, trackingId: ids[i], ...failure });
        });
      }
      this.emitProgress();
    }
  }

  /** Posts one batch through the retry policy. A batch in flight finishes when the campaign stops. */
  private send(post: CascadePreparedPost): Promise<string[]> {
    const { retry, timeoutMs, deadlineMs, credentials } = this.options;
    const options = { retry, timeoutMs, deadlineMs, credentials };
    return firstValueFrom(this.client.postPrepared$(post, options));
  }

  /** The batch read ahead, or else the next one read now. */
  private nextBatch(): Promise<Batch | undefined> {
    const batch = this.ahead ?? this.readBatch();
    this.ahead = undefined;
    return batch;
  }

  /**
   * Reads the next batch while the one just sent is in flight. It waits a turn of the event
   * loop, by which time the request is written out: reading first would hold it back. That
   * turn comes from `node:timers`, which fake timers in an app's tests leave alone.
   */
  private readAhead(): void {
    if (this.ahead || this.stopped) return;
    const ahead = nextTurn().then(() => this.readBatch());
    // Marked handled: a worker takes it and meets the failure, if any, then.
    ahead.catch(() => undefined);
    this.ahead = ahead;
  }

  private readBatch(): Promise<Batch | undefined> {
    const batch = this.reading.then(() => this.readBatchNow());
    this.reading = batch.catch(() => undefined);
    return batch;
  }

  /** The next batch of admitted messages, serialized; undefined when there are no more. */
  private async readBatchNow(): Promise<Batch | undefined> {
    const indexes: number[] = [];
    const ids: string[] = [];
    const messages: CascadeCheckedMessage[] = [];
    this.admissions.tick();
    const { array, iterator } = this;
    while (indexes.length < this.batchSize && !this.stopped) {
      let value: unknown;
      if (array) {
        if (this.at >= array.length) {
          this.exhausted = true;
          break;
        }
        value = array[this.at++];
      } else {
        let step: IteratorResult<unknown> | typeof STOPPED;
        try {
          // An iterator's step, awaited when it is a promise (as an async iterator's are).
          const pending = iterator!.next();
          step = pending instanceof Promise ? await this.untilStopped(pending) : pending;
          if (step === STOPPED) {
            // The message it brings, if any, is not read: `nextIndex` points at it.
            this.abandonedStep = true;
            break;
          }
          if (step.done) {
            this.exhausted = true;
            break;
          }
        } catch (error) {
          this.sourceError = error instanceof Error ? error.message : String(error);
          break;
        }
        value = step.value;
      }
      const index = this.counts.read++;
      const refusal = this.admissions.admit(value, index);
      if (refusal) {
        this.record({ status: 'failed', index, ...refusal, attempts: 0 });
      } else {
        const message = value as CascadeCheckedMessage;
        indexes.push(index);
        ids.push(message.id as string);
        messages.push(message);
      }
    }
    if (messages.length === 0) return undefined;
    return { indexes, ids, post: this.prepare(messages) };
  }

  /**
   * Waits for a step of the source, or until the campaign is stopped: a live source may have
   * nothing for a long time, and a stopped campaign ends once its batches in flight are done.
   */
  private untilStopped<T>(step: Promise<T>): Promise<T | typeof STOPPED> {
    return new Promise<T | typeof STOPPED>((resolve, reject) => {
      this.wake = resolve;
      step.then(resolve, reject);
    }).finally(() => (this.wake = undefined));
  }

  /**
   * Closes the source when the campaign ends before it. Not awaited while a step is pending: an
   * async generator closes only after that step, which may never come.
   */
  private async closeSource(): Promise<void> {
    const closing = this.iterator?.return?.();
    if (this.abandonedStep) void Promise.resolve(closing).catch(() => undefined);
    else await closing;
  }

  /** Serializes a batch for its post; a failure fails the batch, as a failed post would. */
  private prepare(messages: CascadeCheckedMessage[]): Batch['post'] {
    try {
      return this.client.prepare(this.options.endpoint ?? 'standard', messages);
    } catch (error) {
      return { error };
    }
  }

  /** Records a batch accepted: an object per message only for those who asked to hear of each. */
  private accept(batch: AcceptedBatch): void {
    const { indexes, trackingIds, messageIds } = batch;
    this.counts.accepted += indexes.length;
    if (this.options.keepResults !== false) this.accepted.push(batch);
    if (!this.options.onResult && !this.emit) return;
    indexes.forEach((index, i) => {
      this.announce({
        status: 'accepted',
        index,
        trackingId: trackingIds[i],
        messageId: messageIds[i],
      });
    });
  }

  private record(result: CascadeBulkFailed | CascadeBulkNotSent): void {
    const keep = this.options.keepResults !== false;
    switch (result.status) {
      case 'failed':
        this.counts.failed++;
        if (keep) this.failed.push(result);
        break;
      case 'not-sent':
        this.counts.notSent++;
        if (keep) this.notSent.push(result);
        break;
    }
    this.announce(result);
  }

  private announce(result: CascadeBulkResult): void {
    this.options.onResult?.(result);
    this.emit?.({ type: 'result', result });
  }

  /**
   * Tells the progress: after each batch, and at the end when the end added something (a
   * message refused or not sent after the last batch), so no two events say the same.
   */
  private emitProgress(): void {
    const { read, accepted, failed, notSent } = this.counts;
    const said = `${read} ${accepted} ${failed} ${notSent}`;
    if (said === this.lastProgress) return;
    this.lastProgress = said;
    const elapsedMs = Date.now() - this.started;
    const progress: CascadeBulkProgress = {
      read,
      accepted,
      failed,
      notSent,
      pending: read - accepted - failed - notSent,
      elapsedMs,
      rate: rate(accepted, elapsedMs),
    };
    if (this.total !== undefined) progress.total = this.total;
    this.options.onProgress?.(progress);
    this.emit?.({ type: 'progress', progress });
  }
}

const rate = (count: number, ms: number) => (ms > 0 ? Math.round((count * 1000) / ms) : 0);
