import {
  type CascadeExtraFields,
  type CascadeMessage,
  type CascadeVariable,
  type FlashcallMessage,
  type TransactionMessage,
  validateMessageDtos,
} from 'nestjs-smsbat-cascade';
import { MAX_NESTED_DEPTH, MAX_NESTED_JSON_LENGTH } from '../../lib/validation/nested-shapes.js';
import { validateMessages } from '../../lib/validation/validate-messages.js';
import { startCascade } from '../support/cascade-app.js';
import { carousel, flashcall, promo, survey, transaction } from '../support/messages.js';

/** Both ways a message is judged: the service's pre-send check and the DTO classes. */
const judges = {
  service: (messages: unknown[]) =>
    validateMessages(messages, { now: Date.now(), requireZone: true }),
  dto: (messages: unknown[]) => validateMessageDtos(messages).violations,
};

/** The developer portal's transaction: content nested per channel, no top-level text. */
const portalTransaction = (): TransactionMessage => ({
  id: 'order-12345',
  fromName: 'YourStore',
  toPhone: '+380680000000',
  messageType: 'transaction',
  ttl: 3600,
  viberMessage: {
    receiver: '9SM4pcbqBp8bFgbZtgmqBA==',
    minApiVersion: 1,
    type: 'text',
    sender: { name: 'YourStore', avatar: 'https://example.com/avatar.png' },
    text: 'Your order has been confirmed.',
    fallbackText: 'Your order has been confirmed.',
  },
  tgMessage: {
    text: 'Your order has been confirmed.',
    photoUrl: 'https://example.com/order.png',
    chatId: 123456789,
    buttons: [{ action: 'https://example.com/order', text: 'Track' }],
  },
});

/** The website's survey: text and answers nested in viberMessage. */
const websiteSurvey = () =>
  survey({
    text: undefined,
    surveyOptions: undefined,
    ttl: 80,
    viberMessage: {
      ttl: 60,
      text: 'How do you like our service?',
      survey: { options: ['Excellent', 'Good', 'Fair', 'Poor', 'Bad'] },
    },
    customerData: { type: 'data' },
  });

/** A viberMessage nesting `levels` levels of objects, the viberMessage itself included. */
const nestedLevels = (levels: number) => {
  let inner: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) inner = { deeper: inner };
  return inner;
};

/** A viberMessage exactly `length` characters long as JSON. */
const viberOfLength = (length: number) => {
  const text = 'x'.repeat(length - JSON.stringify({ text: '' }).length);
  return { text };
};

