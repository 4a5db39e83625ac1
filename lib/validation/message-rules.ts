import type { RuleBreach } from '../types/violation.types.js';
import { MESSAGE_TYPES } from '../cascade.constants.js';
import type { CascadeMessageField, CascadeMessageType } from '../types/message.types.js';
import {
  checkShape,
  isAbsent,
  isBlank,
  isPlainObject,
  keyName,
  missing,
  type Shape,
  SHAPES,
} from './nested-shapes.js';

/**
 * The one source of truth for what a valid message is. The DTO decorators, the service's
 * pre-send check and the emulator all call these functions, so they cannot drift apart.
 */

export interface RuleContext {
  /** The clock, in epoch milliseconds, that `scheduledSent` is judged against. */
  now: number;
  /**
   * Whether a date-time must carry its zone. The module asks for one, so that a local time is
   * never silently shifted; the API itself (and so the emulator) reads a zone-less time as UTC.
   */
  requireZone: boolean;
}

export type FieldCheck = (
  value: unknown,
  message: Readonly<Record<string, unknown>>,
  context: RuleContext,
) => RuleBreach | undefined;

/** A check for a field a message may leave out: an absent value passes without calling it. */
const optional =
  (check: FieldCheck): FieldCheck =>
  (value, message, context) =>
    isAbsent(value) ? undefined : check(value, message, context);

export const MAX_ID_LENGTH = 254;
export const MAX_SURVEY_TEXT_LENGTH = 85;
export const MIN_SURVEY_OPTIONS = 2;
export const MAX_SURVEY_OPTIONS = 5;
export const MAX_SCHEDULE_AHEAD_MS = 30 * 24 * 60 * 60 * 1000;
/** How far in the past `scheduledSent` may be, for clocks that disagree a little. */
export const SCHEDULE_CLOCK_SKEW_MS = 60 * 1000;

const ID_PATTERN = /^[A-Za-z0-9_.:-]+$/;
const E164_PATTERN = /^\+[1-9]\d{6,14}$/;

/**
 * The rules' limits and patterns, read-only, for what documents them (an OpenAPI schema, a
 * form's hints) without repeating them. The patterns are regular-expression sources.
 */
export const CASCADE_MESSAGE_LIMITS = Object.freeze({
  maxIdLength: MAX_ID_LENGTH,
  idPattern: ID_PATTERN.source,
  phonePattern: E164_PATTERN.source,
  maxSurveyTextLength: MAX_SURVEY_TEXT_LENGTH,
  minSurveyOptions: MIN_SURVEY_OPTIONS,
  maxSurveyOptions: MAX_SURVEY_OPTIONS,
  maxScheduleAheadDays: MAX_SCHEDULE_AHEAD_MS / (24 * 60 * 60 * 1000),
});
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Whether a text has more than `max` characters, counted as people count them: an emoji
 * outside the BMP is one character, not the two UTF-16 units of `length`.
 */
function longerThan(text: string, max: number): boolean {
  // Never more code points than UTF-16 units: a text short in units needs no counting.
  if (text.length <= max) return false;
  let count = 0;
  for (let i = 0; i < text.length; i += text.codePointAt(i)! > 0xffff ? 2 : 1) {
    if (++count > max) return true;
  }
  return false;
}

function requiredText(field: string, code: string, value: unknown): RuleBreach | undefined {
  if (isAbsent(value) || value === '') return missing(field);
  if (typeof value !== 'string') return { code, message: `${field} must be a string` };
  if (isBlank(value)) return { code, message: `${field} must not be blank` };
  return undefined;
}

