import { DELIVERY_STATES, FINAL_DELIVERY_STATES } from '../cascade.constants.js';

/** Where a message stands: queued, being sent, or one of three final states. */
export type CascadeDeliveryState = (typeof DELIVERY_STATES)[number];

/** A message's delivery status, as `GET /bat/message/{messageId}` answers it. */
export interface CascadeDeliveryStatus {
  /** The message looked up: the `messageId` a send returned. */
  messageId: string;
  /** The API's state, kept as sent even when the module does not know it (see `known`). */
  deliverystatus: CascadeDeliveryState | (string & {});
  /** Whether `deliverystatus` is one of the documented states; an unknown one is never final. */
  known: boolean;
  /** Whether the status can no longer change. */
  final: boolean;
  /** The API's batch: one id for the messages of one accepted call. */
  messagelistId?: number;
  /** How many parts (SMS segments) the message took. */
  partscount?: number;
  /** What the message cost, in the account's currency units. */
  cost?: number;
  /** The fallback channels and how each fared: `[{ type: 'sms', status: 'not_used' }]`. */
  fallbacks?: { type: string; status: string }[];
  /** The status on each channel: `{ viber: 'delivered', sms: 'not_used' }`. */
  extendedStatuses?: Record<string, string>;
  /** The rate applied, as the API reports it. */
  rate?: number;
  /** The rate's amount, as the API reports it. */
  rateAmount?: number;
  /** The rate's currency (`USD`). */
  rateCurrency?: string;
  /** The amount billed. */
  billAmount?: number;
  /** The billed amount's currency. */
  billCurrency?: string;
}

/** Whether a state is final: `delivered`, `undeliverable` or `permanenterror`. */
export function isFinalStatus(state: string): boolean {
  return (FINAL_DELIVERY_STATES as readonly string[]).includes(state);
}

export function isKnownStatus(state: string): state is CascadeDeliveryState {
  return (DELIVERY_STATES as readonly string[]).includes(state);
}

/** Options of `waitForFinalStatus` and `watchStatus$`. */
export interface CascadeWaitOptions {
  /** How long to wait for a final status, in ms (5 minutes). */
  timeoutMs?: number;
  /** The first pause between polls, in ms: 1000 at the least, the vendor's limit (1000). */
  pollIntervalMs?: number;
  /** The longest pause, as polls back off while the message stays pending, in ms (30 000). */
  maxPollIntervalMs?: number;
  /** Stops waiting: a poll in flight is cancelled, and the wait fails with `CascadeAbortError`. */
  signal?: AbortSignal;
}
