import { CASCADE_ENDPOINTS } from 'nestjs-smsbat-cascade';
import { CascadeEmulator } from 'nestjs-smsbat-cascade/testing';
import { transaction } from '../support/messages.js';

describe('CascadeEmulator', () => {
  let emulator: CascadeEmulator;
  const post = (body: unknown, headers: Record<string, string> = { 'X-Authorization-Key': 'k' }) =>
    fetch(`${emulator.url}${CASCADE_ENDPOINTS.standard}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    emulator = await CascadeEmulator.start();
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  it('answers 401 with the error body when no credential is sent', async () => {
    const response = await post([transaction()], {});

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: {
        code: 'UNAUTHORIZED',
        message: 'Send at least one of X-Authorization-Key, X-Viber-Auth-Token, X-Tg-Bot-Key',
      },
    });
    expect(emulator.messages.size).toBe(0);
  });

  it.each(['X-Viber-Auth-Token', 'X-Tg-Bot-Key'])('accepts %s alone', async (header) => {
    const response = await post([transaction()], { [header]: 'token' });

    expect(response.status).toBe(200);
  });

  it('checks the credentials it was given', async () => {
    const strict = await CascadeEmulator.start({ credentials: { apiKey: 'right' } });
    const send = (key: string) =>
      fetch(`${strict.url}${CASCADE_ENDPOINTS.telegramViber}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Authorization-Key': key },
        body: JSON.stringify([transaction()]),
      });
    try {
      expect((await send('wrong')).status).toBe(401);
      expect((await send('right')).status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('answers 400 with code, message and field for an invalid message', async () => {
    const response = await post([transaction(), transaction({ id: 'b', toPhone: '0501234567' })]);

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 'INVALID_PHONE',
        message:
          'message 1: toPhone must be in international E.164 form: a national number starting with 0 needs "+" and the country code instead of the 0 (+380501234567, not 0501234567)',
        field: 'toPhone',
      },
    });
    expect(emulator.messages.size).toBe(0);
  });

  it('reads a zone-less scheduledSent as UTC, as the API does', async () => {
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString().slice(0, 19);

    const response = await post([transaction({ scheduledSent: inAnHour })]);

    expect(response.status).toBe(200);
  });

  it('answers 200 with a UUID per message, echoing each id as trackinId', async () => {
    const response = await post([transaction({ id: 'a' }), transaction({ id: 'b' })]);
    const results = (await response.json()) as { messageId: string; trackinId: string }[];

    expect(results.map((r) => r.trackinId)).toEqual(['a', 'b']);
    expect(results[0].messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect([...emulator.messages.keys()]).toEqual(results.map((r) => r.messageId));
  });

  it.each([
    ['a body that is not JSON', '[{"id":', 'INVALID_JSON'],
    ['a body that is no array', { id: 'x' }, 'INVALID_REQUEST'],
    ['an empty array', [], 'INVALID_BATCH'],
  ])('answers 400 to %s', async (_label, body, code) => {
    const response = await post(body);

    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it('answers 404 to an unknown path and 405 to another method', async () => {
    expect((await fetch(`${emulator.url}/api/nothing`)).status).toBe(404);
    expect((await fetch(`${emulator.url}${CASCADE_ENDPOINTS.standard}`)).status).toBe(405);
  });

  it('records every request for assertions', async () => {
    await post([transaction()]);

    expect(emulator.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: CASCADE_ENDPOINTS.standard,
        body: [transaction()],
        status: 200,
      }),
    ]);
  });

  it('starts on a given port and closes cleanly', async () => {
    const first = await CascadeEmulator.start();
    const port = first.port;
    await first.close();

    const again = await CascadeEmulator.start({ port });
    expect(again.url).toBe(`http://127.0.0.1:${port}`);
    await again.close();
    await expect(fetch(again.url)).rejects.toThrow();
  });
});