function checkPhone(value: unknown): RuleBreach | undefined {
  const code = 'INVALID_PHONE';
  const breach = requiredText('toPhone', code, value);
  if (breach || E164_PATTERN.test(value as string)) return breach;
  const phone = value as string;
  // The vendor names these two mistakes; say exactly what to change, without echoing the number.
  if (/^0\d+$/.test(phone)) {
    return {
      code,
      message:
        'toPhone must be in international E.164 form: a national number starting with 0 needs "+" and the country code instead of the 0 (+380501234567, not 0501234567)',
    };
  }
  if (/^[1-9]\d+$/.test(phone)) {
    return {
      code,
      message:
        'toPhone must start with "+" before the country code (+380501234567, not 380501234567)',
    };
  }
  return {
    code,
    message:
      'toPhone must be in E.164 form: "+", the country code and the number, at most 15 digits',
  };
}

/** Reads an ISO 8601 date-time to epoch milliseconds; NaN when malformed or zone-less but required. */
export function parseIsoDateTime(value: string, requireZone: boolean): number {
  const parts = ISO_DATE_TIME.exec(value);
  if (!parts) return NaN;
  const [, y, mo, d, h, mi, s = '0', frac = '0', zone] = parts;
  if (!zone && requireZone) return NaN;
  const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Math.floor(+`0.${frac}` * 1000));
  const date = new Date(utc);
  // Date.UTC rolls 30 February over into March: reject what does not read back the same.
  if (
    date.getUTCMonth() !== +mo - 1 ||
    date.getUTCDate() !== +d ||
    +h > 23 ||
    +mi > 59 ||
    +s > 59
  ) {
    return NaN;
  }
  if (!zone || zone.toUpperCase() === 'Z') return utc;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return utc - sign * (+digits.slice(0, 2) * 60 + +digits.slice(2)) * 60_000;
}

function checkSchedule(value: unknown, context: RuleContext): RuleBreach | undefined {
  const code = 'INVALID_SCHEDULE';
  let time: number;
  if (value instanceof Date) {
    time = value.getTime();
  } else if (typeof value === 'string') {
    time = parseIsoDateTime(value, context.requireZone);
  } else {
    return { code, message: 'scheduledSent must be an ISO 8601 date-time string or a Date' };
  }
  if (Number.isNaN(time)) {
    return {
      code,
      message: context.requireZone
        ? 'scheduledSent must be an ISO 8601 date-time with a zone, such as 2030-01-25T10:00:00Z'
        : 'scheduledSent must be an ISO 8601 date-time, such as 2030-01-25T10:00:00Z',
    };
  }
  if (time < context.now - SCHEDULE_CLOCK_SKEW_MS) {
    return { code, message: 'scheduledSent must not be in the past' };
  }
  if (time > context.now + MAX_SCHEDULE_AHEAD_MS) {
    return {
      code,
      message: `scheduledSent must be at most ${CASCADE_MESSAGE_LIMITS.maxScheduleAheadDays} days ahead`,
    };
  }
  return undefined;
}

function checkSurveyOptions(value: unknown): RuleBreach | undefined {
  const code = 'INVALID_SURVEY_OPTIONS';
  if (isAbsent(value)) return missing('surveyOptions');
  if (!Array.isArray(value)) return { code, message: 'surveyOptions must be an array of strings' };
  if (value.length < MIN_SURVEY_OPTIONS || value.length > MAX_SURVEY_OPTIONS) {
    return {
      code,
      message: `surveyOptions must hold ${MIN_SURVEY_OPTIONS} to ${MAX_SURVEY_OPTIONS} options`,
    };
  }
  const seen = new Set<string>();
  for (let i = 0; i < value.length; i++) {
    const option: unknown = value[i];
    if (typeof option !== 'string' || option === '' || isBlank(option)) {
      return { code, message: `surveyOptions[${i}] must be a non-empty string` };
    }
    if (seen.has(option)) return { code, message: `surveyOptions[${i}] repeats an earlier option` };
    seen.add(option);
  }
  return undefined;
}

