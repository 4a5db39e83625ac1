import fc from 'fast-check';
import { type CascadeViolation, validateMessageDtos } from 'nestjs-smsbat-cascade';
import { validateMessages } from '../../lib/validation/validate-messages.js';

/**
 * The DTO classes (class-validator, for controllers) and the service's own pre-send check (for
 * speed) must enforce the same rules. This runs both over generated messages, valid and not,
 * and asserts they agree, message by message and field by field.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

const validId = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,40}$/);
const validPhone = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^\d{6,14}$/))
  .map(([first, rest]) => `+${first}${rest}`);
const anything = fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer(), fc.boolean());

/*
 * Nested content. One builder per field makes both valid and wild values: `exact` keeps every
 * leaf valid and every required key present; `flaky` puts a wrong value in about one leaf in
 * six and may leave any key out, so that faults turn up deep inside (items[2].title).
 */
type Arb = fc.Arbitrary<unknown>;
interface Mode {
  leaf: (valid: Arb) => Arb;
  required: <K extends string>(keys: K[]) => K[];
}
const KINDS_OF_WRONG: Arb = fc.oneof(
  fc.integer(),
  fc.string({ maxLength: 6 }),
  fc.constantFrom(null, true, NaN, Infinity, 1.5, [], {}, ['a'], new Date(0)),
);
const exact: Mode = { leaf: (valid) => valid, required: (keys) => keys };
const flaky: Mode = {
  leaf: (valid) =>
    fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: KINDS_OF_WRONG }),
  required: () => [],
};

/** Any JSON, with plain keys (class-transformer drops `__proto__`, which JSON.parse keeps). */
const { json } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { maxDepth: 4, depthSize: 'small' },
    fc.string({ maxLength: 8 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('json'), { maxLength: 3 }),
    fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), tie('json'), { maxKeys: 3 }),
  ),
}));
/** An object nesting `levels` levels, itself included: 8 is allowed, 9 is not. */
const nestedLevels = (levels: number): Record<string, unknown> =>
  levels <= 1 ? {} : { deeper: nestedLevels(levels - 1) };
const tooDeep = fc.integer({ min: 7, max: 10 }).map(nestedLevels);
const text = fc.string({ maxLength: 12 });
const listOf = (m: Mode, item: Arb) => m.leaf(fc.array(item, { maxLength: 3 }));
const objectOf = (m: Mode, fields: Record<string, Arb>, required: string[] = []) =>
  m.leaf(fc.record(fields, { requiredKeys: m.required(required) }));

const carouselButton = (m: Mode) => objectOf(m, { label: m.leaf(text), actionUrl: m.leaf(text) });
const viberMessage = (m: Mode, required: string[] = []) =>
  objectOf(
    m,
    {
      receiver: m.leaf(text),
      minApiVersion: m.leaf(fc.integer()),
      type: m.leaf(text),
      sender: objectOf(m, { name: m.leaf(text), avatar: m.leaf(text) }),
      text: m.leaf(text),
      fallbackText: m.leaf(text),
      ttl: m.leaf(fc.double({ noNaN: true, noDefaultInfinity: true })),
      survey: objectOf(m, { options: listOf(m, m.leaf(text)) }, ['options']),
      carousel: objectOf(
        m,
        {
          items: listOf(
            m,
            objectOf(m, {
              title: m.leaf(text),
              imageUrl: m.leaf(text),
              primaryButton: carouselButton(m),
              secondaryButton: carouselButton(m),
            }),
          ),
        },
        ['items'],
      ),
      keyboard: json,
    },
    required,
  );
const tgMessage = (m: Mode) =>
  objectOf(m, {
    text: m.leaf(text),
    photoUrl: m.leaf(text),
    chatId: m.leaf(fc.integer()),
    buttons: listOf(m, objectOf(m, { action: m.leaf(text), text: m.leaf(text) })),
  });
const customerData = (m: Mode) => objectOf(m, { type: m.leaf(text), more: json });
const variables = (m: Mode) =>
  listOf(
    m,
    objectOf(
      m,
      {
        id: m.leaf(fc.integer()),
        type: m.leaf(fc.constantFrom('name', 'url', 'short_url')),
        value: m.leaf(text),
      },
      ['id', 'value'],
    ),
  );
