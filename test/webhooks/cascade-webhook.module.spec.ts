import { type INestApplication, Injectable, Module, ValidationPipe } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import {
  CascadeConfigError,
  CascadeModule,
  CascadeService,
  type CascadeStatusUpdate,
  CascadeStatusUpdates,
  CascadeWebhookModule,
  type CascadeWebhookOptionsFactory,
} from 'nestjs-smsbat-cascade';
import { CascadeEmulator } from 'nestjs-smsbat-cascade/testing';
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import request from 'supertest';
import { secretsMatch } from '../../lib/webhooks/cascade-webhook.guard.js';
import { LogCapture } from '../support/log-capture.js';
import { transaction } from '../support/messages.js';
import { PLATFORMS, type Platform, startNestApp } from '../support/nest-platforms.js';

const SECRET = 'whsec-0123456789abcdef';
const payload = {
  messageId: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  deliverystatus: 'delivered',
  timestamp: '2030-01-25T10:00:00Z',
  cost: 0.05,
};

async function startApp(
  imports: NonNullable<Parameters<typeof startNestApp>[1]['imports']>,
  {
    platform = 'express',
    ...options
  }: { platform?: Platform } & Parameters<typeof startNestApp>[2] = {},
) {
  const { app, url } = await startNestApp(platform, { imports }, options);
  const updates: CascadeStatusUpdate[] = [];
  app.get(CascadeStatusUpdates).updates$.subscribe((update) => updates.push(update));
  return { app, updates, url };
}

const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('CascadeWebhookModule, secret in a header', () => {
  let app: INestApplication;
  let updates: CascadeStatusUpdate[];
  let url: string;
  const post = () => request(url).post('/cascade/status');

  beforeAll(async () => {
    ({ app, updates, url } = await startApp([CascadeWebhookModule.forRoot({ secret: SECRET })]));
  });
  afterAll(() => app.close());
  beforeEach(() => (updates.length = 0));

  it('hands a valid update to the app and answers 204', async () => {
    await post().set('x-cascade-webhook-secret', SECRET).send(payload).expect(204);

    expect(updates).toEqual([
      { ...payload, known: true, final: true, receivedAt: expect.any(Date) },
    ]);
  });

  it('keeps and flags a status it does not know', async () => {
    await post()
      .set('x-cascade-webhook-secret', SECRET)
      .send({ ...payload, deliverystatus: 'expired' })
      .expect(204);

    expect(updates[0]).toMatchObject({ deliverystatus: 'expired', known: false, final: false });
  });

  it.each([
    ['no secret', undefined],
    ['a wrong secret', 'whsec-guessed-guessed'],
    ['a prefix of the secret', SECRET.slice(0, -1)],
  ])('refuses a spoofed update with %s, before reading its body', async (_label, secret) => {
    const call = post();
    if (secret) call.set('x-cascade-webhook-secret', secret);

    const response = await call
      .type('json')
      .send(`{"junk":${nested(10_000)}}`)
      .expect(401);

    expect(JSON.stringify(response.body)).not.toContain(SECRET);
    expect(updates).toEqual([]);
  });

  it('refuses a malformed payload with a clear answer', async () => {
    const response = await post()
      .set('x-cascade-webhook-secret', SECRET)
      .send({ messageId: '', deliverystatus: 7, timestamp: 'yesterday' })
      .expect(400);

    expect(response.body.message).toEqual(
      expect.arrayContaining([
        'messageId should not be empty',
        'deliverystatus must be a string',
        'timestamp must be an ISO 8601 date-time or a number',
      ]),
    );
    expect(updates).toEqual([]);
  });

  it("receives the emulator's webhooks for a message sent through CascadeService", async () => {
    const emulator = await CascadeEmulator.start({
      lifecycle: { processingMs: 30 },
      webhook: { url: `${url}/cascade/status`, headers: { 'x-cascade-webhook-secret': SECRET } },
    });
    const sender = await Test.createTestingModule({
      imports: [CascadeModule.forRoot({ apiKey: 'k', baseUrl: emulator.url })],
    }).compile();
    try {
      const updates$ = app.get(CascadeStatusUpdates).updates$;
      const { messageId } = await sender.get(CascadeService).send(transaction());
      const mine = await firstValueFrom(
        updates$.pipe(
          filter((u) => u.messageId === messageId),
          take(2),
          toArray(),
        ),
      );

      expect(mine.map((u) => u.deliverystatus)).toEqual(['processing', 'delivered']);
      // The emulator notes the receiver's answer once it has read it.
      while (emulator.webhookDeliveries.length < 2) await new Promise((r) => setTimeout(r, 5));
      expect(emulator.webhookDeliveries.map((d) => d.status)).toEqual([204, 204]);
    } finally {
      await sender.close();
      await emulator.close();
    }
  });
});

