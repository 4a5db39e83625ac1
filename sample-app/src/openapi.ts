import type { INestApplication } from '@nestjs/common';
import {
  ApiProperty,
  type ApiBodyOptions,
  type ApiResponseOptions,
  DocumentBuilder,
  getSchemaPath,
  SwaggerModule,
} from '@nestjs/swagger';
import {
  FlashcallMessageDto,
  MESSAGE_TYPES,
  PromoMessageDto,
  TransactionMessageDto,
  ViberCarouselMessageDto,
  ViberSurveyMessageDto,
} from 'nestjs-smsbat-cascade';

// The package's DTO classes carry no OpenAPI metadata (it does not depend on @nestjs/swagger),
// so the app describes their fields here, once, and the document is built from those classes.
const describe = (
  dto: abstract new () => unknown,
  field: string,
  options: Parameters<typeof ApiProperty>[0],
) => ApiProperty(options)(dto.prototype as object, field);

const DTOS = [
  TransactionMessageDto,
  PromoMessageDto,
  ViberSurveyMessageDto,
  FlashcallMessageDto,
  ViberCarouselMessageDto,
];
for (const dto of DTOS) {
  describe(dto, 'id', {
    description: 'Your tracking id: 1 to 254 letters, digits, -, _, . or :; unique within one call',
    example: 'order-12345',
    maxLength: 254,
    pattern: '^[A-Za-z0-9_.:-]+$',
  });
  describe(dto, 'fromName', { description: "The sender's display name", example: 'YourStore' });
  describe(dto, 'toPhone', {
    description: 'The recipient in E.164: +, the country code and the number',
    example: '+380501234567',
    pattern: '^\\+[1-9]\\d{6,14}$',
  });
  describe(dto, 'ttl', {
    required: false,
    description: 'Time to live in seconds',
    example: 3600,
    minimum: 1,
  });
  describe(dto, 'scheduledSent', {
    required: false,
    description: 'ISO 8601 date-time with a zone, at most 30 days ahead',
    example: '2030-01-25T10:00:00Z',
    format: 'date-time',
  });
  describe(dto, 'extra', {
    required: false,
    type: Object,
    additionalProperties: true,
    description:
      'Fields the module does not know, merged into the message as sent, unchecked; they may not name a known field',
    example: { wheterCheckSession: true },
  });
}
const CONTENT_DTOS = [
  TransactionMessageDto,
  PromoMessageDto,
  ViberSurveyMessageDto,
  ViberCarouselMessageDto,
];
for (const dto of CONTENT_DTOS) {
  describe(dto, 'viberMessage', {
    required: dto === ViberCarouselMessageDto,
    type: Object,
    additionalProperties: true,
    description:
      'Viber content: receiver, minApiVersion, type, sender { name, avatar }, text, fallbackText, ttl, survey { options }, carousel { items }',
  });
  describe(dto, 'tgMessage', {
    required: false,
    type: Object,
    additionalProperties: true,
    description: 'Telegram content: text, photoUrl, chatId, buttons [{ action, text }]',
  });
  describe(dto, 'customerData', {
    required: false,
    type: Object,
    additionalProperties: true,
    example: { type: 'data' },
  });
  describe(dto, 'variables', {
    required: false,
    description: 'Values for %type=id% placeholders in the text',
    example: [{ id: 1, type: 'name', value: 'John' }],
  });
}
describe(FlashcallMessageDto, 'fallback', {
  required: false,
  type: Object,
  description: 'A text message sent if the call fails',
  example: { messageType: 'transaction', text: 'Your code: 1234' },
});
const TYPE_OF = new Map<unknown, string>([
  [TransactionMessageDto, 'transaction'],
  [PromoMessageDto, 'promo'],
  [ViberSurveyMessageDto, 'viber_survey'],
  [FlashcallMessageDto, 'flashcall'],
  [ViberCarouselMessageDto, 'viber_carousel'],
]);
for (const [dto, type] of TYPE_OF) {
  describe(dto as never, 'messageType', { enum: [type], example: type });
}
describe(TransactionMessageDto, 'text', {
  required: false,
  description: 'Required unless viberMessage or tgMessage carries the content',
  example: 'Your order #12345 has been confirmed.',
});
describe(PromoMessageDto, 'text', {
  example: 'Summer Sale! Up to 50% off: https://example.com/sale',
});
describe(ViberSurveyMessageDto, 'text', {
  required: false,
  description: 'Required unless viberMessage or tgMessage carries the content',
  maxLength: 85,
  example: 'How satisfied are you with our service?',
});
describe(ViberCarouselMessageDto, 'text', { required: false, example: 'New arrivals' });
describe(ViberSurveyMessageDto, 'surveyOptions', {
  required: false,
  description: 'Required unless viberMessage.survey.options carries the answers',
  type: [String],
  minItems: 2,
  maxItems: 5,
  example: ['Satisfied', 'Neutral', 'Dissatisfied'],
});

