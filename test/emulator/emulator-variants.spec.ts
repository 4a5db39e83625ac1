import { type CascadeDialect, CascadeEmulator } from 'nestjs-smsbat-cascade/testing';
import { flashcall, survey, transaction } from '../support/messages.js';
import { type ErrorBody, lookUp, send, sendOk } from './http.js';

const HOUR = 3_600_000;
/** A time as Python's `datetime.isoformat()` writes a naive one: no zone, microseconds. */
const naive = (epochMs: number) => `${new Date(epochMs).toISOString().slice(0, 23)}456`;
const basic = (credentials: string) => ({
  Authorization: `Basic ${Buffer.from(credentials).toString('base64')}`,
});

describe('CascadeEmulator, by default: what the vendor’s own examples and clients send', () => {
  let emulator: CascadeEmulator;

  beforeAll(async () => {
    emulator = await CascadeEmulator.start();
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  it.each([
    [
      'a flash call with "text": null (the seed’s Python client)',
      flashcall({ text: null } as never),
    ],
    ['a flash call with text', flashcall({ text: 'Your code' } as never)],
    ['the seed’s literal time, long past', transaction({ scheduledSent: '2025-01-25T10:00:00Z' })],
    [
      'a zone-less local time, written west of UTC (Python’s datetime.now() in New York)',
      transaction({ scheduledSent: naive(Date.now() + 2 * HOUR - 5 * HOUR) }),
    ],
    ['a field the rules do not know', { ...transaction(), priority: 'high' }],
    ['a phone in digits only (the developer portal)', transaction({ toPhone: '380501234567' })],
  ])('accepts %s', async (_label, message) => {
    const [messageId] = await sendOk(emulator.url, [message]);

    expect(emulator.messages.get(messageId)?.message).toEqual(message);
  });

  it('sends a message scheduled in the past at once', async () => {
    const [messageId] = await sendOk(emulator.url, [
      transaction({ scheduledSent: '2025-01-25T10:00:00Z' }),
    ]);

    const { acceptedAt, course } = emulator.messages.get(messageId)!;
    expect(course.dueAt).toBe(acceptedAt);
  });

  it.each<[CascadeDialect['scheduledSentField']]>([
    ['scheduledSent'],
    ['sheduledSent'],
    ['scheduledTime'],
  ])('schedules by %s', async (field) => {
    const at = new Date(Date.now() + HOUR).toISOString();
    const [messageId] = await sendOk(emulator.url, [{ ...transaction(), [field]: at }]);

    expect(emulator.messages.get(messageId)?.course.dueAt).toBe(Date.parse(at));
    expect(emulator.statusOf(messageId)).toBe('scheduled');
  });

  it.each([
    ['/api/CascadeMessage/send_message/async', 'standard'],
    ['/api/CascadeMessage/send_message/', 'standard'],
    ['/api/CascadeMessage/send_message/tg-viber/async', 'telegramViber'],
    ['/api/CascadeMessage/send_message/tg-viber/', 'telegramViber'],
  ])('takes sends at %s', async (path, endpoint) => {
    const response = await send(emulator.url, [transaction()], { path });
    const [{ messageId }] = (await response.json()) as { messageId: string }[];

    expect(response.status).toBe(200);
    expect(emulator.messages.get(messageId)?.endpoint).toBe(endpoint);
  });

  it.each([
    ['Application/JSON; charset=utf-8', 200],
    ['application/json;charset=UTF-8', 200],
    [' application/json ', 200],
    ['application/jsonp', 415],
    ['application/json-patch+json', 415],
    ['text/plain', 415],
  ])('reads Content-Type %j by its media type: %i', async (contentType, status) => {
    const response = await send(emulator.url, [transaction()], {
      headers: { 'Content-Type': contentType },
    });

    expect(response.status).toBe(status);
  });

  it('counts a survey’s 85 characters in code points: an emoji is one', async () => {
    const accepted = await send(emulator.url, [survey({ text: '😀'.repeat(85) })]);
    const refused = await send(emulator.url, [survey({ text: '😀'.repeat(86) })]);

    expect(accepted.status).toBe(200);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as ErrorBody).error).toMatchObject({
      code: 'INVALID_TEXT',
      field: 'text',
    });
  });
});

