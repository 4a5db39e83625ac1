import { request } from 'node:http';
import { CascadeEmulator } from 'nestjs-smsbat-cascade/testing';
import { flashcall, transaction } from '../support/messages.js';
import { type ErrorBody, lookUp, send } from './http.js';

describe('CascadeEmulator on bad input: a 4xx with an error body, and the process lives on', () => {
  let emulator: CascadeEmulator;
  const lines: string[] = [];

  beforeAll(async () => {
    emulator = await CascadeEmulator.start({
      maxBodyBytes: 4096,
      strict: true,
      log: (line) => lines.push(line),
    });
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    emulator.reset();
    lines.length = 0;
  });

  it('answers a messageId with malformed percent-encoding with 400', async () => {
    const response = await lookUp(emulator.url, '%E0%A4%A');

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 'INVALID_MESSAGE_ID',
        message: 'The messageId is not valid percent-encoding',
      },
    });
    expect((await send(emulator.url, [transaction()])).status).toBe(200);
  });

  it('refuses JSON nested deeper than 32 levels with 400', async () => {
    const deep = `[{"id":"a","x":${'['.repeat(1000)}${']'.repeat(1000)}}]`;
    const response = await send(emulator.url, deep);

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'INVALID_JSON', message: 'The body nests deeper than 32 levels' },
    });
  });

  it('answers a body over the limit with 413 and an error body, not a reset', async () => {
    const response = await send(emulator.url, 'x'.repeat(1_000_000));

    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: { code: 'PAYLOAD_TOO_LARGE', message: 'Send at most 4096 bytes' },
    });
    expect((await send(emulator.url, [transaction()])).status).toBe(200);
  });

  it('answers 413 before the end of a body that declares its length too large', async () => {
    // The declared length is never sent in full: only an early answer can end this exchange.
    const answer = await new Promise<{ status?: number; body: string }>((done, fail) => {
      const outgoing = request(
        `${emulator.url}/api/CascadeMessage/send_message/async`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-authorization-key': 'k',
            'content-length': '1000000',
          },
        },
        (response) => {
          let body = '';
          response.on('data', (chunk) => (body += chunk));
          response.on('end', () => {
            done({ status: response.statusCode, body });
            outgoing.destroy();
          });
        },
      );
      outgoing.on('error', fail);
      outgoing.write('[');
    });

    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('puts field in an error only when there is one', async () => {
    const response = await send(emulator.url, [42]);

    expect(await response.json()).toEqual({
      error: { code: 'INVALID_MESSAGE', message: 'message 0: a message must be a JSON object' },
    });
  });

  it('quotes a path from the request only as a short masked excerpt', async () => {
    const response = await fetch(`${emulator.url}/api/+380501234567/${'x'.repeat(500)}`);
    const { error } = (await response.json()) as ErrorBody;

    expect(response.status).toBe(404);
    expect(error.message).toMatch(
      /^No route for \/api\/\+380\*{5}4567\/x+… \(\d+ more characters\)$/,
    );
    expect(error.message.length).toBeLessThan(120);
  });

  it('quotes a messageId only masked, with control characters escaped', async () => {
    const response = await lookUp(emulator.url, '%0Aforged%20line%1B%5B31m%20%2B380501234567');
    const { error } = (await response.json()) as ErrorBody;

    expect(response.status).toBe(404);
    expect(error.message).toBe(
      'No message with messageId \\u000aforged line\\u001b[31m +380*****4567',
    );
  });

  it('quotes a made-up field name masked and escaped, in the message and as field', async () => {
    const key = `\u001b[2J +380501234567 ${'y'.repeat(300)}`;

    const response = await send(emulator.url, [{ ...transaction(), [key]: 1 }]);
    const { error } = (await response.json()) as ErrorBody;

    expect(error.code).toBe('UNKNOWN_FIELD');
    expect(error.field).toMatch(/^\\u001b\[2J \+380\*{5}4567 y+… \(\d+ more characters\)$/);
    expect(error.message).toBe(`message 0: ${error.field} is not a field of a transaction message`);
  });

  it('logs one masked line per request', async () => {
    await lookUp(emulator.url, '+380501234567');
    await send(emulator.url, [flashcall()]);

    expect(lines).toEqual([
      'GET /bat/message/+380*****4567 404 MESSAGE_NOT_FOUND',
      'POST /api/CascadeMessage/send_message/async 200 1 accepted',
    ]);
  });

  it('answers 500 when its answer cannot be written, and keeps serving', async () => {
    emulator.faults.next({ kind: 'status', status: 503, headers: { 'retry-after': '1\n2' } });

    const response = await send(emulator.url, [transaction()]);

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: { code: 'INTERNAL_ERROR', message: 'The emulator failed on this request' },
    });
    expect((await send(emulator.url, [transaction()])).status).toBe(200);
  });
});
