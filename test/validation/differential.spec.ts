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

/** Wild values for each field: valid ones among many kinds of wrong. */
const wild = fc.record({
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
  extra: fc.oneof(fc.string(), fc.constant({})),
  sheduledSent: fc.constant(at(HOUR)),
});

/** A valid message of any type. */
const valid = fc
  .record({
    id: validId,
    fromName: fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''),
    toPhone: validPhone,
    type: fc.constantFrom('transaction', 'promo', 'viber_survey', 'flashcall'),
    text: fc.string({ minLength: 1, maxLength: 85 }).filter((s) => s.trim() !== ''),
    ttl: fc.option(fc.integer({ min: 1, max: 10_000_000 }), { nil: undefined }),
    scheduledSent: fc.option(fc.constantFrom(at(HOUR), new Date(Date.now() + DAY)), {
      nil: undefined,
    }),
    surveyOptions: fc.uniqueArray(fc.stringMatching(/^[A-Za-z ]*[A-Za-z][A-Za-z ]*$/), {
      minLength: 2,
      maxLength: 5,
    }),
  })
  .map(({ type, text, surveyOptions, ttl, scheduledSent, ...common }) => ({
    ...common,
    messageType: type,
    ...(type === 'flashcall' ? {} : { text }),
    ...(type === 'viber_survey' ? { surveyOptions } : {}),
    ...(ttl === undefined ? {} : { ttl }),
    ...(scheduledSent === undefined ? {} : { scheduledSent }),
  }));

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
  'extra',
  'sheduledSent',
];
const message = fc
  .tuple(valid, fc.subarray(FIELDS, { maxLength: 2 }), wild)
  .map(([base, fields, values]) => {
    const out: Record<string, unknown> = { ...base };
    for (const field of fields) {
      const value = values[field as keyof typeof values];
      if (value === undefined) delete out[field];
      else out[field] = value;
    }
    return out;
  });

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
    fc.assert(
      fc.property(batch, (messages) => {
        const service = validateMessages(messages, { now: Date.now(), requireZone: true });
        const dto = validateMessageDtos(messages).violations;
        const faulty = new Set(service.map((v) => v.index)).size;
        messagesInvalid += faulty;
        messagesValid += messages.length - faulty;
        expect(keys(dto)).toEqual(keys(service));
      }),
      { numRuns: 3000 },
    );
    // The corpus holds both kinds: the agreement is not only on empty lists.
    expect(messagesValid).toBeGreaterThan(1000);
    expect(messagesInvalid).toBeGreaterThan(1000);
  });

  it('on generated valid messages, where both find nothing', () => {
    fc.assert(
      fc.property(valid, (m) => {
        expect(validateMessages([m], { now: Date.now(), requireZone: true })).toEqual([]);
        expect(validateMessageDtos([m]).violations).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});
