import {
  CASCADE_ENDPOINTS,
  CascadeApiError,
  CascadeAuthenticationError,
  CascadeBadRequestError,
  CascadeNetworkError,
  CascadeRateLimitError,
  CascadeServerError,
  CascadeUnexpectedResponseError,
  CascadeValidationError,
  type CascadeMessage,
} from 'nestjs-smsbat-cascade';
import { firstValueFrom } from 'rxjs';
import { API_KEY, startCascade } from './support/cascade-app.js';
import { flashcall, manyTransactions, promo, survey, transaction } from './support/messages.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('CascadeService over HTTP against the emulator', () => {
  let cascade: Awaited<ReturnType<typeof startCascade>>;

  beforeAll(async () => {
    // Each error is seen as the first attempt gets it; retries have their own tests.
    cascade = await startCascade({ retry: false });
  });
  afterAll(() => cascade.close());
  beforeEach(() => cascade.emulator.reset());

  it('sends one message and answers with one result', async () => {
    const result = await cascade.service.send(transaction());

    expect(result.messageId).toMatch(UUID);
    expect(result).toEqual({
      messageId: result.messageId,
      trackinId: 'order-12345',
      trackingId: 'order-12345',
    });
    const [request] = cascade.emulator.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(CASCADE_ENDPOINTS.standard);
    expect(request.body).toEqual([transaction()]);
    expect(request.headers['x-authorization-key']).toBe(API_KEY);
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    expect(cascade.emulator.messages.get(result.messageId)?.message).toEqual(transaction());
  });

  it('sends every type in one call and answers in input order', async () => {
    const messages: CascadeMessage[] = [survey(), transaction(), flashcall(), promo()];

    const results = await cascade.service.send(messages);

    expect(results.map((r) => r.trackingId)).toEqual(messages.map((m) => m.id));
    expect(new Set(results.map((r) => r.messageId)).size).toBe(4);
    expect(cascade.emulator.requests).toHaveLength(1);
  });

  it('sends 1000 messages in one request', async () => {
    const results = await cascade.service.send(manyTransactions(1000));

    expect(results).toHaveLength(1000);
    expect(results[999].trackingId).toBe('bulk-999');
    expect(cascade.emulator.requests).toHaveLength(1);
  });

  it('posts sendTelegramViber to the Telegram/Viber priority endpoint', async () => {
    const [result] = await cascade.service.sendTelegramViber([promo()]);

    expect(result.trackingId).toBe('promo-summer-sale');
    expect(cascade.emulator.requests[0].path).toBe(CASCADE_ENDPOINTS.telegramViber);
    expect(cascade.emulator.messages.get(result.messageId)?.endpoint).toBe('telegramViber');
  });

  it('sends a Date as a UTC ISO 8601 string', async () => {
    const at = new Date(Date.now() + 3_600_000);

    await cascade.service.send(transaction({ scheduledSent: at }));

    const [sent] = cascade.emulator.requests[0].body as Record<string, unknown>[];
    expect(sent.scheduledSent).toBe(at.toISOString());
  });

  it('offers an Observable that sends only when subscribed', async () => {
    const results$ = cascade.service.send$([transaction()], 'telegramViber');
    expect(cascade.emulator.requests).toHaveLength(0);

    const results = await firstValueFrom(results$);

    expect(results).toHaveLength(1);
    expect(cascade.emulator.requests[0].path).toBe(CASCADE_ENDPOINTS.telegramViber);
  });

  describe('validation before sending', () => {
    it('sends nothing and lists every violation with index, id and field', async () => {
      const messages = [
        transaction({ id: 'ok-1' }),
        transaction({ id: 'bad-phone', toPhone: '380501234567' }),
        survey({ id: 'bad-survey', surveyOptions: ['Yes'] }),
        transaction({ id: 'ok-1' }),
      ];

      const error = await cascade.service.send(messages).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(CascadeValidationError);
      const { violations, attempts } = error as CascadeValidationError;
      expect(violations).toEqual([
        expect.objectContaining({
          index: 1,
          id: 'bad-phone',
          field: 'toPhone',
          code: 'INVALID_PHONE',
        }),
        expect.objectContaining({
          index: 2,
          id: 'bad-survey',
          field: 'surveyOptions',
          code: 'INVALID_SURVEY_OPTIONS',
        }),
        expect.objectContaining({ index: 3, id: 'ok-1', field: 'id', code: 'DUPLICATE_ID' }),
      ]);
      expect((error as Error).message).toContain('message 1 (id bad-phone): toPhone must start');
      expect(attempts).toBe(0);
      expect(cascade.emulator.requests).toHaveLength(0);
    });

    it.each([
      ['no message', []],
      ['1001 messages', manyTransactions(1001)],
    ])('refuses %s', async (_label, messages) => {
      const error = await cascade.service.send(messages).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(CascadeValidationError);
      expect((error as CascadeValidationError).violations[0].code).toBe('INVALID_BATCH');
      expect(cascade.emulator.requests).toHaveLength(0);
    });

    it('rejects an unknown field rather than dropping it', async () => {
      const message = { ...transaction(), priority: 'high' } as CascadeMessage;

      const error = (await cascade.service
        .send(message)
        .catch((e: unknown) => e)) as CascadeValidationError;

      expect(error.violations).toEqual([
        expect.objectContaining({ index: 0, field: 'priority', code: 'UNKNOWN_FIELD' }),
      ]);
      expect(cascade.emulator.requests).toHaveLength(0);
    });
  });

  describe('API errors', () => {
    it('reads a 400 with the Cascade error body', async () => {
      cascade.emulator.faults.next({
        kind: 'status',
        status: 400,
        body: {
          error: {
            code: 'INVALID_PHONE',
            message: 'Invalid phone number format',
            field: 'toPhone',
          },
        },
      });

      const error = (await cascade.service
        .send(transaction())
        .catch((e: unknown) => e)) as CascadeApiError;

      expect(error).toBeInstanceOf(CascadeBadRequestError);
      expect(error).toMatchObject({
        status: 400,
        code: 'INVALID_PHONE',
        field: 'toPhone',
        apiMessage: 'Invalid phone number format',
      });
      expect(error.message).toBe(
        'Cascade API answered 400 (INVALID_PHONE, field toPhone): Invalid phone number format',
      );
    });

    it("reads the vendor's other error body shape", async () => {
      cascade.emulator.faults.next({
        kind: 'status',
        status: 400,
        body: {
          status: 400,
          error: 'Bad Request',
          message: 'Invalid phone +380501234567',
          code: 1001,
        },
      });

      const error = (await cascade.service
        .send(transaction())
        .catch((e: unknown) => e)) as CascadeApiError;

      expect(error).toBeInstanceOf(CascadeBadRequestError);
      expect(error.code).toBe('1001');
      // A phone number the API echoes is masked before it reaches an error message.
      expect(error.apiMessage).toBe('Invalid phone +380*****4567');
    });

    it('survives an error body that is not JSON', async () => {
      cascade.emulator.faults.next({
        kind: 'status',
        status: 502,
        body: '<html><body>Bad Gateway</body></html>',
        headers: { 'content-type': 'text/html' },
      });

      const error = (await cascade.service
        .send(transaction())
        .catch((e: unknown) => e)) as CascadeApiError;

      expect(error).toBeInstanceOf(CascadeServerError);
      expect(error.status).toBe(502);
      expect(error.code).toBeUndefined();
      expect(error.message).toBe('Cascade API answered 502');
    });

    it('reads 429 with Retry-After in seconds', async () => {
      cascade.emulator.faults.next({
        kind: 'status',
        status: 429,
        body: { error: { code: 'RATE_LIMITED', message: 'Too many requests' } },
        headers: { 'retry-after': '7' },
      });

      const error = await cascade.service.send(transaction()).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(CascadeRateLimitError);
      expect((error as CascadeRateLimitError).retryAfter).toBe(7);
    });

    it('maps 401 to CascadeAuthenticationError', async () => {
      const wrongKey = await startCascade(
        { retry: false },
        { credentials: { apiKey: 'another-key' } },
      );
      try {
        const error = await wrongKey.service.send(transaction()).catch((e: unknown) => e);

        expect(error).toBeInstanceOf(CascadeAuthenticationError);
        expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
        expect(wrongKey.emulator.messages.size).toBe(0);
      } finally {
        await wrongKey.close();
      }
    });

    it.each([
      ['wrong-count', 'with 0 results for 1 messages'],
      ['malformed-json', 'with no array of results'],
    ] as const)('refuses a 200 answer with %s', async (kind, text) => {
      cascade.emulator.faults.next({ kind });

      const error = await cascade.service.send([transaction()]).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(CascadeUnexpectedResponseError);
      expect((error as Error).message).toContain(text);
    });

    it('lines up results the API answers out of order', async () => {
      cascade.emulator.faults.next({ kind: 'reversed' });
      const messages = [transaction({ id: 'a' }), promo({ id: 'b' }), flashcall({ id: 'c' })];

      const results = await cascade.service.send(messages);

      expect(results.map((r) => r.trackingId)).toEqual(['a', 'b', 'c']);
      for (const { messageId, trackingId } of results) {
        expect(cascade.emulator.messages.get(messageId)?.message.id).toBe(trackingId);
      }
    });

    it('maps a refused connection to CascadeNetworkError', async () => {
      const gone = await startCascade({ retry: false });
      await gone.emulator.close();
      try {
        const error = await gone.service.send(transaction()).catch((e: unknown) => e);

        expect(error).toBeInstanceOf(CascadeNetworkError);
        expect((error as CascadeNetworkError).code).toBe('ECONNREFUSED');
      } finally {
        await gone.moduleRef.close();
      }
    });

    it('times out a request that gets no answer', async () => {
      const slow = await startCascade({ timeoutMs: 200, retry: false });
      slow.emulator.faults.next({ kind: 'hang' });
      try {
        const error = await slow.service.send(transaction()).catch((e: unknown) => e);

        expect(error).toBeInstanceOf(CascadeNetworkError);
        expect(error).toMatchObject({ code: 'ETIMEDOUT' });
      } finally {
        await slow.close();
      }
    });
  });
});