const cases = {
  valid: [
    ["the developer portal's transaction, without top-level text", portalTransaction()],
    [
      'a transaction with only tgMessage and no text',
      { ...transaction({ text: undefined }), tgMessage: { text: 'Hi' } },
    ],
    ["the website's survey, without text or surveyOptions", websiteSurvey()],
    ["the website's carousel", carousel()],
    ['a carousel with top-level text', carousel({ text: 'New arrivals' })],
    [
      'a carousel of no items (the vendor states no count)',
      carousel({ viberMessage: { carousel: { items: [] } } }),
    ],
    ['a promo with text and nested content', promo({ viberMessage: { text: 'Sale!' } })],
    ['a survey in both forms at once', survey({ viberMessage: { survey: { options: ['A'] } } })],
    [
      'inline variables, one id for two types',
      transaction({
        text: 'Hi %name=1%, see %url=1%',
        variables: [
          { id: 1, type: 'name', value: 'John' },
          { id: 1, type: 'url', value: 'https://example.com' },
          { id: 4, value: 'untyped' },
        ],
      }),
    ],
    [
      'a flash call with a fallback',
      flashcall({ fallback: { messageType: 'transaction', text: 'Code: 1234' } }),
    ],
    [
      'extra fields the module does not know',
      transaction({
        extra: {
          sheduledSent: '2030-01-25T10:00:00Z',
          wheterCheckSession: true,
          buttonText: 'Buy',
        },
      }),
    ],
    ['extra on a flash call', flashcall({ extra: { callerId: '380671234567' } })],
    [
      'nested keys the vendor does not show, as JSON',
      transaction({
        viberMessage: {
          keyboard: { Buttons: [{ Columns: 6, Text: null, Silent: true }] },
        } as never,
      }),
    ],
    [
      'optional nested fields given as null',
      transaction({
        viberMessage: { text: null, sender: null } as never,
        tgMessage: null as never,
      }),
    ],
    [
      `nesting of ${MAX_NESTED_DEPTH} levels`,
      transaction({ viberMessage: nestedLevels(MAX_NESTED_DEPTH) }),
    ],
    [
      `a viberMessage of ${MAX_NESTED_JSON_LENGTH} characters as JSON`,
      transaction({ viberMessage: viberOfLength(MAX_NESTED_JSON_LENGTH) }),
    ],
  ] as [string, unknown][],
  invalid: [
    [
      'a transaction with neither text nor nested content',
      transaction({ text: undefined }),
      'text',
      'MISSING_FIELD',
    ],
    [
      'a promo without text, even when nested',
      { ...promo({ viberMessage: { text: 'Sale!' } }), text: undefined },
      'text',
      'MISSING_FIELD',
    ],
    [
      'an empty text beside nested content',
      { ...portalTransaction(), text: '' },
      'text',
      'INVALID_TEXT',
    ],
    [
      'a survey with nested text but no answers anywhere',
      survey({ surveyOptions: undefined, viberMessage: { text: 'Hi' } }),
      'surveyOptions',
      'MISSING_FIELD',
    ],
    [
      'a nested survey without options',
      survey({ surveyOptions: undefined, viberMessage: { survey: {} as never } }),
      'viberMessage.survey.options',
      'MISSING_FIELD',
    ],
    [
      'nested survey options that are no array',
      survey({ viberMessage: { survey: { options: 'Yes' as never } } }),
      'viberMessage.survey.options',
      'INVALID_VIBER_MESSAGE',
    ],
    [
      'a nested survey answer that is no string',
      survey({ viberMessage: { survey: { options: ['Yes', 2 as never] } } }),
      'viberMessage.survey.options[1]',
      'INVALID_VIBER_MESSAGE',
    ],
    [
      'a carousel without viberMessage',
      carousel({ viberMessage: undefined }),
      'viberMessage',
      'MISSING_FIELD',
    ],
    [
      'a carousel whose viberMessage has no carousel',
      carousel({ viberMessage: { text: 'Hi' } as never }),
      'viberMessage.carousel',
      'MISSING_FIELD',
    ],
    [
      'a carousel without items',
      carousel({ viberMessage: { carousel: {} as never } }),
      'viberMessage.carousel.items',
      'MISSING_FIELD',
    ],
    [
      'a carousel item whose title is no string',
      carousel({ viberMessage: { carousel: { items: [{ title: 'A' }, { title: 7 as never }] } } }),
      'viberMessage.carousel.items[1].title',
      'INVALID_VIBER_MESSAGE',
    ],
    [
      'a carousel button that is no object',
      carousel({ viberMessage: { carousel: { items: [{ primaryButton: 'Buy' as never }] } } }),
      'viberMessage.carousel.items[0].primaryButton',
      'INVALID_VIBER_MESSAGE',
    ],
    [
      'a carousel button label that is no string',
      carousel({
        viberMessage: { carousel: { items: [{ secondaryButton: { label: ['Buy'] as never } }] } },
      }),
      'viberMessage.carousel.items[0].secondaryButton.label',
      'INVALID_VIBER_MESSAGE',
    ],
    [
      'a viberMessage that is an array',
      transaction({ viberMessage: [] as never }),
      'viberMessage',
      'INVALID_VIBER_MESSAGE',
    ],
    [
      'a viberMessage that is a Date',
      transaction({ viberMessage: new Date() as never }),
      'viberMessage',
      'INVALID_VIBER_MESSAGE',
    ],
    [
      'a minApiVersion as a string',
      transaction({ viberMessage: { minApiVersion: '1' as never } }),
      'viberMessage.minApiVersion',
      'INVALID_VIBER_MESSAGE',
    ],
    [
      'a nested ttl that is no finite number',
      transaction({ viberMessage: { ttl: Infinity } }),
      'viberMessage.ttl',
      'INVALID_VIBER_MESSAGE',
    ],
    [
      'a sender avatar that is no string',
      transaction({ viberMessage: { sender: { avatar: 1 as never } } }),
      'viberMessage.sender.avatar',
      'INVALID_VIBER_MESSAGE',
    ],
    [
      'an unlisted nested value that is no JSON',
      transaction({ viberMessage: { at: new Date() } as never }),
      'viberMessage.at',
      'INVALID_VIBER_MESSAGE',
    ],
    [
      'a chatId as a string',
      transaction({ tgMessage: { chatId: '42' as never } }),
      'tgMessage.chatId',
      'INVALID_TG_MESSAGE',
    ],
    [
      'a Telegram button text that is no string',
      transaction({ tgMessage: { buttons: [{ text: 'a' }, { text: 1 as never }] } }),
      'tgMessage.buttons[1].text',
      'INVALID_TG_MESSAGE',
    ],
    [
      'Telegram buttons that are no array',
      transaction({ tgMessage: { buttons: {} as never } }),
      'tgMessage.buttons',
      'INVALID_TG_MESSAGE',
    ],
    [
      'customerData as a string',
      transaction({ customerData: 'data' as never }),
      'customerData',
      'INVALID_CUSTOMER_DATA',
    ],
    [
      'customerData.type as a number',
      transaction({ customerData: { type: 1 as never } }),
      'customerData.type',
      'INVALID_CUSTOMER_DATA',
    ],
    [
      'variables that are no array',
      transaction({ variables: { id: 1 } as never }),
      'variables',
      'INVALID_VARIABLES',
    ],
    [
      'a fractional variable id',
      transaction({ variables: [{ id: 1.5, value: 'a' }] }),
      'variables[0].id',
      'INVALID_VARIABLES',
    ],
    [
      'a variable id as a string',
      transaction({ variables: [{ id: '1' as never, value: 'a' }] }),
      'variables[0].id',
      'INVALID_VARIABLES',
    ],
    [
      'a variable without a value',
      transaction({ variables: [{ id: 1, value: 'a' }, { id: 2 } as never] }),
      'variables[1].value',
      'MISSING_FIELD',
    ],
    [
      'a variable without an id',
      transaction({ variables: [{ value: 'a' } as never] }),
      'variables[0].id',
      'MISSING_FIELD',
    ],
    [
      'a variable type the vendor does not name',
      transaction({ variables: [{ id: 1, type: 'email' as never, value: 'a' }] }),
      'variables[0].type',
      'INVALID_VARIABLES',
    ],
    [
      'a fallback of another type',
      flashcall({ fallback: { messageType: 'promo' as never, text: 'Code' } }),
      'fallback.messageType',
      'INVALID_FALLBACK',
    ],
    [
      'a fallback without text',
      flashcall({ fallback: { messageType: 'transaction' } as never }),
      'fallback.text',
      'MISSING_FIELD',
    ],
    [
      'a fallback with blank text',
      flashcall({ fallback: { messageType: 'transaction', text: '  ' } }),
      'fallback.text',
      'INVALID_FALLBACK',
    ],
    [
      'a fallback that is no object',
      flashcall({ fallback: 'sms' as never }),
      'fallback',
      'INVALID_FALLBACK',
    ],
    [
      'a fallback on a transaction',
      { ...transaction(), fallback: { messageType: 'transaction', text: 'x' } },
      'fallback',
      'UNKNOWN_FIELD',
    ],
    [
      'viberMessage on a flash call',
      { ...flashcall(), viberMessage: { text: 'x' } },
      'viberMessage',
      'UNKNOWN_FIELD',
    ],
    [
      'surveyOptions on a carousel',
      { ...carousel(), surveyOptions: ['a', 'b'] },
      'surveyOptions',
      'UNKNOWN_FIELD',
    ],
    [
      'a top-level field outside extra',
      { ...transaction(), buttonText: 'Buy' },
      'buttonText',
      'UNKNOWN_FIELD',
    ],
    ['extra that is an array', transaction({ extra: [] as never }), 'extra', 'INVALID_EXTRA'],
    ['extra that is a string', transaction({ extra: 'x' as never }), 'extra', 'INVALID_EXTRA'],
    [
      'extra naming a field of the message',
      transaction({ extra: { text: 'x' } as never }),
      'extra.text',
      'INVALID_EXTRA',
    ],
    [
      'extra naming a field of another type',
      transaction({ extra: { surveyOptions: ['a', 'b'] } as never }),
      'extra.surveyOptions',
      'INVALID_EXTRA',
    ],
    [
      'extra inside extra',
      transaction({ extra: { extra: {} } as never }),
      'extra.extra',
      'INVALID_EXTRA',
    ],
    [
      'extra holding no JSON',
      transaction({ extra: { when: new Date() } }),
      'extra.when',
      'INVALID_EXTRA',
    ],
    [
      `nesting of ${MAX_NESTED_DEPTH + 1} levels`,
      transaction({ viberMessage: nestedLevels(MAX_NESTED_DEPTH + 1) }),
      `viberMessage${'.deeper'.repeat(MAX_NESTED_DEPTH)}`,
      'INVALID_VIBER_MESSAGE',
    ],
    [
      'extra nesting too deep',
      transaction({ extra: { a: nestedLevels(MAX_NESTED_DEPTH) } }),
      `extra.a${'.deeper'.repeat(MAX_NESTED_DEPTH - 1)}`,
      'INVALID_EXTRA',
    ],
    [
      `a viberMessage of ${MAX_NESTED_JSON_LENGTH + 1} characters as JSON`,
      transaction({ viberMessage: viberOfLength(MAX_NESTED_JSON_LENGTH + 1) }),
      'viberMessage',
      'INVALID_VIBER_MESSAGE',
    ],
    [
      'a huge extra',
      transaction({ extra: { blob: 'x'.repeat(MAX_NESTED_JSON_LENGTH) } }),
      'extra',
      'INVALID_EXTRA',
    ],
    [
      'a nested array with a hole',
      transaction({ tgMessage: { buttons: [{ text: 'a' }, undefined as never] } }),
      'tgMessage.buttons[1]',
      'INVALID_TG_MESSAGE',
    ],
  ] as [string, unknown, string, string][],
};

