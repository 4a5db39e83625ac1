import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../sample-app/src/app.module.js';
import { CascadeSettings } from '../../sample-app/src/cascade-settings.service.js';
import { flashcall, survey, transaction } from '../support/messages.js';

describe('sample app: messages', () => {
  let app: INestApplication;

  beforeAll(async () => {
    for (const name of ['CASCADE_API_KEY', 'CASCADE_VIBER_TOKEN', 'CASCADE_TG_BOT_KEY']) {
      delete process.env[name];
    }
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });
  afterAll(() => app.close());

  it('runs in emulator mode with no credentials', () => {
    expect(app.get(CascadeSettings).emulatorMode).toBe(true);
  });

  it('sends one message', async () => {
    const response = await request(app.getHttpServer())
      .post('/messages')
      .send(transaction())
      .expect(200);

    expect(response.body).toEqual([
      { messageId: expect.any(String), trackinId: 'order-12345', trackingId: 'order-12345' },
    ]);
  });

  it('sends a mixed batch through the Telegram/Viber endpoint', async () => {
    const response = await request(app.getHttpServer())
      .post('/messages/tg-viber')
      .send([survey(), flashcall()])
      .expect(200);

    expect(response.body.map((r: { trackingId: string }) => r.trackingId)).toEqual([
      'survey-satisfaction',
      'verify-user-123',
    ]);
  });

  it('refuses an invalid message with every violation', async () => {
    const response = await request(app.getHttpServer())
      .post('/messages')
      .send(transaction({ toPhone: '0501234567', ttl: -1 }))
      .expect(400);

    expect(response.body.violations.map((v: { field: string }) => v.field)).toEqual([
      'toPhone',
      'ttl',
    ]);
  });
});
