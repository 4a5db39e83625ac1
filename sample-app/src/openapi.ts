import type { INestApplication } from '@nestjs/common';
import {
  type ApiBodyOptions,
  type ApiResponseOptions,
  DocumentBuilder,
  getSchemaPath,
  type SchemaObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { getMetadataStorage, validateSync } from 'class-validator';
import {
  CASCADE_MESSAGE_LIMITS as LIMITS,
  FlashcallMessageDto,
  MAX_MESSAGES_PER_CALL,
  MESSAGE_TYPES,
  PromoMessageDto,
  TransactionMessageDto,
  ViberCarouselMessageDto,
  ViberSurveyMessageDto,
} from 'nestjs-smsbat-cascade';

// The package's DTO classes carry no OpenAPI metadata (it does not depend on @nestjs/swagger).
// Their schemas are built here from what the classes do carry, their validation rules, with
// the limits the rules export: nothing is repeated, and the classes are left as they are.

/** How each field is described; its numbers and patterns are the rules' own. */
const FIELDS: Record<string, SchemaObject> = {
  id: {
    type: 'string',
    description: `Your tracking id: 1 to ${LIMITS.maxIdLength} letters, digits, -, _, . or :; unique within one call`,
    example: 'order-12345',
    minLength: 1,
    maxLength: LIMITS.maxIdLength,
    pattern: LIMITS.idPattern,
  },
  fromName: { type: 'string', description: "The sender's display name", example: 'YourStore' },
  toPhone: {
    type: 'string',
    description: 'The recipient in E.164: +, the country code and the number',
    example: '+380501234567',
    pattern: LIMITS.phonePattern,
  },
  messageType: { type: 'string', enum: [...MESSAGE_TYPES] },
  text: { type: 'string', minLength: 1 },
  ttl: { type: 'integer', description: 'Time to live in seconds', example: 3600, minimum: 1 },
  scheduledSent: {
    type: 'string',
    format: 'date-time',
    description: `ISO 8601 date-time with a zone, at most ${LIMITS.maxScheduleAheadDays} days ahead`,
    example: '2030-01-25T10:00:00Z',
  },
  surveyOptions: {
    type: 'array',
    items: { type: 'string', minLength: 1 },
    minItems: LIMITS.minSurveyOptions,
    maxItems: LIMITS.maxSurveyOptions,
    uniqueItems: true,
    example: ['Satisfied', 'Neutral', 'Dissatisfied'],
  },
  viberMessage: { type: 'object', description: 'Content for Viber, nested as the vendor shows it' },
  tgMessage: { type: 'object', description: 'Content for Telegram, nested as the vendor shows it' },
  customerData: { type: 'object', description: 'Your own data, passed through' },
  variables: {
    type: 'array',
    items: { type: 'object' },
    description: 'Values for the placeholders in the text',
  },
  fallback: {
    type: 'object',
    description: 'A transaction message, should the call not get through',
  },
  extra: { type: 'object', description: 'Fields the module does not know yet, sent unchecked' },
};

type MessageDtoClass = new () => object;

/** Each type's class, and what its fields say beyond the common description. */
const TYPES: [MessageDtoClass, (typeof MESSAGE_TYPES)[number], Record<string, SchemaObject>][] = [
  [
    TransactionMessageDto,
    'transaction',
    { text: { example: 'Your order #12345 has been confirmed.' } },
  ],
  [
    PromoMessageDto,
    'promo',
    { text: { example: 'Summer Sale! Up to 50% off: https://example.com/sale' } },
  ],
  [
    ViberSurveyMessageDto,
    'viber_survey',
    {
      text: {
        maxLength: LIMITS.maxSurveyTextLength,
        example: 'How satisfied are you with our service?',
      },
    },
  ],
  [FlashcallMessageDto, 'flashcall', {}],
  [ViberCarouselMessageDto, 'viber_carousel', {}],
];
const DTOS = TYPES.map(([dto]) => dto);

/**
 * A DTO class's schema: its fields as its validation metadata lists them (inherited ones
 * included, in the order of FIELDS), each required when an empty instance fails on it.
 */
function schemaOf(
  dto: MessageDtoClass,
  type: string,
  specific: Record<string, SchemaObject>,
): SchemaObject {
  const order = Object.keys(FIELDS);
  const fields = [
    ...new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(dto, '', true, false)
        .map((rule) => rule.propertyName),
    ),
  ].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const missing = new Set(validateSync(new dto()).map((error) => error.property));
  return {
    type: 'object',
    required: fields.filter((field) => missing.has(field)),
    additionalProperties: false,
    properties: Object.fromEntries(
      fields.map((field) => [
        field,
        {
          ...FIELDS[field],
          ...specific[field],
          ...(field === 'messageType' && { enum: [type], example: type }),
        },
      ]),
    ),
  };
}

const oneMessage = {
  oneOf: DTOS.map((dto) => ({ $ref: getSchemaPath(dto) })),
  discriminator: { propertyName: 'messageType' },
};

export const messagesBody: ApiBodyOptions = {
  description: `One message or an array of 1 to ${MAX_MESSAGES_PER_CALL}, each of type ${MESSAGE_TYPES.join(', ')}`,
  schema: {
    oneOf: [
      oneMessage,
      { type: 'array', minItems: 1, maxItems: MAX_MESSAGES_PER_CALL, items: oneMessage },
    ],
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
        id: 'carousel-new-arrivals',
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
              {
                title: 'Boots',
                imageUrl: 'https://example.com/boots.jpg',
                primaryButton: { label: 'Buy', actionUrl: 'https://example.com/boots' },
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
  const document = SwaggerModule.createDocument(app, config);
  document.components = {
    ...document.components,
    schemas: {
      ...document.components?.schemas,
      ...Object.fromEntries(TYPES.map(([dto, ...rest]) => [dto.name, schemaOf(dto, ...rest)])),
    },
  };
  SwaggerModule.setup('docs', app, document);
}
