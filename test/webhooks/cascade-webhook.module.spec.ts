import type { INestApplication } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import {
  CascadeConfigError,
  CascadeModule,
  CascadeService,
  type CascadeStatusUpdate,
  CascadeStatusUpdates,
  CascadeWebhookModule,
} from 'nestjs-smsbat-cascade';
import { CascadeEmulator } from 'nestjs-smsbat-cascade/testing';
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import request from 'supertest';
import { transaction } from '../support/messages.js';

const SECRET = 'whsec-0123456789abcdef';
const payload = {
  messageId: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  deliverystatus: 'delivered',
  timestamp: '2030-01-25T10:00:00Z',
  cost: 0.05,
};

async function startApp(imports: unknown[]) {
  const moduleRef = await Test.createTestingModule({ imports: imports as never[] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  const updates: CascadeStatusUpdate[] = [];
  app.get(CascadeStatusUpdates).updates$.subscribe((update) => updates.push(update));
  return { app, updates, url: await app.getUrl() };
}

describe('CascadeWebhookModule, secret in a header', () => {
  let app: INestApplication;
  let updates: CascadeStatusUpdate[];
  let url: string;
  const post = () => request(app.getHttpServer()).post('/cascade/status');

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

    const response = await call.send({ junk: true }).expect(401);

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

  beforeAll(async () => {
    ({ app, updates } = await startApp([
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
    await request(app.getHttpServer()).post(`/hooks/smsbat/${SECRET}`).send(payload).expect(204);

    expect(updates).toHaveLength(1);
  });

  it('refuses another path segment', async () => {
    await request(app.getHttpServer())
      .post('/hooks/smsbat/not-the-secret')
      .send(payload)
      .expect(401);
    await request(app.getHttpServer()).post('/hooks/smsbat').send(payload).expect(404);
  });
});

it('refuses to start with a short secret', async () => {
  const compiling = Test.createTestingModule({
    imports: [CascadeWebhookModule.forRoot({ secret: 'short' })],
  }).compile();

  await expect(compiling).rejects.toThrow(CascadeConfigError);
});