const fallback = (m: Mode) =>
  objectOf(
    m,
    {
      messageType: m.leaf(fc.constant('transaction')),
      text: m.leaf(text.filter((t) => t.trim() !== '')),
    },
    ['messageType', 'text'],
  );
/** extra: fields the module does not know, or (when flaky) ones it does. */
const extra = (m: Mode) =>
  fc.dictionary(
    m === exact
      ? fc.constantFrom('sheduledSent', 'wheterCheckSession', 'buttonText', 'scheduledTime')
      : fc.constantFrom('buttonText', 'text', 'toPhone', 'surveyOptions', 'extra', 'fallback'),
    m === exact ? json : fc.oneof(json, tooDeep, KINDS_OF_WRONG),
    { maxKeys: 3 },
  );

/** Wild values for each field: valid ones among many kinds of wrong. */
const wild: Record<string, Arb> = {
  id: fc.oneof(validId, fc.string(), fc.constant('a'.repeat(255)), anything),
  fromName: fc.oneof(fc.string({ minLength: 1 }), fc.constant(' '), anything),
  toPhone: fc.oneof(
    validPhone,
    validPhone.map((p) => p.slice(1)),
    fc.stringMatching(/^0\d{9}$/),
    fc.string(),
    anything,
  ),
  messageType: fc.constantFrom(
    'transaction',
    'promo',
    'viber_survey',
    'flashcall',
    'viber_carousel',
    'viber_promo',
    undefined,
    7,
  ),
  text: fc.oneof(fc.string({ maxLength: 120 }), fc.constant('x'.repeat(86)), anything),
  ttl: fc.oneof(
    fc.integer({ min: -10, max: 1_000_000 }),
    fc.double(),
    fc.constant('3600'),
    anything,
  ),
  scheduledSent: fc.oneof(
    fc.constantFrom(at(HOUR), at(29 * DAY), at(-HOUR), at(31 * DAY), 'tomorrow'),
    fc.constant(at(2 * HOUR).replace('Z', '+00:00')),
    fc.constant(at(HOUR).slice(0, 19)),
    fc.constant(new Date(Date.now() + HOUR)),
    anything,
  ),
  surveyOptions: fc.oneof(
    fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.constant('Yes'), fc.integer()), {
      maxLength: 7,
    }),
    fc.constant('Yes'),
    anything,
  ),
  viberMessage: fc.oneof(
    { weight: 4, arbitrary: viberMessage(flaky) },
    { weight: 4, arbitrary: viberMessage(flaky, ['carousel']) },
    { weight: 2, arbitrary: tooDeep },
    { weight: 1, arbitrary: fc.constant({ text: 'x'.repeat(70_000) }) },
    { weight: 2, arbitrary: KINDS_OF_WRONG },
  ),
  tgMessage: fc.oneof(tgMessage(flaky), tooDeep, KINDS_OF_WRONG),
  customerData: fc.oneof(customerData(flaky), KINDS_OF_WRONG),
  variables: fc.oneof(variables(flaky), KINDS_OF_WRONG),
  fallback: fc.oneof(fallback(flaky), KINDS_OF_WRONG),
  extra: fc.oneof(extra(flaky), fc.string(), fc.constant({}), KINDS_OF_WRONG),
  sheduledSent: fc.constant(at(HOUR)),
};

