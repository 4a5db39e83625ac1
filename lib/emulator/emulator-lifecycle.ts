import { parseIsoDateTime } from '../validation/message-rules.js';
import type { CascadeDeliveryState } from '../types/status.types.js';

/** How accepted messages move through their delivery states in the emulator. */
export interface EmulatorLifecycleOptions {
  /** How long a message stays `processing` once due (its `scheduledSent`, or at once), in ms (1000). */
  processingMs?: number;
  /** The share of messages that end in failure rather than `delivered`, from 0 to 1 (0). */
  failureRate?: number;
  /** The final state of a failing message (`undeliverable`). */
  failureStatus?: 'undeliverable' | 'permanenterror';
}

/** Where the emulator posts status webhooks, as the vendor's account manager would set up. */
export interface EmulatorWebhookOptions {
  /** The receiving route's full URL. */
  url: string;
  /** Headers to send with each post, such as a shared secret. */
  headers?: Record<string, string>;
}

/** A status webhook the emulator posted, and how the receiver answered. */
export interface EmulatorWebhookDelivery {
  payload: { messageId: string; deliverystatus: string; timestamp: string; cost: number };
  /** The receiver's HTTP status, or 0 when it could not be reached. */
  status: number;
}

/** One message's course: due at `dueAt`, final at `dueAt + processingMs` with `outcome`. */
export interface EmulatedCourse {
  dueAt: number;
  outcome: 'delivered' | 'undeliverable' | 'permanenterror';
}

// What a delivered message costs; a failed one costs nothing, like the vendor's failed examples.
const DELIVERED_COST = 0.05;
// setTimeout cannot wait longer; webhooks for messages due later than this are not posted.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What a message costs in a state: only a delivered one is billed, and only once final. */
export function costOf(state: CascadeDeliveryState): number {
  return state === 'delivered' ? DELIVERED_COST : 0;
}

/** Works out each message's status from the clock, and posts webhooks as statuses change. */
export class EmulatorLifecycle {
  readonly deliveries: EmulatorWebhookDelivery[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly processingMs: number;

  constructor(
    private readonly options: EmulatorLifecycleOptions = {},
    private readonly webhook: EmulatorWebhookOptions | undefined,
    private readonly now: () => number,
  ) {
    this.processingMs = options.processingMs ?? 1000;
  }

  /** Plans a newly accepted message's course, and its webhooks. */
  plan(messageId: string, message: Record<string, unknown>, acceptedAt: number): EmulatedCourse {
    const scheduled =
      typeof message.scheduledSent === 'string'
        ? parseIsoDateTime(message.scheduledSent, false)
        : NaN;
    const failing = Math.random() < (this.options.failureRate ?? 0);
    const course: EmulatedCourse = {
      dueAt: Number.isNaN(scheduled) ? acceptedAt : Math.max(acceptedAt, scheduled),
      outcome: failing ? (this.options.failureStatus ?? 'undeliverable') : 'delivered',
    };
    if (this.webhook) {
      if (course.dueAt > acceptedAt) this.post(messageId, 'scheduled');
      this.at(course.dueAt - acceptedAt, () => this.post(messageId, 'processing'));
      this.at(course.dueAt + this.processingMs - acceptedAt, () =>
        this.post(messageId, course.outcome),
      );
    }
    return course;
  }

  /** The state of a message on the course given, now. */
  stateOf(course: EmulatedCourse): CascadeDeliveryState {
    const now = this.now();
    if (now < course.dueAt) return 'scheduled';
    if (now < course.dueAt + this.processingMs) return 'processing';
    return course.outcome;
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private at(delayMs: number, fn: () => void): void {
    if (delayMs > MAX_TIMER_MS) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, delayMs);
    this.timers.add(timer);
  }

  private post(messageId: string, deliverystatus: CascadeDeliveryState): void {
    const { url, headers } = this.webhook!;
    const payload = {
      messageId,
      deliverystatus,
      timestamp: new Date().toISOString(),
      cost: costOf(deliverystatus),
    };
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(payload),
    }).then(
      async (response) => {
        await response.arrayBuffer();
        this.deliveries.push({ payload, status: response.status });
      },
      () => this.deliveries.push({ payload, status: 0 }),
    );
  }
}
