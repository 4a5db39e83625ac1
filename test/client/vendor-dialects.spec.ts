import { Test } from '@nestjs/testing';
import {
  type CascadeDialect,
  CascadeModule,
  type CascadeModuleOptions,
  CascadeService,
} from 'nestjs-smsbat-cascade';
import { CascadeEmulator, type CascadeEmulatorOptions } from 'nestjs-smsbat-cascade/testing';
import { transaction } from '../support/messages.js';

const API_KEY = 'dialect-key-0123456789';
// A day ahead: within the 30 days the module allows.
const AT = new Date(Math.ceil(Date.now() / 1000) * 1000 + 86_400_000).toISOString();

/** An emulator (strict in one dialect unless told otherwise), and a module set to speak it. */
async function start(
  dialect: CascadeDialect,
  options: Partial<CascadeModuleOptions> = {},
  emulatorOptions: CascadeEmulatorOptions = { dialect, strict: true },
) {
  const emulator = await CascadeEmulator.start(emulatorOptions);
  const moduleRef = await Test.createTestingModule({
    imports: [
      CascadeModule.forRoot({ apiKey: API_KEY, baseUrl: emulator.url, dialect, ...options }),
    ],
  }).compile();
  await moduleRef.init();
  const close = async () => {
    await moduleRef.close();
    await emulator.close();
  };
  return { emulator, service: moduleRef.get(CascadeService), close };
}

const DIALECTS: CascadeDialect[] = [
  { scheduledSentField: 'scheduledSent', phoneFormat: 'e164' },
  { scheduledSentField: 'sheduledSent', phoneFormat: 'digits' },
  { scheduledSentField: 'scheduledTime', phoneFormat: 'e164' },
  { scheduledSentField: 'scheduledTime', phoneFormat: 'digits' },
];

describe.each(DIALECTS)('the wire in the dialect %j', (dialect) => {
  let cascade: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    cascade = await start(dialect);
  });
  afterAll(() => cascade.close());
  beforeEach(() => cascade.emulator.reset());

  const phone = dialect.phoneFormat === 'e164' ? '+380501234567' : '380501234567';
  const expected = (id: string) => ({
    id,
    fromName: 'YourStore',
    toPhone: phone,
    messageType: 'transaction',
    text: 'Your order #12345 has been confirmed and will arrive tomorrow.',
    ttl: 86400,
    [dialect.scheduledSentField]: AT,
  });

  it('sends what users write (E.164, scheduledSent) in the dialect, through send', async () => {
    const message = transaction({ id: 'd-1', scheduledSent: new Date(AT) });
    await cascade.service.send(message);

    const [request] = cascade.emulator.requests;
    expect(request.path).toBe('/api/CascadeMessage/send_message/async');
    expect(request.body).toEqual([expected('d-1')]);
  });

  it('and through sendBulk', async () => {
    const messages = ['b-1', 'b-2'].map((id) => transaction({ id, scheduledSent: AT }));
    const report = await cascade.service.sendBulk(messages, { endpoint: 'telegramViber' });

    expect(report.counts.accepted).toBe(2);
    const [request] = cascade.emulator.requests;
    expect(request.path).toBe('/api/CascadeMessage/send_message/tg-viber/async');
    expect(request.body).toEqual([expected('b-1'), expected('b-2')]);
  });
});

describe('the endpoints and status authentication, by configuration', () => {
  const dialect: CascadeDialect = { scheduledSentField: 'scheduledSent', phoneFormat: 'e164' };

  it('posts to the send paths without /async', async () => {
    const cascade = await start(dialect, {
      endpoints: {
        standard: '/api/CascadeMessage/send_message/',
        telegramViber: '/api/CascadeMessage/send_message/tg-viber/',
      },
    });
    await cascade.service.send(transaction({ id: 'p-1' }));
    await cascade.service.sendTelegramViber([transaction({ id: 'p-2' })]);

    expect(cascade.emulator.requests.map((r) => r.path)).toEqual([
      '/api/CascadeMessage/send_message/',
      '/api/CascadeMessage/send_message/tg-viber/',
    ]);
    await cascade.close();
  });

  it('looks statuses up on another host, by an absolute URL template, with HTTP Basic', async () => {
    const statusHost = await CascadeEmulator.start({ credentials: { apiKey: API_KEY } });
    const cascade = await start(dialect, {
      endpoints: { status: `${statusHost.url}/bat/message/{messageId}` },
      statusAuth: 'basic',
    });
    const { messageId } = await cascade.service.send(transaction({ id: 's-1' }));
    // The send host does not know the message's status; the status host answers for its own.
    const own = await sendDirectly(statusHost);
    const status = await cascade.service.getStatus(own);

    expect(status).toMatchObject({ messageId: own, known: true });
    const [lookUp] = statusHost.requests.filter((r) => r.method === 'GET');
    expect(lookUp.path).toBe(`/bat/message/${own}`);
    expect(lookUp.headers.authorization).toBe(
      `Basic ${Buffer.from(`@:${API_KEY}`).toString('base64')}`,
    );
    expect(lookUp.headers['x-authorization-key']).toBeUndefined();
    expect(cascade.emulator.requests.filter((r) => r.method === 'GET')).toEqual([]);
    expect(messageId).toBeTruthy();
    await cascade.close();
    await statusHost.close();
  });

  it('merges a message’s extra fields into its wire form, unchecked', async () => {
    // The emulator's default mode takes fields it does not know, as the vendor's API may.
    const cascade = await start(dialect, {}, {});
    await cascade.service.send({
      ...transaction({ id: 'x-1' }),
      extra: { wheterCheckSession: true, buttonText: 'Open' },
    });

    expect(cascade.emulator.requests[0].body).toEqual([
      { ...transaction({ id: 'x-1' }), wheterCheckSession: true, buttonText: 'Open' },
    ]);
    await cascade.close();
  });
});

/** Sends one message straight to an emulator, as another client would, for its messageId. */
async function sendDirectly(emulator: CascadeEmulator): Promise<string> {
  const response = await fetch(`${emulator.url}/api/CascadeMessage/send_message/async`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-authorization-key': API_KEY },
    body: JSON.stringify([transaction({ id: 'direct-1' })]),
  });
  const [{ messageId }] = (await response.json()) as { messageId: string }[];
  return messageId;
}