/**
 * Whether a message may leave out its top-level text, decided per type from the vendor's
 * examples: the developer portal's transaction and the website's viber_survey nest their content
 * in `viberMessage`/`tgMessage` and carry no top-level text; the website's viber_carousel never
 * does. No promo on record goes without text (the portal's promo example is only partly on
 * record), and a flash call has none at all.
 */
function mayOmitText(message: Readonly<Record<string, unknown>>): boolean {
  switch (message.messageType) {
    case 'viber_carousel':
      return true;
    case 'transaction':
    case 'viber_survey':
      return !isAbsent(message.viberMessage) || !isAbsent(message.tgMessage);
    default:
      return false;
  }
}

/** An optional nested field, checked against its shape and the nesting and size bounds. */
const nested = (field: keyof typeof SHAPES, code: string, shape: Shape = SHAPES[field]) =>
  optional((value) => checkShape(field, value, shape, code));

const checkViberMessage = nested('viberMessage', 'INVALID_VIBER_MESSAGE');
const checkCarouselViberMessage = nested(
  'viberMessage',
  'INVALID_VIBER_MESSAGE',
  SHAPES.carouselViberMessage,
);
const checkExtra = nested('extra', 'INVALID_EXTRA');

/** Every field a message may have, with its check. */
export const FIELD_RULES = {
  id(value) {
    const code = 'INVALID_ID';
    if (isAbsent(value) || value === '') return missing('id');
    if (typeof value !== 'string') return { code, message: 'id must be a string' };
    if (value.length > MAX_ID_LENGTH) {
      return { code, message: `id must be at most ${MAX_ID_LENGTH} characters` };
    }
    if (!ID_PATTERN.test(value)) {
      return { code, message: 'id may hold only letters, digits, "-", "_", "." and ":"' };
    }
    return undefined;
  },
  fromName: (value) => requiredText('fromName', 'INVALID_SENDER', value),
  toPhone: checkPhone,
  messageType(value) {
    if (isAbsent(value) || value === '') return missing('messageType');
    if (!(MESSAGE_TYPES as readonly unknown[]).includes(value)) {
      return {
        code: 'INVALID_MESSAGE_TYPE',
        message: `messageType must be one of ${MESSAGE_TYPES.join(', ')}`,
      };
    }
    return undefined;
  },
  text(value, message) {
    if (mayOmitText(message)) {
      if (isAbsent(value)) return undefined;
      if (value === '') {
        return {
          code: 'INVALID_TEXT',
          message: 'text must not be empty: leave it out when the content is nested',
        };
      }
    }
    const breach = requiredText('text', 'INVALID_TEXT', value);
    if (breach) return breach;
    if (
      message.messageType === 'viber_survey' &&
      longerThan(value as string, MAX_SURVEY_TEXT_LENGTH)
    ) {
      return {
        code: 'INVALID_TEXT',
        message: `text of a viber_survey must be at most ${MAX_SURVEY_TEXT_LENGTH} characters`,
      };
    }
    return undefined;
  },
  ttl: optional((value) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      return { code: 'INVALID_TTL', message: 'ttl must be a positive whole number of seconds' };
    }
    return undefined;
  }),
  scheduledSent: optional((value, _message, context) => checkSchedule(value, context)),
  surveyOptions(value, message) {
    // The website's survey carries its answers in viberMessage.survey.options instead.
    const { viberMessage } = message;
    if (isAbsent(value) && isPlainObject(viberMessage) && !isAbsent(viberMessage.survey)) {
      return undefined;
    }
    return checkSurveyOptions(value);
  },
  viberMessage(value, message, context) {
    if (message.messageType !== 'viber_carousel') return checkViberMessage(value, message, context);
    // A carousel's cards live in viberMessage.carousel.items: without them it has no content.
    return isAbsent(value)
      ? missing('viberMessage')
      : checkCarouselViberMessage(value, message, context);
  },
  tgMessage: nested('tgMessage', 'INVALID_TG_MESSAGE'),
  customerData: nested('customerData', 'INVALID_CUSTOMER_DATA'),
  variables: nested('variables', 'INVALID_VARIABLES'),
  fallback: nested('fallback', 'INVALID_FALLBACK'),
  extra: optional((value, message, context) => {
    const breach = checkExtra(value, message, context);
    if (breach) return breach;
    // A known field set through the hatch would skip its own check.
    const known = Object.keys(value as object).find((key) => KNOWN_FIELDS.has(key));
    if (known === undefined) return undefined;
    return {
      code: 'INVALID_EXTRA',
      path: `extra.${known}`,
      message: `extra.${known} names a field of the message: set ${known} on the message itself`,
    };
  }),
} satisfies Record<CascadeMessageField, FieldCheck>;