describe.each(Object.entries(judges))('vendor fields, judged by the %s', (_judge, judge) => {
  it.each(cases.valid)('accepts %s', (_label, message) => {
    expect(judge([message])).toEqual([]);
  });

  it.each(cases.invalid)('rejects %s', (_label, message, field, code) => {
    const violations = judge([message]);

    expect(violations).toEqual([expect.objectContaining({ index: 0, field, code })]);
    // The sentence names the path too, for logs that keep only the message.
    expect(violations[0].message.startsWith(field)).toBe(true);
  });

  it('names the message by its index and id, and the path of the fault', () => {
    const bad = carousel({ id: 'carousel-2' });
    bad.viberMessage.carousel.items[1].title = 3 as never;

    expect(judge([carousel({ id: 'carousel-1' }), bad])).toEqual([
      {
        index: 1,
        id: 'carousel-2',
        field: 'viberMessage.carousel.items[1].title',
        code: 'INVALID_VIBER_MESSAGE',
        message: 'viberMessage.carousel.items[1].title must be a string',
      },
    ]);
  });

  it('reports a fault in each nested field of one message', () => {
    const violations = judge([
      {
        ...portalTransaction(),
        tgMessage: { chatId: 'x' },
        variables: [{ id: 1 }],
        extra: { toPhone: '+380501234567' },
      },
    ]);

    expect(violations.map((v) => v.field).sort()).toEqual([
      'extra.toPhone',
      'tgMessage.chatId',
      'variables[0].value',
    ]);
  });

  it('quotes keys from outside in paths: no phone number, no line break', () => {
    const violations = judge([
      {
        ...transaction(),
        viberMessage: { '+380501234567\nforged': new Date() },
        'to +380671112233\r\n': 1,
      },
    ]);

    expect(violations).toHaveLength(2);
    for (const { field, message } of violations) {
      expect(`${field} ${message}`).not.toMatch(/380501234567|380671112233|[\r\n]/);
    }
    expect(violations.map((v) => v.code).sort()).toEqual([
      'INVALID_VIBER_MESSAGE',
      'UNKNOWN_FIELD',
    ]);
  });

  it('says how large a nested field may be', () => {
    const [violation] = judge([transaction({ viberMessage: viberOfLength(100_000) })]);

    expect(violation.message).toBe('viberMessage must be at most 65536 characters as JSON');
  });
});