describe('CascadeWebhookModule, secret in the path, from configuration', () => {
  let app: INestApplication;
  let updates: CascadeStatusUpdate[];
  let url: string;

  beforeAll(async () => {
    ({ app, updates, url } = await startApp([
      CascadeWebhookModule.forRootAsync({
        path: 'hooks/smsbat',
        secretIn: 'path',
        imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ HOOK: SECRET })] })],
        inject: [ConfigService],
        useFactory: (config: ConfigService) => ({ secret: config.getOrThrow('HOOK') }),
      }),
    ]));
  });
  afterAll(() => app.close());

  it('takes the update at its secret path', async () => {
    await request(url).post(`/hooks/smsbat/${SECRET}`).send(payload).expect(204);

    expect(updates).toHaveLength(1);
  });

  it('refuses another path segment', async () => {
    await request(url).post('/hooks/smsbat/not-the-secret').send(payload).expect(401);
    await request(url).post('/hooks/smsbat').send(payload).expect(404);
  });

  it('does not echo the secret, or what was sent, in a 400', async () => {
    const response = await request(url)
      .post(`/hooks/smsbat/${SECRET}`)
      .send({ ...payload, deliverystatus: SECRET.repeat(4) })
      .expect(400);

    expect(response.text).not.toContain(SECRET);
  });
});

@Injectable()
class WebhookSettings implements CascadeWebhookOptionsFactory {
  createCascadeWebhookOptions() {
    return { secret: SECRET };
  }
}

@Module({ providers: [WebhookSettings], exports: [WebhookSettings] })
class SettingsModule {}

describe.each([
  ['useClass', { useClass: WebhookSettings }],
  ['useExisting', { imports: [SettingsModule], useExisting: WebhookSettings }],
])('CascadeWebhookModule.forRootAsync with %s and its own header', (_label, source) => {
  let app: INestApplication;
  let updates: CascadeStatusUpdate[];
  let url: string;

  beforeAll(async () => {
    ({ app, updates, url } = await startApp([
      CascadeWebhookModule.forRootAsync({ ...source, header: 'X-Hook-Token' }),
    ]));
  });
  afterAll(() => app.close());

  it('takes the secret from the class, in the header it names', async () => {
    await request(url)
      .post('/cascade/status')
      .set('x-hook-token', SECRET)
      .send(payload)
      .expect(204);
    await request(url)
      .post('/cascade/status')
      .set('x-cascade-webhook-secret', SECRET)
      .send(payload)
      .expect(401);

    expect(updates).toHaveLength(1);
  });
});