export type MessageField = keyof typeof FIELD_RULES;

/** A field's rule applied to a whole message. */
export type FieldJudge = (
  message: Readonly<Record<string, unknown>>,
  context: RuleContext,
) => RuleBreach | undefined;

const RULES: Record<MessageField, FieldCheck> = FIELD_RULES;

/**
 * Each field's rule applied to a message, the field read by its name: each read then always
 * meets the same field, which the engine makes fast where reading by a variable name is not.
 * Campaigns judge millions of messages.
 */
export const FIELD_JUDGES = {
  id: (m, c) => RULES.id(m.id, m, c),
  fromName: (m, c) => RULES.fromName(m.fromName, m, c),
  toPhone: (m, c) => RULES.toPhone(m.toPhone, m, c),
  messageType: (m, c) => RULES.messageType(m.messageType, m, c),
  text: (m, c) => RULES.text(m.text, m, c),
  ttl: (m, c) => RULES.ttl(m.ttl, m, c),
  scheduledSent: (m, c) => RULES.scheduledSent(m.scheduledSent, m, c),
  surveyOptions: (m, c) => RULES.surveyOptions(m.surveyOptions, m, c),
  viberMessage: (m, c) => RULES.viberMessage(m.viberMessage, m, c),
  tgMessage: (m, c) => RULES.tgMessage(m.tgMessage, m, c),
  customerData: (m, c) => RULES.customerData(m.customerData, m, c),
  variables: (m, c) => RULES.variables(m.variables, m, c),
  fallback: (m, c) => RULES.fallback(m.fallback, m, c),
  extra: (m, c) => RULES.extra(m.extra, m, c),
} satisfies Record<MessageField, FieldJudge>;

const KNOWN_FIELDS: ReadonlySet<string> = new Set(Object.keys(FIELD_RULES));

/** The fields of every message; with no readable type, only these are judged. */
export const COMMON_FIELDS = [
  'id',
  'fromName',
  'toPhone',
  'messageType',
  'ttl',
  'scheduledSent',
  'extra',
] as const;

/** Content nested per channel, and inline variables: beside the text of any type that has one. */
const CONTENT_FIELDS = ['viberMessage', 'tgMessage', 'customerData', 'variables'] as const;

/** The fields each type of message carries; any other field is rejected, not dropped. */
export const FIELDS_BY_TYPE: Record<CascadeMessageType, readonly MessageField[]> = {
  transaction: [...COMMON_FIELDS, 'text', ...CONTENT_FIELDS],
  promo: [...COMMON_FIELDS, 'text', ...CONTENT_FIELDS],
  viber_survey: [...COMMON_FIELDS, 'text', 'surveyOptions', ...CONTENT_FIELDS],
  viber_carousel: [...COMMON_FIELDS, 'text', ...CONTENT_FIELDS],
  flashcall: [...COMMON_FIELDS, 'fallback'],
};

/** A field the message's type does not have; its name came from outside, so it is quoted. */
export function unknownField(field: string, messageType: string): RuleBreach {
  const name = keyName(field);
  return {
    code: 'UNKNOWN_FIELD',
    path: name,
    message: `${name} is not a field of a ${messageType} message`,
  };
}