describe('the pre-send check on a value no JSON body can hold', () => {
  it('stops at the nesting bound on a cycle', () => {
    const looped: Record<string, unknown> = {};
    looped.self = looped;

    const violations = judges.service([transaction({ extra: looped })]);

    expect(violations).toEqual([
      expect.objectContaining({
        field: `extra${'.self'.repeat(MAX_NESTED_DEPTH)}`,
        code: 'INVALID_EXTRA',
      }),
    ]);
  });
});

describe('CascadeService with vendor fields', () => {
  let cascade: Awaited<ReturnType<typeof startCascade>>;

  beforeAll(async () => {
    cascade = await startCascade({ retry: false });
  });
  afterAll(() => cascade.close());

  it('sends nested content, variables and a fallback as given', async () => {
    const messages: CascadeMessage[] = [
      portalTransaction(),
      websiteSurvey(),
      carousel(),
      promo({ variables: [{ id: 1, type: 'name', value: 'John' }] }),
      flashcall({ fallback: { messageType: 'transaction', text: 'Your code: 1234' } }),
    ];

    const results = await cascade.service.send(messages);

    expect(results.map((r) => r.trackingId)).toEqual(messages.map((m) => m.id));
    expect(cascade.emulator.requests[0].body).toEqual(messages);
  });
});

