import {
  BadRequestException,
  Controller,
  type INestApplication,
  Post,
  UseInterceptors,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  CascadeModule,
  CascadeNetworkError,
  CascadeRetry,
  CascadeRetryInterceptor,
  CascadeService,
} from 'nestjs-smsbat-cascade';
import { CascadeEmulator, type EmulatorFault } from 'nestjs-smsbat-cascade/testing';
import request from 'supertest';
import { FastForwardScheduler } from '../support/fast-forward-scheduler.js';
import { LogCapture } from '../support/log-capture.js';
import { transaction } from '../support/messages.js';

const unavailable: EmulatorFault = { kind: 'status', status: 503 };
const runs: Record<string, number> = {};
const count = (route: string) => (runs[route] = (runs[route] ?? 0) + 1);

@Controller()
@UseInterceptors(CascadeRetryInterceptor)
class SendController {
  constructor(private readonly cascade: CascadeService) {}

  @Post('send')
  send() {
    count('send');
    return this.cascade.send(transaction());
  }

  @Post('once-more')
  @CascadeRetry({ maxRetries: 1 })
  onceMore() {
    return this.cascade.send(transaction());
  }

  @Post('no-retry')
  @CascadeRetry(false)
  noRetry() {
    return this.cascade.send(transaction());
  }

  @Post('flaky')
  flaky() {
    if (count('flaky') < 3) throw new CascadeNetworkError('ECONNRESET', 'socket hang up');
    return { ok: true };
  }

  @Post('bad')
  bad() {
    count('bad');
    throw new BadRequestException('no');
  }
}

describe('CascadeRetryInterceptor', () => {
  const scheduler = new FastForwardScheduler();
  const logs = new LogCapture();
  let emulator: CascadeEmulator;
  let app: INestApplication;
  const post = (path: string) => request(app.getHttpServer()).post(path);

  beforeAll(async () => {
    emulator = await CascadeEmulator.start();
    const moduleRef = await Test.createTestingModule({
      imports: [
        CascadeModule.forRoot({ apiKey: 'k', baseUrl: emulator.url, retry: { scheduler } }),
      ],
      controllers: [SendController],
    })
      .setLogger(logs)
      .compile();
    app = moduleRef.createNestApplication();
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    await emulator.close();
  });
  beforeEach(() => {
    emulator.reset();
    for (const route of Object.keys(runs)) delete runs[route];
  });

  it('bounds the sends of a retried route by its own policy: 4, not 16', async () => {
    emulator.faults.rule({ fault: unavailable });

    await post('/send').expect(500);

    // The interceptor retries 3 times; the service makes one attempt per run of the handler.
    expect(emulator.requests).toHaveLength(4);
    expect(runs.send).toBe(4);
  });

  it('retries a route until it succeeds', async () => {
    emulator.faults.next(unavailable);

    const response = await post('/send').expect(201);

    expect(response.body.trackingId).toBe('order-12345');
    expect(emulator.requests).toHaveLength(2);
    expect(logs.at('warn').at(-1)).toMatch(
      /SendController.send failed \(HTTP 503\); retry 1 of 3 in \d+ ms/,
    );
  });

  it('takes a route policy from @CascadeRetry', async () => {
    emulator.faults.rule({ fault: unavailable });

    await post('/once-more').expect(500);

    expect(emulator.requests).toHaveLength(2);
  });

  it('makes one attempt on a route with @CascadeRetry(false)', async () => {
    emulator.faults.rule({ fault: unavailable });

    await post('/no-retry').expect(500);

    expect(emulator.requests).toHaveLength(1);
  });

  it('retries a retryable Cascade error thrown by the handler itself', async () => {
    const response = await post('/flaky').expect(201);

    expect(response.body).toEqual({ ok: true });
    expect(runs.flaky).toBe(3);
  });

  it('passes other errors through at once', async () => {
    await post('/bad').expect(400);

    expect(runs.bad).toBe(1);
  });

  it('passes a 400 from the API through at once', async () => {
    emulator.faults.rule({ fault: { kind: 'status', status: 400 } });

    await post('/send').expect(500);

    expect(emulator.requests).toHaveLength(1);
  });

  it('leaves the service its own retries outside the interceptor', async () => {
    emulator.faults.next(unavailable, unavailable);

    await app.get(CascadeService).send(transaction());

    expect(emulator.requests).toHaveLength(3);
  });
});