describe('CascadeEmulator, strict: only what its dialect sends', () => {
  const started: CascadeEmulator[] = [];
  const strict = async (dialect?: Partial<CascadeDialect>) => {
    const emulator = await CascadeEmulator.start({ strict: true, dialect });
    started.push(emulator);
    return emulator;
  };
  afterAll(() => Promise.all(started.map((emulator) => emulator.close())));

  const refusal = async (url: string, message: unknown) => {
    const response = await send(url, [message]);
    expect(response.status).toBe(400);
    return ((await response.json()) as ErrorBody).error;
  };

  it.each([
    ['a field the rules do not know', { ...transaction(), priority: 'high' }, 'priority'],
    ['a flash call with text', flashcall({ text: null } as never), 'text'],
    [
      'another dialect’s field',
      { ...transaction(), sheduledSent: new Date().toISOString() },
      'sheduledSent',
    ],
  ])('refuses %s as unknown', async (_label, message, field) => {
    const emulator = await strict();

    expect(await refusal(emulator.url, message)).toMatchObject({ code: 'UNKNOWN_FIELD', field });
  });

  it('refuses a time in the past and a phone without "+"', async () => {
    const emulator = await strict();

    expect(
      await refusal(emulator.url, transaction({ scheduledSent: '2025-01-25T10:00:00Z' })),
    ).toEqual({
      code: 'INVALID_SCHEDULE',
      message: 'message 0: scheduledSent must not be in the past',
      field: 'scheduledSent',
    });
    expect(await refusal(emulator.url, transaction({ toPhone: '380501234567' }))).toMatchObject({
      code: 'INVALID_PHONE',
      field: 'toPhone',
    });
  });

  it('speaks the developer portal’s dialect: sheduledSent and digits', async () => {
    const emulator = await strict({ scheduledSentField: 'sheduledSent', phoneFormat: 'digits' });
    const at = new Date(Date.now() + HOUR).toISOString();

    const [messageId] = await sendOk(emulator.url, [
      { ...transaction({ toPhone: '380501234567' }), sheduledSent: at },
    ]);

    expect(emulator.messages.get(messageId)?.course.dueAt).toBe(Date.parse(at));
    expect(await refusal(emulator.url, { ...transaction(), sheduledSent: at })).toEqual({
      code: 'INVALID_PHONE',
      message:
        'message 0: toPhone must be the country code and the number in digits, without "+" (380501234567, not +380501234567)',
      field: 'toPhone',
    });
    expect(
      await refusal(emulator.url, transaction({ toPhone: '380501234567', scheduledSent: at })),
    ).toMatchObject({ code: 'UNKNOWN_FIELD', field: 'scheduledSent' });
    expect(
      await refusal(emulator.url, {
        ...transaction({ toPhone: '380501234567' }),
        sheduledSent: '2025-01-25T10:00:00Z',
      }),
    ).toEqual({
      code: 'INVALID_SCHEDULE',
      message: 'message 0: sheduledSent must not be in the past',
      field: 'sheduledSent',
    });
  });

  it('speaks the help index’s dialect: scheduledTime', async () => {
    const emulator = await strict({ scheduledSentField: 'scheduledTime' });
    const at = new Date(Date.now() + HOUR).toISOString();

    const [messageId] = await sendOk(emulator.url, [{ ...transaction(), scheduledTime: at }]);

    expect(emulator.messages.get(messageId)?.course.dueAt).toBe(Date.parse(at));
    expect(await refusal(emulator.url, transaction({ scheduledSent: at }))).toMatchObject({
      code: 'UNKNOWN_FIELD',
      field: 'scheduledSent',
    });
  });
});

describe('CascadeEmulator, the status look-up’s credentials', () => {
  let emulator: CascadeEmulator;
  let messageId: string;

  beforeAll(async () => {
    emulator = await CascadeEmulator.start({ credentials: { apiKey: ['first', 'second'] } });
    [messageId] = await sendOk(emulator.url, [transaction()], { 'X-Authorization-Key': 'first' });
  });
  afterAll(() => emulator.close());

  it.each([
    ['the key header', 200, { 'X-Authorization-Key': 'second' }],
    ['HTTP Basic as @ with the key', 200, basic('@:second')],
    ['HTTP Basic as a user with the key', 200, basic('shop:first')],
    ['HTTP Basic with a wrong key', 401, basic('@:third')],
    ['HTTP Basic with no password', 401, basic('@:')],
    ['no credential', 401, {}],
  ])('answers a look-up with %s: %i', async (_label, status, headers) => {
    expect((await lookUp(emulator.url, messageId, headers)).status).toBe(status);
  });

  it('says how to authenticate', async () => {
    const response = await lookUp(emulator.url, messageId, {});

    expect(await response.json()).toEqual({
      error: {
        code: 'UNAUTHORIZED',
        message:
          'Send one of X-Authorization-Key, X-Viber-Auth-Token, X-Tg-Bot-Key, or HTTP Basic with the API key',
      },
    });
  });

  it('takes HTTP Basic on the status route only, as the vendor documents it', async () => {
    const response = await send(emulator.url, [transaction()], {
      headers: { 'X-Authorization-Key': '', ...basic('@:first') },
    });

    expect(response.status).toBe(401);
  });
});
