import { Body, Controller, type INestApplication, Post, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import {
  type AnyCascadeMessageDto,
  CascadeMessagesDto,
  FlashcallMessageDto,
  ParseCascadeMessagesPipe,
  TransactionMessageDto,
  ViberCarouselMessageDto,
  ViberSurveyMessageDto,
} from 'nestjs-smsbat-cascade';
import request from 'supertest';
import { carousel, flashcall, manyTransactions, survey, transaction } from '../support/messages.js';

const classesOf = (body: AnyCascadeMessageDto | AnyCascadeMessageDto[]) =>
  [body].flat().map((dto) => dto.constructor.name);

@Controller()
class MessagesController {
  @Post('pipe')
  pipe(@Body(ParseCascadeMessagesPipe) body: AnyCascadeMessageDto | AnyCascadeMessageDto[]) {
    return { classes: classesOf(body), single: !Array.isArray(body) };
  }

  @Post('echo')
  echo(@Body(ParseCascadeMessagesPipe) body: AnyCascadeMessageDto | AnyCascadeMessageDto[]) {
    return body;
  }

  @Post('wrapped')
  wrapped(
    @Body(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
    body: CascadeMessagesDto,
  ) {
    return { classes: classesOf(body.messages) };
  }
}

describe('message DTOs in a controller', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [MessagesController],
    }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
    // Express's default limit (100 kB) is below 1001 messages.
    (app as NestExpressApplication).useBodyParser('json', { limit: '1mb' });
    await app.init();
  });
  afterAll(() => app.close());

  describe('ParseCascadeMessagesPipe', () => {
    it('resolves each message of a mixed array to the class its messageType names', async () => {
      const response = await request(app.getHttpServer())
        .post('/pipe')
        .send([transaction(), survey(), flashcall()])
        .expect(201);

      expect(response.body).toEqual({
        classes: [TransactionMessageDto.name, ViberSurveyMessageDto.name, FlashcallMessageDto.name],
        single: false,
      });
    });

    it('takes one message as one', async () => {
      const response = await request(app.getHttpServer())
        .post('/pipe')
        .send(flashcall())
        .expect(201);

      expect(response.body).toEqual({ classes: [FlashcallMessageDto.name], single: true });
    });

    it('answers 400 with every violation, naming the message and the field', async () => {
      const response = await request(app.getHttpServer())
        .post('/pipe')
        .send([transaction({ id: 'a' }), { ...flashcall({ id: 'b' }), text: 'no text here' }])
        .expect(400);

      expect(response.body.violations).toEqual([
        {
          index: 1,
          id: 'b',
          field: 'text',
          code: 'UNKNOWN_FIELD',
          message: 'text is not a field of a flashcall message',
        },
      ]);
      expect(response.body.message).toEqual([
        'message 1 (id b): text is not a field of a flashcall message [UNKNOWN_FIELD]',
      ]);
    });

    it('passes nested content and extra through as given', async () => {
      const messages = [
        carousel({ extra: { wheterCheckSession: true } }),
        transaction({ variables: [{ id: 1, type: 'name', value: 'John' }] }),
        flashcall({ fallback: { messageType: 'transaction', text: 'Your code: 1234' } }),
      ];

      const response = await request(app.getHttpServer()).post('/echo').send(messages).expect(201);

      expect(response.body).toEqual(messages);
    });

    it('names the path of a nested fault, with the message index and id', async () => {
      const response = await request(app.getHttpServer())
        .post('/pipe')
        .send([
          transaction({ id: 'a' }),
          flashcall({ id: 'b', fallback: { messageType: 'sms' as never, text: 'Code' } }),
        ])
        .expect(400);

      expect(response.body.violations).toEqual([
        {
          index: 1,
          id: 'b',
          field: 'fallback.messageType',
          code: 'INVALID_FALLBACK',
          message: 'fallback.messageType must be one of transaction',
        },
      ]);
    });

    it('answers 400, not 500, to a body nesting thousands of levels', async () => {
      // JSON.stringify itself would overflow on such a value: write the body by hand.
      const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
      const adding = (message: object, field: string, json: string) =>
        `${JSON.stringify(message).slice(0, -1)},"${field}":${json}}`;
      const first = adding(transaction({ id: 'a' }), 'viberMessage', `{"k":${deep}}`);
      const body = `[${first},${adding(flashcall({ id: 'b' }), 'priority', deep)}]`;

      const response = await request(app.getHttpServer())
        .post('/pipe')
        .set('content-type', 'application/json')
        .send(body)
        .expect(400);

      expect(response.body.violations).toEqual([
        expect.objectContaining({
          index: 0,
          field: `viberMessage.k${'[0]'.repeat(7)}`,
          code: 'INVALID_VIBER_MESSAGE',
        }),
        expect.objectContaining({ index: 1, field: 'priority', code: 'UNKNOWN_FIELD' }),
      ]);
    });

    it('refuses more than 1000 messages', async () => {
      const response = await request(app.getHttpServer())
        .post('/pipe')
        .send(manyTransactions(1001))
        .expect(400);

      expect(response.body.message).toContain('1 to 1000 messages');
    });
  });

  describe('CascadeMessagesDto with ValidationPipe', () => {
    it('validates a mixed array, each message by its type', async () => {
      const response = await request(app.getHttpServer())
        .post('/wrapped')
        .send({ messages: [survey(), transaction()] })
        .expect(201);

      expect(response.body.classes).toEqual([
        ViberSurveyMessageDto.name,
        TransactionMessageDto.name,
      ]);
    });

    it('applies the rules of the type the message names', async () => {
      const response = await request(app.getHttpServer())
        .post('/wrapped')
        .send({ messages: [transaction(), survey({ surveyOptions: ['only one'] })] })
        .expect(400);

      expect(response.body.message).toEqual(['messages.1.surveyOptions must hold 2 to 5 options']);
    });

    it('rejects an unknown messageType and unknown fields', async () => {
      const response = await request(app.getHttpServer())
        .post('/wrapped')
        .send({ messages: [{ ...transaction(), messageType: 'viber_promo' }] })
        .expect(400);

      expect(response.body.message).toContain(
        'messages.0.messageType must be one of transaction, promo, viber_survey, flashcall, viber_carousel',
      );
    });

    it('validates nested content, naming its path', async () => {
      const bad = carousel();
      bad.viberMessage.carousel.items[1].title = 3 as never;

      const response = await request(app.getHttpServer())
        .post('/wrapped')
        .send({ messages: [carousel(), bad] })
        .expect(400);

      expect(response.body.message).toEqual([
        'messages.1.viberMessage.carousel.items[1].title must be a string',
      ]);
    });

    it('resolves a carousel to its class', async () => {
      const response = await request(app.getHttpServer())
        .post('/wrapped')
        .send({ messages: [carousel()] })
        .expect(201);

      expect(response.body.classes).toEqual([ViberCarouselMessageDto.name]);
    });
  });
});