describe('the message types', () => {
  it('refuse, at compile time, what the union does not allow', () => {
    const base = { id: 'a', fromName: 'b', toPhone: '+380501234567' };
    // @ts-expect-error A flash call carries no text.
    const flash: CascadeMessage = { ...base, messageType: 'flashcall', text: 'Hi' };
    // @ts-expect-error A carousel needs its viberMessage.
    const bare: CascadeMessage = { ...base, messageType: 'viber_carousel' };
    // @ts-expect-error extra may name no known field.
    const hatch: CascadeExtraFields = { text: '' };
    // @ts-expect-error Unknown top-level fields go in extra.
    const loose: CascadeMessage = { ...base, messageType: 'promo', text: 'Hi', buttonText: 'Buy' };
    // @ts-expect-error Variables carry only the types the vendor names.
    const variable: CascadeVariable = { id: 1, type: 'email', value: 'x' };
    const fallback: FlashcallMessage['fallback'] = { messageType: 'transaction', text: 'Code' };

    // Each is refused when it runs, too.
    const refused = [
      flash,
      bare,
      { ...promo(), extra: hatch },
      loose,
      promo({ variables: [variable] }),
    ];
    expect(refused.map((message) => judges.service([message]).map((v) => v.field))).toEqual([
      ['text'],
      ['viberMessage'],
      ['extra.text'],
      ['buttonText'],
      ['variables[0].type'],
    ]);
    expect(judges.service([flashcall({ fallback })])).toEqual([]);
  });
});