const oneMessage = {
  oneOf: DTOS.map((dto) => ({ $ref: getSchemaPath(dto) })),
  discriminator: { propertyName: 'messageType' },
};

export const messagesBody: ApiBodyOptions = {
  description: `One message or an array of 1 to 1000, each of type ${MESSAGE_TYPES.join(', ')}`,
  schema: {
    oneOf: [oneMessage, { type: 'array', minItems: 1, maxItems: 1000, items: oneMessage }],
  },
  examples: {
    transaction: {
      value: {
        id: 'order-12345',
        fromName: 'YourStore',
        toPhone: '+380501234567',
        messageType: 'transaction',
        text: 'Your order #12345 has been confirmed.',
        ttl: 86400,
      },
    },
    promo: {
      value: {
        id: 'promo-summer-sale',
        fromName: 'YourBrand',
        toPhone: '+380501234567',
        messageType: 'promo',
        text: 'Summer Sale! Up to 50% off: https://example.com/sale',
        ttl: 259200,
      },
    },
    viber_survey: {
      value: {
        id: 'survey-1',
        fromName: 'YourBrand',
        toPhone: '+380501234567',
        messageType: 'viber_survey',
        text: 'How satisfied are you?',
        surveyOptions: ['Satisfied', 'Neutral', 'Dissatisfied'],
      },
    },
    flashcall: {
      value: {
        id: 'verify-user-123',
        fromName: 'YourApp',
        toPhone: '+380501234567',
        messageType: 'flashcall',
        ttl: 300,
      },
    },
    viber_carousel: {
      value: {
        id: 'carousel-1',
        fromName: 'YourBrand',
        toPhone: '+380501234567',
        messageType: 'viber_carousel',
        viberMessage: {
          text: 'New arrivals',
          carousel: {
            items: [
              {
                title: 'Sneakers',
                imageUrl: 'https://example.com/sneakers.jpg',
                primaryButton: { label: 'Buy', actionUrl: 'https://example.com/sneakers' },
              },
            ],
          },
        },
      },
    },
    batch: {
      value: [
        {
          id: 'bulk-001',
          fromName: 'YourBrand',
          toPhone: '+380501234567',
          messageType: 'transaction',
          text: 'Message 1',
        },
        {
          id: 'bulk-002',
          fromName: 'YourBrand',
          toPhone: '+380501234568',
          messageType: 'flashcall',
        },
      ],
    },
  },
};

export const sendResults: ApiResponseOptions = {
  description: 'One result per message, in input order',
  schema: {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        messageId: { type: 'string', format: 'uuid' },
        trackinId: { type: 'string', description: 'Your id, as the API spells the field' },
        trackingId: { type: 'string' },
      },
    },
  },
};

/** Serves the OpenAPI document at /docs (and its JSON at /docs-json). */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Cascade messaging sample')
    .setDescription('Sends messages through SMSBAT Cascade with nestjs-smsbat-cascade')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'api-key')
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: DTOS });
  SwaggerModule.setup('docs', app, document);
}
