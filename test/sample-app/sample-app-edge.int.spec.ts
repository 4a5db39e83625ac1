import request from 'supertest';
import { DEVELOPMENT_API_KEY } from '../../sample-app/src/settings/settings.js';
import { manyTransactions, transaction } from '../support/messages.js';
import { until } from '../support/until.js';
import { type SampleProcess, startSampleApp } from './sample-process.js';

const key = { 'x-api-key': DEVELOPMENT_API_KEY };
const json = { 'Content-Type': 'application/json' };

describe('sample app answers bad input with a 4xx JSON error, and lives on', () => {
  let sample: SampleProcess;
  const post = (path: string) => request(sample.url).post(path).set(key);

  beforeAll(async () => {
    sample = await startSampleApp({ THROTTLE_LIMIT: '1000' });
  });
  afterAll(() => sample.stop());

  // About 600 KB: within the body limit, far beyond any stack's depth.
  const deep = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

  it.each(['/messages', '/messages/tg-viber', '/campaigns'])(
    'refuses JSON nested 100 000 levels deep, posted to %s, with a 400 that says why',
    async (path) => {
      const response = await post(path).set(json).send(deep(100_000)).expect(400);

      expect(response.type).toBe('application/json');
      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'The request body nests deeper than 32 levels of objects and arrays',
      });
      await request(sample.url).get('/health').expect(200);
      expect(sample.output()).not.toContain('RangeError');
    },
  );

  it('takes a body nested as deep as the limit, and judges it as usual', async () => {
    const nested = { messages: [transaction()], extra: JSON.parse(deep(31)) };

    const response = await post('/campaigns').send(nested).expect(400);

    expect(response.body.message).toEqual(['property extra should not exist']);
  });

  it('answers a body that is not JSON without quoting any of it', async () => {
    const response = await post('/messages')
      .set(json)
      .send('{"toPhone": +380501234567, "id": oops')
      .expect(400);

    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'The request body is not valid JSON',
    });
  });

  it('takes JSON in UTF-8 only', async () => {
    const response = await post('/messages')
      .set('Content-Type', 'application/json; charset=utf-16')
      .send('{}')
      .expect(415);

    expect(response.body.message).toBe('The request body must be JSON in UTF-8');
  });

  it('never repeats a huge id or property name: a 1 MB request gets a short answer', async () => {
    const huge = 'a'.repeat(900_000);

    const message = await post('/messages')
      .send(transaction({ id: huge }))
      .expect(400);
    const campaign = await post('/campaigns')
      .send({ messages: [transaction()], [huge]: 1 })
      .expect(400);

    expect(message.body.violations).toEqual([
      { index: 0, field: 'id', code: 'INVALID_ID', message: 'id must be at most 254 characters' },
    ]);
    expect(campaign.body.message).toEqual([
      'property with a long or unusual name should not exist',
    ]);
    for (const response of [message, campaign]) {
      expect(response.type).toBe('application/json');
      expect(response.text.length).toBeLessThan(1000);
    }
  });

  it('answers a malformed, unknown or impossible path without repeating it', async () => {
    const long = 'c'.repeat(5000);

    const answers = [
      await request(sample.url).get(`/messages/%FF${long}/status`).set(key).expect(400),
      await request(sample.url).get(`/campaigns/%FF${long}`).set(key).expect(400),
      await request(sample.url).get(`/no-such-route/${long}`).expect(404),
      await request(sample.url).get(`/messages/${long}/status`).set(key).expect(400),
      await request(sample.url).get(`/campaigns/${long}`).set(key).expect(400),
    ];

    for (const response of answers) {
      expect(response.type).toBe('application/json');
      expect(response.text).not.toContain('ccccc');
    }
    expect(answers[0].body.message).toBe('The path holds malformed percent-encoding');
    expect(answers[2].body.message).toBe('No route matches this method and path');
  });
});