describe.each(PLATFORMS)('the webhook route on %s, against hostile input', (platform) => {
  let app: INestApplication;
  let updates: CascadeStatusUpdate[];
  let url: string;
  const logs = new LogCapture();
  const post = () => request(url).post('/cascade/status').set('x-cascade-webhook-secret', SECRET);

  beforeAll(async () => {
    ({ app, updates, url } = await startApp([CascadeWebhookModule.forRoot({ secret: SECRET })], {
      platform,
      logger: logs,
      // As many apps do; its transformation must not reach a hostile body before the route's guards.
      setup: (app) => app.useGlobalPipes(new ValidationPipe({ transform: true })),
    }));
  });
  afterAll(() => app.close());
  beforeEach(() => {
    updates.length = 0;
    logs.lines.length = 0;
  });

  it('logs what it received quoted: no forged line, no escape codes, no full phone', async () => {
    const messageId = '+380501234567\r\n[Nest] 1  - 01/01/2030   ERROR forged \u001b[31mred';
    await post()
      .send({ ...payload, messageId, deliverystatus: 'delivered\u2028\u001b[2J' })
      .expect(204);

    const line = logs.at('debug').find((text) => text.includes('for message'));
    expect(line).toBeDefined();
    for (const raw of ['\r', '\n', '\u001b', '\u2028']) expect(line).not.toContain(raw);
    expect(line).toContain('+380*****4567');
    expect(line).not.toContain('380501234567');
    expect(logs.text).not.toContain('\u001b[31m');
    expect(updates.map((u) => u.messageId)).toEqual([messageId]);
  });

  it('answers a 1 MB messageId with a short 400 that does not repeat it', async () => {
    const response = await post()
      .send({ ...payload, messageId: 'x'.repeat(1_000_000) })
      .expect(400);

    expect(response.text.length).toBeLessThan(500);
    expect(response.text).not.toContain('x'.repeat(256));
    expect(updates).toEqual([]);
  });

  it.each([
    [
      'an extra field',
      (deep: string) => `{"messageId":"m","deliverystatus":"delivered","timestamp":1,"x":${deep}}`,
    ],
    [
      'messageId',
      (deep: string) => `{"messageId":${deep},"deliverystatus":"delivered","timestamp":1}`,
    ],
  ])('answers 400, not 500, to JSON nested deep in %s', async (_label, body) => {
    const deep = await post()
      .type('json')
      .send(body(nested(20_000)))
      .expect(400);
    // Nesting a vendor might add is taken; the whitelist drops it.
    await post()
      .type('json')
      .send(body(nested(6)))
      .expect((r) => expect(r.status).not.toBe(500));

    expect(deep.body.message).toBe('The webhook payload nests deeper than 8 levels');
    expect(logs.at('error')).toEqual([]);
  });

  it('answers 400 to a body that is not an object', async () => {
    const array = await post()
      .type('json')
      .send(JSON.stringify([payload]))
      .expect(400);
    // Express's parser refuses a JSON null itself; Fastify's hands it to the route.
    await post().type('json').send('null').expect(400);

    expect(array.body.message).toBe('The webhook payload must be a JSON object');
    expect(updates).toEqual([]);
  });
});

describe('CascadeWebhookModule options', () => {
  it('refuses to start with a short secret, naming the option and not its value', async () => {
    const compiling = Test.createTestingModule({
      imports: [CascadeWebhookModule.forRoot({ secret: 'short-secret' })],
    }).compile();

    await expect(compiling).rejects.toThrow(CascadeConfigError);
    await expect(compiling).rejects.toMatchObject({ option: 'secret' });
    await expect(compiling).rejects.not.toThrow('short-secret');
  });

  it.each([
    ['secretIn', { secretIn: 'query' as 'path' }],
    ['header', { header: 'x secret: yes' }],
    ['path', { path: 'hooks/:id' }],
    ['path', { path: '' }],
  ])('refuses a malformed %s when the module is declared', (option, route) => {
    const declaring = () => CascadeWebhookModule.forRoot({ secret: SECRET, ...route });

    expect(declaring).toThrow(CascadeConfigError);
    expect(declaring).toThrow(expect.objectContaining({ option }));
  });
});

describe('secretsMatch', () => {
  it('matches only the same string', () => {
    expect(secretsMatch(SECRET, SECRET)).toBe(true);
    expect(secretsMatch(`${SECRET}x`, SECRET)).toBe(false);
    expect(secretsMatch(SECRET.slice(1), SECRET)).toBe(false);
    expect(secretsMatch('', SECRET)).toBe(false);
    expect(secretsMatch([SECRET], SECRET)).toBe(false);
    expect(secretsMatch(undefined, SECRET)).toBe(false);
  });
});
