import type { CASCADE_ENDPOINTS } from '../cascade.constants.js';
import type { CascadeCallOptions } from './options.types.js';

/** Where a campaign's messages come from: an array, any iterable, or an async iterable. */
export type CascadeBulkSource<T = unknown> = Iterable<T> | AsyncIterable<T>;

export interface CascadeBulkOptions extends Omit<CascadeCallOptions, 'signal'> {
  /** Which endpoint: `standard` (default) or `telegramViber`. */
  endpoint?: keyof typeof CASCADE_ENDPOINTS;
  /** Messages per request, 1 to 1000 (1000: the vendor's largest advised batch). */
  batchSize?: number;
  /** Requests in flight at once (2). */
  concurrency?: number;
  /** A client-side limit, in messages per second, spread evenly across batches (none). */
  ratePerSecond?: number;
  /**
   * Stops the campaign: batches in flight finish, nothing more is sent, and the report lists
   * the messages read but never sent, and where reading stopped (`nextIndex`).
   */
  signal?: AbortSignal;
  /**
   * Whether the report keeps every result (true). Turn it off for campaigns too large to hold:
   * results are then handed out only as they arrive, through `onResult` or `sendBulk$`.
   */
  keepResults?: boolean;
  /** Called after each batch with the campaign's progress. */
  onProgress?: (progress: CascadeBulkProgress) => void;
  /** Called with each message's outcome as it is known. */
  onResult?: (result: CascadeBulkResult) => void;
}

/** A message the API accepted. */
export interface CascadeBulkAccepted {
  status: 'accepted';
  /** The message's position in the source. */
  index: number;
  trackingId: string;
  messageId: string;
}

/** A message that was not accepted: invalid, a repeated tracking id, or its batch failed. */
export interface CascadeBulkFailed {
  status: 'failed';
  index: number;
  /** The message's tracking id, when it has a readable one. */
  trackingId?: string;
  /** A stable code: a rule (`INVALID_PHONE`, `DUPLICATE_ID`), an API code or status, a network code. */
  code: string;
  /** Why, in a sentence. */
  reason: string;
  /** Requests made for its batch (0 for a message never sent). */
  attempts: number;
}

/** A message read from the source but never sent, because the campaign was stopped. */
export interface CascadeBulkNotSent {
  status: 'not-sent';
  index: number;
  trackingId?: string;
}

export type CascadeBulkResult = CascadeBulkAccepted | CascadeBulkFailed | CascadeBulkNotSent;

export interface CascadeBulkCounts {
  /** Messages read from the source so far. */
  read: number;
  accepted: number;
  failed: number;
  notSent: number;
  /** Read, but with no outcome yet: waiting for or inside a request. */
  pending: number;
}

export interface CascadeBulkProgress extends CascadeBulkCounts {
  /** The source's size, when it is an array. */
  total?: number;
  /** Time since the campaign started, in ms. */
  elapsedMs: number;
  /** Messages accepted per second so far. */
  rate: number;
}

/** The account of a finished campaign: every message read is accepted, failed or not sent. */
export interface CascadeBulkReport {
  counts: CascadeBulkCounts;
  durationMs: number;
  /** Messages accepted per second, over the whole campaign. */
  messagesPerSecond: number;
  /** Whether it stopped before the source ran out (its signal, or the source failing). */
  aborted: boolean;
  /** Why the source failed, if it did. */
  sourceError?: string;
  /** The index of the first message never read: a resumed campaign starts there. */
  nextIndex: number;
  /** Each list is empty when `keepResults` is off. */
  accepted: CascadeBulkAccepted[];
  failed: CascadeBulkFailed[];
  notSent: CascadeBulkNotSent[];
}

/** What `sendBulk$` emits: each result as it is known, progress after each batch, the report last. */
export type CascadeBulkEvent =
  | { type: 'result'; result: CascadeBulkResult }
  | { type: 'progress'; progress: CascadeBulkProgress }
  | { type: 'report'; report: CascadeBulkReport };
