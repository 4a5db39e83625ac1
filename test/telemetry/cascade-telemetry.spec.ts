import { metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { API_KEY, startCascade } from '../support/cascade-app.js';
import { transaction } from '../support/messages.js';

const PHONE = '+380671112233';
const TEXT = 'Your one-time code is 482913';

describe('OpenTelemetry spans and metrics, read with the SDK’s in-memory exporters', () => {
  const spans = new InMemorySpanExporter();
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    // Read on demand below, never on a timer.
    exportIntervalMillis: 2 ** 31 - 1,
  });
  let cascade: Awaited<ReturnType<typeof startCascade>>;

  beforeAll(async () => {
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
    );
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    cascade = await startCascade({
      retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1, jitter: 0 },
    });
  });
  afterAll(async () => {
    await cascade.close();
    await reader.shutdown();
    trace.disable();
    metrics.disable();
  });

  async function collected() {
    await reader.forceFlush();
    const [latest] = metricExporter.getMetrics().slice(-1);
    const all = latest.scopeMetrics.flatMap((scope) => scope.metrics);
    const points = (name: string) =>
      all.find((metric) => metric.descriptor.name === name)?.dataPoints ?? [];
    const sum = (name: string, where: Record<string, unknown> = {}) =>
      points(name)
        .filter((point) => Object.entries(where).every(([k, v]) => point.attributes[k] === v))
        .reduce((total, point) => total + (point.value as number), 0);
    return { all, points, sum };
  }

  it('gives each call a span with its endpoint, count, status and attempts, and an event per retry', async () => {
    cascade.emulator.faults.next({ kind: 'status', status: 503 });
    await cascade.service.send([transaction({ id: 't-1', toPhone: PHONE, text: TEXT })]);

    const span = spans.getFinishedSpans().at(-1) as ReadableSpan;
    expect(span.name).toBe('cascade send');
    expect(span.attributes).toMatchObject({
      'cascade.operation': 'send',
      'cascade.endpoint': 'standard',
      'cascade.message.count': 1,
      'cascade.attempt': 2,
      'http.response.status_code': 200,
    });
    expect(span.events.map((event) => [event.name, event.attributes])).toEqual([
      [
        'retry',
        { 'cascade.attempt': 1, 'cascade.retry.delay_ms': 1, 'cascade.retry.reason': 'HTTP_503' },
      ],
    ]);
  });

  it('records a failed call with its reasons, and counts messages sent, accepted and failed', async () => {
    cascade.emulator.faults.next({ kind: 'status', status: 400 });
    await cascade.service.send(transaction({ id: 't-2', toPhone: PHONE })).catch(() => undefined);

    const span = spans.getFinishedSpans().at(-1) as ReadableSpan;
    expect(span.attributes).toMatchObject({
      'cascade.failure.reason': 'HTTP_400',
      'cascade.give_up.reason': 'not-retryable',
    });
    const { sum, points } = await collected();
    expect(sum('cascade.messages.sent')).toBe(2);
    expect(sum('cascade.messages.accepted')).toBe(1);
    expect(sum('cascade.messages.failed', { 'cascade.failure.reason': 'HTTP_400' })).toBe(1);
    expect(sum('cascade.retries', { 'cascade.retry.reason': 'HTTP_503' })).toBe(1);
    const durations = points('cascade.request.duration') as DataPoint<Histogram>[];
    expect(durations.reduce((n, point) => n + point.value.count, 0)).toBe(3);
  });

  it('puts no phone number, message text or credential in any span or metric', async () => {
    await cascade.service.sendBulk([transaction({ id: 't-3', toPhone: PHONE, text: TEXT })]);
    const { messageId } = await cascade.service.send(transaction({ id: 't-4', toPhone: PHONE }));
    await cascade.service.getStatus(messageId);

    const { all } = await collected();
    const recorded = JSON.stringify([
      spans.getFinishedSpans().map((span) => [span.name, span.attributes, span.events]),
      all.map((metric) => [metric.descriptor, metric.dataPoints.map((p) => p.attributes)]),
    ]);
    for (const secret of [PHONE, PHONE.slice(1), PHONE.slice(-9), TEXT, '482913', API_KEY]) {
      expect(recorded).not.toContain(secret);
    }
    expect(recorded).toContain('cascade status');
  });
});