describe('sample app throttle', () => {
  const WEBHOOK_SECRET = 'webhook-secret-throttle-test';
  let sample: SampleProcess;

  beforeAll(async () => {
    sample = await startSampleApp({ THROTTLE_LIMIT: '3', CASCADE_WEBHOOK_SECRET: WEBHOOK_SECRET });
  });
  afterAll(() => sample.stop());

  it('throttles each client by address on the open routes', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await request(sample.url).get('/health')).status);

    expect(codes).toEqual([200, 200, 200, 429, 429]);
  });

  it('lets every status webhook through: SMSBAT sends one per change of every message', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await request(sample.url)
        .post('/cascade/status')
        .set('x-cascade-webhook-secret', WEBHOOK_SECRET)
        .send({ messageId: `m-${i}`, deliverystatus: 'processing', timestamp: Date.now() });
      codes.push(response.status);
    }

    expect(codes).toEqual([204, 204, 204, 204, 204, 204]);
  });

  it('keeps a bucket of its own for the client with the key, whatever others send', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await request(sample.url)
        .post('/messages')
        .set('x-api-key', 'a-guess')
        .send(transaction());
      codes.push(response.status);
    }

    await request(sample.url).post('/messages').set(key).send(transaction()).expect(200);
    expect(codes).toEqual([401, 401, 401, 429, 429]);
  });
});

describe('sample app campaigns, bounded', () => {
  let sample: SampleProcess;
  const post = (body: string | object) =>
    request(sample.url).post('/campaigns').set(key).send(body);
  const get = (id: string) => request(sample.url).get(`/campaigns/${id}`).set(key);
  const finished = async (id: string) => {
    await until(async () => (await get(id)).body.state !== 'running');
  };

  beforeAll(async () => {
    sample = await startSampleApp({
      THROTTLE_LIMIT: '1000',
      MAX_RUNNING_CAMPAIGNS: '2',
      KEPT_FINISHED_CAMPAIGNS: '1',
    });
  });
  afterAll(() => sample.stop());

  it.each<[string, object]>([
    [
      '1e-9 a second, beyond what a timer can wait',
      { messages: [transaction()], ratePerSecond: 1e-9 },
    ],
    [
      '0.0001 a second for 31 messages, which would take 86 hours',
      { messages: manyTransactions(31), ratePerSecond: 0.0001 },
    ],
  ])('refuses a rate at which the campaign would not end within a day: %s', async (_l, body) => {
    const response = await post(body).expect(400);

    expect(response.body.message).toMatch(
      /^ratePerSecond is too low: a campaign may take at most 24 hours/,
    );
  });

  it('refuses a rate that is no finite number', async () => {
    const response = await post('{"messages":[{}],"ratePerSecond":1e999}').set(json).expect(400);

    expect(response.body.message).toEqual([
      'ratePerSecond must be a number conforming to the specified constraints',
    ]);
  });

  it('keeps only the last KEPT_FINISHED_CAMPAIGNS finished campaigns', async () => {
    const first = (await post({ messages: [transaction({ id: 'kept-1' })] }).expect(202)).body;
    await finished(first.id);
    const second = (await post({ messages: [transaction({ id: 'kept-2' })] }).expect(202)).body;
    await finished(second.id);

    await get(first.id).expect(404);
    expect((await get(second.id).expect(200)).body.state).toBe('finished');
  });

  it('runs at most MAX_RUNNING_CAMPAIGNS at once, and says so to the next', async () => {
    // Two messages a batch apart at 0.001 a second: the second waits 1000 s, so both run on.
    const slow = (name: string) => ({
      messages: [transaction({ id: `${name}-1` }), transaction({ id: `${name}-2` })],
      batchSize: 1,
      ratePerSecond: 0.001,
    });
    const running = [
      (await post(slow('a')).expect(202)).body,
      (await post(slow('b')).expect(202)).body,
    ];

    const refused = await post(slow('c')).expect(503);

    expect(refused.body.message).toBe(
      '2 campaigns are running, the most this service runs at once; start this one when one of them has finished',
    );
    for (const { id } of running) expect((await get(id)).body.state).toBe('running');
  });
});
