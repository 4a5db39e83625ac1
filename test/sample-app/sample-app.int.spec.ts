import 'reflect-metadata';
import {
  CASCADE_MESSAGE_LIMITS,
  FlashcallMessageDto,
  TransactionMessageDto,
  ViberSurveyMessageDto,
} from 'nestjs-smsbat-cascade';
import { DEFAULT_QUEUE_NAME } from 'nestjs-smsbat-cascade/queue';
import { CascadeEmulator, type EmulatorFault } from 'nestjs-smsbat-cascade/testing';
import request from 'supertest';
import { DEVELOPMENT_API_KEY } from '../../sample-app/src/settings/settings.js';
import { flashcall, manyTransactions, survey, transaction } from '../support/messages.js';
import { RedisServer } from '../support/redis-server.js';
import { until } from '../support/until.js';
import { type SampleProcess, startSampleApp } from './sample-process.js';

describe('sample app in emulator mode, as npm start runs it', () => {
  const WEBHOOK_SECRET = 'webhook-secret-emulator-mode';
  let sample: SampleProcess;
  const key = { 'x-api-key': DEVELOPMENT_API_KEY };
  const http = () => request(sample.url);

  beforeAll(async () => {
    sample = await startSampleApp({ CASCADE_WEBHOOK_SECRET: WEBHOOK_SECRET });
  });
  afterAll(() => sample.stop());

  it('runs against the in-process emulator and says so', () => {
    expect(sample.output()).toContain('Emulator mode: no CASCADE_API_KEY');
    expect(sample.output()).toContain(`Send routes take x-api-key: ${DEVELOPMENT_API_KEY}`);
  });

  it('POST /messages sends one message', async () => {
    const response = await http().post('/messages').set(key).send(transaction()).expect(200);

    expect(response.body).toEqual([
      { messageId: expect.any(String), trackinId: 'order-12345', trackingId: 'order-12345' },
    ]);
  });

  it('POST /messages/tg-viber sends a mixed batch', async () => {
    const response = await http()
      .post('/messages/tg-viber')
      .set(key)
      .send([survey(), flashcall()])
      .expect(200);

    expect(response.body.map((r: { trackingId: string }) => r.trackingId)).toEqual([
      'survey-satisfaction',
      'verify-user-123',
    ]);
  });

  it('GET /messages/:messageId/status reads the status; the webhook reports its changes', async () => {
    const sentAt = Date.now();
    const [{ messageId }] = (await http().post('/messages').set(key).send(transaction())).body;

    const response = await http().get(`/messages/${messageId}/status`).set(key).expect(200);
    const readAfterMs = Date.now() - sentAt;
    await until(() => sample.output().includes(`Message ${messageId}: delivered (final)`));

    // The sample's emulator keeps a message processing for 2 s: read within them, it must say
    // so; a machine slow enough to read it later may find it delivered already.
    const possible = readAfterMs < 2000 ? ['processing'] : ['processing', 'delivered'];
    expect(possible).toContain(response.body.deliverystatus);
    expect(response.body).toMatchObject({
      messageId,
      final: response.body.deliverystatus === 'delivered',
    });
    expect(sample.output()).toContain(`Message ${messageId}: processing`);
    expect(sample.output()).toContain(`Message ${messageId}: delivered (final)`);
    await http().get('/messages/no-such-id/status').set(key).expect(404);
  });

  it('refuses invalid messages with every violation, and batches above 1000', async () => {
    const invalid = await http()
      .post('/messages')
      .set(key)
      .send(transaction({ toPhone: '0501234567', ttl: -1 }))
      .expect(400);
    const tooMany = await http()
      .post('/messages')
      .set(key)
      .send(manyTransactions(1001))
      .expect(400);

    expect(invalid.body.violations.map((v: { field: string }) => v.field)).toEqual([
      'toPhone',
      'ttl',
    ]);
    expect(tooMany.body.message).toBe(
      'A request carries 1 to 1000 messages; this one carries 1001',
    );
  });

  it('POST /campaigns answers at once; GET /campaigns/:id gives progress, then the report', async () => {
    const messages = [
      ...manyTransactions(30, 'campaign'),
      transaction({ id: 'bad', toPhone: '380501234567' }),
    ];

    const started = await http()
      .post('/campaigns')
      .set(key)
      .send({ messages, batchSize: 10 })
      .expect(202);
    let campaign = (await http().get(`/campaigns/${started.body.id}`).set(key).expect(200)).body;
    await until(async () => {
      campaign = (await http().get(`/campaigns/${started.body.id}`).set(key)).body;
      return campaign.state !== 'running';
    });

    expect(started.body).toEqual({ id: expect.any(String), state: 'running' });
    expect(campaign.state).toBe('finished');
    expect(campaign.report.counts).toMatchObject({ read: 31, accepted: 30, failed: 1 });
    expect(campaign.report.failed[0]).toMatchObject({ trackingId: 'bad', code: 'INVALID_PHONE' });
    expect(campaign.progress.total).toBe(31);
  });

  it('refuses a malformed campaign, and answers 404 for an unknown one', async () => {
    await http().post('/campaigns').set(key).send({ messages: 'all' }).expect(400);
    await http()
      .post('/campaigns')
      .set(key)
      .send({ messages: [transaction()], extra: 1 })
      .expect(400);
    await http().get('/campaigns/8b2f1e9a-4c6d-4e2a-9f8b-1a3d5c7e9f0b').set(key).expect(404);
  });

  it.each([
    ['no key', {}],
    ['a wrong key', { 'x-api-key': 'guess' }],
  ])('guards the send routes: %s gets 401', async (_label, headers) => {
    await http().post('/messages').set(headers).send(transaction()).expect(401);
    await http().post('/messages/tg-viber').set(headers).send(transaction()).expect(401);
    await http()
      .post('/campaigns')
      .set(headers)
      .send({ messages: [transaction()] })
      .expect(401);
    await http().get('/messages/x/status').set(headers).expect(401);
  });

  it('GET /health reports the emulator reachable', async () => {
    const response = await http().get('/health').expect(200);

    expect(response.body).toMatchObject({ status: 'ok', info: { cascade: { status: 'up' } } });
    expect(Object.keys(response.body.info)).toEqual(['cascade']);
  });

  it('has no queue dashboard outside queue mode', async () => {
    await http().get('/queues').set(key).expect(404);
  });

  it('serves OpenAPI documentation built from the DTOs, with an example per type', async () => {
    await http().get('/docs').expect(200);
    const { body } = await http().get('/docs-json').expect(200);

    for (const dto of [
      'TransactionMessageDto',
      'PromoMessageDto',
      'ViberSurveyMessageDto',
      'FlashcallMessageDto',
      'ViberCarouselMessageDto',
    ]) {
      expect(body.components.schemas[dto].properties.toPhone.example).toBe('+380501234567');
    }
    const examples = body.paths['/messages'].post.requestBody.content['application/json'].examples;
    expect(Object.keys(examples)).toEqual(
      expect.arrayContaining([
        'transaction',
        'promo',
        'viber_survey',
        'flashcall',
        'viber_carousel',
      ]),
    );
    expect(body.components.securitySchemes['api-key']).toMatchObject({
      in: 'header',
      name: 'x-api-key',
    });
  });

  it("documents each type's fields with the rules' own limits", async () => {
    const { schemas } = (await http().get('/docs-json').expect(200)).body.components;
    const { ViberSurveyMessageDto: survey, FlashcallMessageDto: flashcall } = schemas;

    expect(survey.required).toEqual([
      'id',
      'fromName',
      'toPhone',
      'messageType',
      'text',
      'surveyOptions',
    ]);
    expect(survey.properties).toMatchObject({
      id: {
        maxLength: CASCADE_MESSAGE_LIMITS.maxIdLength,
        pattern: CASCADE_MESSAGE_LIMITS.idPattern,
      },
      toPhone: { pattern: CASCADE_MESSAGE_LIMITS.phonePattern },
      messageType: { enum: ['viber_survey'] },
      text: { maxLength: CASCADE_MESSAGE_LIMITS.maxSurveyTextLength },
      surveyOptions: {
        minItems: CASCADE_MESSAGE_LIMITS.minSurveyOptions,
        maxItems: CASCADE_MESSAGE_LIMITS.maxSurveyOptions,
      },
    });
    expect(Object.keys(flashcall.properties).sort()).toEqual(
      [
        'extra',
        'fallback',
        'fromName',
        'id',
        'messageType',
        'scheduledSent',
        'toPhone',
        'ttl',
      ].sort(),
    );
    expect(schemas.TransactionMessageDto.properties.text.maxLength).toBeUndefined();
    // The toPhone pattern is the rule's: what it matches, the rule takes.
    const phone = new RegExp(CASCADE_MESSAGE_LIMITS.phonePattern);
    expect([phone.test('+380501234567'), phone.test('0501234567')]).toEqual([true, false]);
  });

  it("builds the document without changing the package's DTO classes", async () => {
    await import('../../sample-app/src/openapi.js');

    for (const dto of [TransactionMessageDto, ViberSurveyMessageDto, FlashcallMessageDto]) {
      expect(Reflect.getMetadataKeys(dto.prototype)).toEqual([]);
    }
  });

  it('takes status webhooks only with the secret', async () => {
    const update = {
      messageId: 'm-1',
      deliverystatus: 'delivered',
      timestamp: new Date().toISOString(),
    };
    const post = () => http().post('/cascade/status');

    await post().send(update).expect(401);
    await post().set('x-cascade-webhook-secret', 'nope').send(update).expect(401);
    await post().set('x-cascade-webhook-secret', WEBHOOK_SECRET).send({}).expect(400);
    await post().set('x-cascade-webhook-secret', WEBHOOK_SECRET).send(update).expect(204);
    // Fields the route does not know are the vendor's to add: they are dropped, not refused.
    await post()
      .set('x-cascade-webhook-secret', WEBHOOK_SECRET)
      .send({ ...update, messageId: 'm-2', partscount: 1 })
      .expect(204);

    await until(() => sample.output().includes('Message m-1: delivered (final)'));
    expect(sample.output()).toContain('Message m-1: delivered (final)');
  });
});