/** A valid message of any type, in any of the forms the vendor shows. */
const valid = fc
  .record({
    id: validId,
    fromName: fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''),
    toPhone: validPhone,
    type: fc.constantFrom('transaction', 'promo', 'viber_survey', 'flashcall', 'viber_carousel'),
    text: fc.string({ minLength: 1, maxLength: 85 }).filter((s) => s.trim() !== ''),
    ttl: fc.option(fc.integer({ min: 1, max: 10_000_000 }), { nil: undefined }),
    scheduledSent: fc.option(fc.constantFrom(at(HOUR), new Date(Date.now() + DAY)), {
      nil: undefined,
    }),
    surveyOptions: fc.uniqueArray(fc.stringMatching(/^[A-Za-z ]*[A-Za-z][A-Za-z ]*$/), {
      minLength: 2,
      maxLength: 5,
    }),
    nested: fc.record(
      {
        viberMessage: viberMessage(exact),
        tgMessage: tgMessage(exact),
        customerData: customerData(exact),
        variables: variables(exact),
      },
      { requiredKeys: [] },
    ),
    carouselViber: viberMessage(exact, ['carousel']),
    fallback: fc.option(fallback(exact), { nil: undefined }),
    extra: fc.option(extra(exact), { nil: undefined }),
    // Whether to leave out top-level text and surveyOptions where nested content allows it.
    leaveOut: fc.boolean(),
  })
  .map(({ type, text, surveyOptions, ttl, scheduledSent, nested, carouselViber, ...rest }) => {
    const { fallback: fallbackValue, extra: extraValue, leaveOut, ...common } = rest;
    const content = type === 'viber_carousel' ? { ...nested, viberMessage: carouselViber } : nested;
    const nests = 'viberMessage' in content || 'tgMessage' in content;
    const nestedSurvey = (content.viberMessage as { survey?: unknown } | undefined)?.survey;
    return {
      ...common,
      messageType: type,
      ...(type === 'flashcall' ? {} : content),
      ...(type === 'flashcall' ||
      (leaveOut && (type === 'viber_carousel' || (type !== 'promo' && nests)))
        ? {}
        : { text }),
      ...(type !== 'viber_survey' || (leaveOut && nestedSurvey) ? {} : { surveyOptions }),
      ...(type === 'flashcall' && fallbackValue ? { fallback: fallbackValue } : {}),
      ...(extraValue === undefined ? {} : { extra: extraValue }),
      ...(ttl === undefined ? {} : { ttl }),
      ...(scheduledSent === undefined ? {} : { scheduledSent }),
    };
  });

/** A valid message with up to two fields replaced by wild values (or removed). */
const FIELDS = [
  'id',
  'fromName',
  'toPhone',
  'messageType',
  'text',
  'ttl',
  'scheduledSent',
  'surveyOptions',
  'viberMessage',
  'tgMessage',
  'customerData',
  'variables',
  'fallback',
  'extra',
  'sheduledSent',
];
const message = fc.tuple(valid, fc.subarray(FIELDS, { maxLength: 2 })).chain(([base, fields]) =>
  fc.tuple(...fields.map((field) => wild[field])).map((values) => {
    const out: Record<string, unknown> = { ...base };
    fields.forEach((field, i) => {
      if (values[i] === undefined) delete out[field];
      else out[field] = values[i];
    });
    return out;
  }),
);

const batch = fc.array(
  fc.oneof(message, message, message, message, fc.string(), fc.constant(null)),
  {
    minLength: 1,
    maxLength: 6,
  },
);

const key = (v: CascadeViolation) => `${v.index}|${v.id ?? ''}|${v.field}|${v.code}|${v.message}`;
const keys = (violations: CascadeViolation[]) => violations.map(key).sort();

describe('the DTO classes and the pre-send check agree', () => {
  it('on every generated batch, message by message and field by field', () => {
    let messagesValid = 0;
    let messagesInvalid = 0;
    let nestedFaults = 0;
    fc.assert(
      fc.property(batch, (messages) => {
        const service = validateMessages(messages, { now: Date.now(), requireZone: true });
        const dto = validateMessageDtos(messages).violations;
        const faulty = new Set(service.map((v) => v.index)).size;
        messagesInvalid += faulty;
        messagesValid += messages.length - faulty;
        nestedFaults += service.filter((v) => /[.[]/.test(v.field)).length;
        expect(keys(dto)).toEqual(keys(service));
      }),
      { numRuns: 3000 },
    );
    // The corpus holds both kinds: the agreement is not only on empty lists.
    expect(messagesValid).toBeGreaterThan(1000);
    expect(messagesInvalid).toBeGreaterThan(1000);
    // ...and faults deep inside nested content are among them.
    expect(nestedFaults).toBeGreaterThan(300);
  });

  it('on generated valid messages, where both find nothing', () => {
    let nestedWithoutText = 0;
    fc.assert(
      fc.property(valid, (m) => {
        expect(validateMessages([m], { now: Date.now(), requireZone: true })).toEqual([]);
        expect(validateMessageDtos([m]).violations).toEqual([]);
        if (!('text' in m) && m.messageType !== 'flashcall') nestedWithoutText++;
      }),
      { numRuns: 1000 },
    );
    // The vendor's nested forms, without top-level text, are among them.
    expect(nestedWithoutText).toBeGreaterThan(100);
  });
});
