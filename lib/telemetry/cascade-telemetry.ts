import type * as OpenTelemetry from '@opentelemetry/api';
import { CascadeApiError } from '../errors/cascade-api.error.js';
import { CascadeError } from '../errors/cascade.error.js';
import { CascadeNetworkError } from '../errors/cascade-network.error.js';

/** What a span and the metrics may say of a call: never a phone number, a text or a credential. */
export interface CallFacts {
  /** `send`, `status` or `probe`. */
  operation: string;
  /** The endpoint's name (`standard`, `telegramViber`, `status`), never its URL. */
  endpoint: string;
  /** Messages the call carries (0 for a look-up). */
  messages: number;
}

/** One call's record, kept open while it runs. */
export interface CallRecord {
  retry(attempt: number, delayMs: number, error: unknown): void;
  attempt(durationMs: number, httpStatus: number | undefined): void;
  /** Ends the call as a success; later ends are ignored. */
  succeeded(): void;
  /** Ends the call as a failure; later ends are ignored. */
  failed(error: unknown): void;
}

const NO_RECORD: CallRecord = {
  retry: () => undefined,
  attempt: () => undefined,
  succeeded: () => undefined,
  failed: () => undefined,
};

/** A failure as a short, fixed reason: `HTTP_503`, `ECONNRESET`, `CascadeValidationError`. */
function reasonOf(error: unknown): string {
  if (error instanceof CascadeApiError) return `HTTP_${error.status}`;
  if (error instanceof CascadeNetworkError) return error.code;
  return error instanceof Error ? error.name : 'unknown';
}

/**
 * Spans and metrics through `@opentelemetry/api`, an optional peer: without it installed, or
 * with no SDK registered, every record is a no-op. One span per API call (with an event per
 * retry), and the metrics `cascade.messages.sent`, `.accepted`, `.failed` (by reason),
 * `cascade.retries` and `cascade.request.duration`. Attributes carry only counts, names of
 * endpoints and reasons, so no span or metric can leak what a message says or to whom.
 */
export class CascadeTelemetry {
  // Private, so the published declarations never name the optional peer's types: an app
  // without `@opentelemetry/api` still compiles against them.
  private readonly api?: typeof OpenTelemetry;
  private readonly tracer?: OpenTelemetry.Tracer;
  private readonly instruments?: ReturnType<typeof instrumentsOf>;
  private readonly meter?: OpenTelemetry.Meter;

  /** `api` is the loaded `@opentelemetry/api`, or nothing for a no-op telemetry. */
  constructor(api?: unknown) {
    if (!api) return;
    this.api = api as typeof OpenTelemetry;
    this.tracer = this.api.trace.getTracer('nestjs-smsbat-cascade');
    this.meter = this.api.metrics.getMeter('nestjs-smsbat-cascade');
    this.instruments = instrumentsOf(this.meter);
  }

  /** Loads `@opentelemetry/api` when the app has it; a no-op telemetry otherwise. */
  static async load(): Promise<CascadeTelemetry> {
    try {
      return new CascadeTelemetry(await import('@opentelemetry/api'));
    } catch {
      return new CascadeTelemetry();
    }
  }

  /**
   * A gauge read when the metrics are collected, such as the queue's backlog. A read that fails
   * or gives nothing (Redis away) observes nothing that time.
   */
  gauge(name: string, description: string, read: () => Promise<number | undefined>): void {
    this.meter?.createObservableGauge(name, { description }).addCallback(async (result) => {
      const value = await read().catch(() => undefined);
      if (value !== undefined) result.observe(value);
    });
  }

  /** Opens a call's span and record. */
  start(facts: CallFacts): CallRecord {
    const { api, tracer, instruments } = this;
    if (!api || !tracer || !instruments) return NO_RECORD;
    const attributes = {
      'cascade.operation': facts.operation,
      'cascade.endpoint': facts.endpoint,
    };
    const span = tracer.startSpan(`cascade ${facts.operation}`, {
      kind: api.SpanKind.CLIENT,
      attributes: { ...attributes, 'cascade.message.count': facts.messages },
    });
    let attempts = 0;
    // A call ends once: a success, a failure, or its caller giving up on it.
    let ended = false;
    const end = () => {
      if (ended) return false;
      ended = true;
      return true;
    };
    if (facts.messages > 0) instruments.sent.add(facts.messages, attributes);
    return {
      retry: (attempt, delayMs, error) => {
        const reason = reasonOf(error);
        span.addEvent('retry', {
          'cascade.attempt': attempt,
          'cascade.retry.delay_ms': delayMs,
          'cascade.retry.reason': reason,
        });
        instruments.retries.add(1, { ...attributes, 'cascade.retry.reason': reason });
      },
      attempt: (durationMs, httpStatus) => {
        attempts++;
        const status = httpStatus === undefined ? {} : { 'http.response.status_code': httpStatus };
        instruments.duration.record(durationMs, { ...attributes, ...status });
        span.setAttributes({ 'cascade.attempt': attempts, ...status });
      },
      succeeded: () => {
        if (!end()) return;
        if (facts.messages > 0) instruments.accepted.add(facts.messages, attributes);
        span.setStatus({ code: api.SpanStatusCode.OK });
        span.end();
      },
      failed: (error) => {
        if (!end()) return;
        const reason = reasonOf(error);
        const giveUp = error instanceof CascadeError ? error.giveUpReason : undefined;
        if (facts.messages > 0) {
          instruments.failed.add(facts.messages, {
            ...attributes,
            'cascade.failure.reason': reason,
          });
        }
        span.setAttributes({
          'cascade.failure.reason': reason,
          ...(giveUp && { 'cascade.give_up.reason': giveUp }),
        });
        span.setStatus({ code: api.SpanStatusCode.ERROR, message: reason });
        span.end();
      },
    };
  }
}

function instrumentsOf(meter: OpenTelemetry.Meter) {
  return {
    sent: meter.createCounter('cascade.messages.sent', {
      description: 'Messages handed to the Cascade API in a call',
    }),
    accepted: meter.createCounter('cascade.messages.accepted', {
      description: 'Messages the Cascade API accepted',
    }),
    failed: meter.createCounter('cascade.messages.failed', {
      description: 'Messages whose call failed for good, by reason',
    }),
    retries: meter.createCounter('cascade.retries', {
      description: 'Retries of Cascade API requests, by reason',
    }),
    duration: meter.createHistogram('cascade.request.duration', {
      description: 'How long each Cascade API request took',
      unit: 'ms',
    }),
  };
}