describe('sample app with real credentials, against an API that fails', () => {
  const SECRETS = {
    CASCADE_API_KEY: 'sk-live-sample-7f3e9a',
    SAMPLE_API_KEY: 'client-key-1b2c3d4e5f',
    CASCADE_WEBHOOK_SECRET: 'webhook-secret-0a9b8c7d6e',
  };
  let emulator: CascadeEmulator;
  let sample: SampleProcess;
  const key = { 'x-api-key': SECRETS.SAMPLE_API_KEY };
  const send = (app = sample) => request(app.url).post('/messages').set(key).send(transaction());
  const settings = () => ({ ...SECRETS, CASCADE_BASE_URL: emulator.url, CASCADE_MAX_RETRIES: '0' });

  beforeAll(async () => {
    emulator = await CascadeEmulator.start({ credentials: { apiKey: SECRETS.CASCADE_API_KEY } });
    // The default timeout (15 s): no answered request runs out of time, however slow the machine.
    sample = await startSampleApp(settings());
  });
  afterAll(async () => {
    await sample.stop();
    await emulator.close();
  });
  beforeEach(() => emulator.reset());

  it('sends with the configured credentials, not in emulator mode', async () => {
    await send().expect(200);

    expect(sample.output()).not.toContain('Emulator mode');
    expect(emulator.requests[0].headers['x-authorization-key']).toBe(SECRETS.CASCADE_API_KEY);
  });

  it('takes only its own key, not the development one', async () => {
    await request(sample.url)
      .post('/messages')
      .set('x-api-key', DEVELOPMENT_API_KEY)
      .send(transaction())
      .expect(401);
  });

  const status = (
    code: number,
    body?: unknown,
    headers?: Record<string, string>,
  ): EmulatorFault => ({
    kind: 'status',
    status: code,
    body,
    headers,
  });
  it.each<[string, EmulatorFault, number, Record<string, unknown>]>([
    [
      "the API's 400, keeping its code and field",
      status(400, {
        error: { code: 'INVALID_SENDER', message: 'Unknown sender', field: 'fromName' },
      }),
      400,
      { code: 'INVALID_SENDER', field: 'fromName' },
    ],
    [
      "the API's 401 as the service's fault, not the caller's",
      status(401, { error: { code: 'UNAUTHORIZED', message: 'Invalid key' } }),
      502,
      { error: 'Bad Gateway' },
    ],
    ["the API's 500", status(500), 502, { error: 'Bad Gateway' }],
    ["the API's 503", status(503), 502, { error: 'Bad Gateway' }],
    [
      'a reset connection',
      { kind: 'reset', when: 'before-body' },
      503,
      { error: 'Service Unavailable' },
    ],
    ['a malformed answer', { kind: 'malformed-json' }, 502, { error: 'Bad Gateway' }],
  ])('maps %s', async (_label, fault, code, fields) => {
    emulator.faults.next(fault);

    const response = await send().expect(code);

    expect(response.body).toMatchObject({ statusCode: code, ...fields });
    expect(JSON.stringify(response.body)).not.toContain(SECRETS.CASCADE_API_KEY);
  });

  it('maps no answer in time', async () => {
    // An instance of its own with a short timeout, for the one request that gets no answer.
    const impatient = await startSampleApp({ ...settings(), CASCADE_TIMEOUT_MS: '300' });
    try {
      emulator.faults.next({ kind: 'hang' });

      const response = await send(impatient).expect(503);

      expect(response.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
      expect(JSON.stringify(response.body)).not.toContain(SECRETS.CASCADE_API_KEY);
      for (const secret of Object.values(SECRETS)) expect(impatient.output()).not.toContain(secret);
    } finally {
      await impatient.stop();
    }
  });

  it("keeps the API's Retry-After on a 429", async () => {
    emulator.faults.next(status(429, undefined, { 'retry-after': '7' }));

    const response = await send().expect(429);

    expect(response.headers['retry-after']).toBe('7');
  });

  it.each([
    ['a number of seconds beyond any use', '100000000000000000000000', '3600'],
    ['a fraction', '2.5', '3'],
    ['a date an hour and more ahead', new Date(Date.now() + 7200_000).toUTCString(), '3600'],
  ])('passes on a sane Retry-After for %s', async (_label, header, passed) => {
    emulator.faults.next(status(429, undefined, { 'retry-after': header }));

    const response = await send().expect(429);

    expect(response.headers['retry-after']).toBe(passed);
  });

  it('logged no credential, no secret and no full phone number in all of it', () => {
    const output = sample.output();

    expect(output).toContain('+380*****4567');
    for (const secret of Object.values(SECRETS)) expect(output).not.toContain(secret);
    expect(output).not.toContain(transaction().toPhone);
  });
});

describe('sample app body limit', () => {
  it('limits the size of a request body, as BODY_LIMIT says', async () => {
    const sample = await startSampleApp({ BODY_LIMIT: '2kb' });
    try {
      const response = await request(sample.url)
        .post('/messages')
        .set('x-api-key', DEVELOPMENT_API_KEY)
        .send(manyTransactions(20))
        .expect(413);

      expect(response.body).toMatchObject({ statusCode: 413, message: 'request entity too large' });
    } finally {
      await sample.stop();
    }
  });
});

describe('sample app in queue mode (REDIS_URL set)', () => {
  let redis: RedisServer;
  let sample: SampleProcess;
  const key = { 'x-api-key': DEVELOPMENT_API_KEY };

  beforeAll(async () => {
    redis = await RedisServer.start();
    sample = await startSampleApp({ REDIS_URL: `redis://127.0.0.1:${redis.port}` });
  });
  afterAll(async () => {
    await sample.stop();
    await redis.stop();
  });

  it('sends campaigns through the queue and reports on them from Redis', async () => {
    const messages = [...manyTransactions(40, 'queued'), transaction({ id: 'queued-3' })];

    const started = await request(sample.url)
      .post('/campaigns')
      .set(key)
      .send({ messages })
      .expect(202);
    let campaign = (await request(sample.url).get(`/campaigns/${started.body.id}`).set(key)).body;
    await until(async () => {
      campaign = (await request(sample.url).get(`/campaigns/${started.body.id}`).set(key)).body;
      return campaign.state === 'finished';
    });

    expect(started.body).toEqual({ id: expect.any(String), state: 'queued' });
    expect(campaign.state).toBe('finished');
    expect(campaign.account).toMatchObject({
      enqueued: 40,
      rejected: 1,
      accepted: 40,
      failed: 0,
      pending: 0,
    });
    expect(Object.keys(campaign.account.results)).toHaveLength(40);
  });

  it('GET /health reports the queue: Redis, this worker, the backlog', async () => {
    const response = await request(sample.url).get('/health').expect(200);

    expect(response.body.info.queue).toEqual({
      status: 'up',
      redisReachable: true,
      worker: 'running',
      backlogJobs: expect.any(Number),
      oldestWaitingMs: expect.any(Number),
      activeJobs: expect.any(Number),
      failedJobs: expect.any(Number),
    });
    expect(response.body.info.cascade).toMatchObject({ status: 'up' });
  });

  it('GET /health says the queue is down while Redis is, and up once it is back', async () => {
    await redis.down();
    let down: request.Response;
    try {
      down = await request(sample.url).get('/health').expect(503);
    } finally {
      await redis.up();
    }

    expect(down.body.error.queue).toMatchObject({
      status: 'down',
      redisReachable: false,
      reason: 'Redis unreachable',
    });
    await until(async () => (await request(sample.url).get('/health')).status === 200);
  });

  it('the queue dashboard at /queues needs the app\u2019s API key', async () => {
    await request(sample.url).get('/queues').expect(401);
    await request(sample.url).get('/queues').set('x-api-key', 'not-the-key').expect(401);
    // Its API, under the same route, too.
    await request(sample.url).get('/queues/api/queues').expect(401);

    const page = await request(sample.url).get('/queues').set(key).expect(200);
    const api = await request(sample.url).get('/queues/api/queues').set(key).expect(200);

    expect(page.type).toBe('text/html');
    expect(api.body.queues.map((queue: { name: string }) => queue.name)).toEqual([
      DEFAULT_QUEUE_NAME,
    ]);
  });

  it.each([{ batchSize: 10 }, { ratePerSecond: 5 }, { endpoint: 'telegramViber' }])(
    'refuses what the queue sets for every campaign alike: %j',
    async (option) => {
      const response = await request(sample.url)
        .post('/campaigns')
        .set(key)
        .send({ messages: [transaction({ id: 'queue-option' })], ...option })
        .expect(400);

      expect(response.body.message).toBe(
        `${Object.keys(option)[0]}: not set per campaign in queue mode, where the queue sends ` +
          'every campaign to the standard endpoint at its own batch size and QUEUE_RATE_PER_SECOND',
      );
    },
  );
});
