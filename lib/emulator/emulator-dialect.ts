import type { CascadeDialect } from '../types/dialect.types.js';
import type { CascadeViolation } from '../types/violation.types.js';
import {
  FIELDS_BY_TYPE,
  parseIsoDateTime,
  SCHEDULE_CLOCK_SKEW_MS,
  unknownField,
} from '../validation/message-rules.js';
import { isMessageType, toViolation, validateMessages } from '../validation/validate-messages.js';

export const DEFAULT_DIALECT: CascadeDialect = {
  scheduledSentField: 'scheduledSent',
  phoneFormat: 'e164',
};

// Records rather than arrays, so that the compiler checks each list names every variant.
const SCHEDULED_FIELD_SET: Record<CascadeDialect['scheduledSentField'], true> = {
  scheduledSent: true,
  sheduledSent: true,
  scheduledTime: true,
};
const PHONE_FORMAT_SET: Record<CascadeDialect['phoneFormat'], true> = { e164: true, digits: true };

/** Every name the vendor's pages give the scheduled time. */
export const SCHEDULED_FIELDS = Object.keys(
  SCHEDULED_FIELD_SET,
) as CascadeDialect['scheduledSentField'][];
/** Every phone format the vendor's pages show. */
export const PHONE_FORMATS = Object.keys(PHONE_FORMAT_SET) as CascadeDialect['phoneFormat'][];

// The developer portal's and the website's form: the country code and number, without `+`.
const DIGITS_PHONE = /^[1-9]\d{6,14}$/;
const DIGITS_PHONE_MESSAGE =
  'toPhone must be the country code and the number in digits, without "+" (380501234567, not +380501234567)';

export interface CallReading {
  /** Each message as the shared rules and the lifecycle read it: `scheduledSent`, `+` phone. */
  views: unknown[];
  /** What is wrong with the call, first message first; empty when it is accepted. */
  violations: CascadeViolation[];
}

/**
 * Reads a call's messages in a dialect. Strict, it takes only what the dialect sends and judges
 * it by the shared rules as they stand. Lenient (the default), it takes anything one of the
 * vendor's own examples or clients sends: either scheduled-time field, either phone format,
 * fields the rules do not know (dropped), and a time in the past (sent at once, since no vendor
 * page says such a time is refused).
 */
export function readCall(
  messages: readonly unknown[],
  { dialect, strict, now }: { dialect: CascadeDialect; strict: boolean; now: number },
): CallReading {
  const extra: CascadeViolation[] = [];
  const views = messages.map((message, index) => {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return message;
    const view: Record<string, unknown> = { ...message };
    const type = view.messageType;
    const time = strict
      ? view[dialect.scheduledSentField]
      : // Lenient, the dialect's own field wins when a message carries more than one.
        [dialect.scheduledSentField, ...SCHEDULED_FIELDS]
          .map((field) => view[field])
          .find((value) => value !== undefined);
    for (const field of SCHEDULED_FIELDS) {
      const foreign = field !== dialect.scheduledSentField && view[field] !== undefined;
      if (strict && foreign && isMessageType(type)) {
        extra.push(toViolation(index, message, field, unknownField(field, type)));
      }
      delete view[field];
    }
    if (time !== undefined) view.scheduledSent = time;
    if (!strict && typeof time === 'string') {
      if (parseIsoDateTime(time, false) < now - SCHEDULE_CLOCK_SKEW_MS) delete view.scheduledSent;
    }
    const phone = view.toPhone;
    if (typeof phone === 'string' && (!strict || dialect.phoneFormat === 'digits')) {
      if (DIGITS_PHONE.test(phone)) {
        view.toPhone = `+${phone}`;
      } else if (strict && phone.startsWith('+') && DIGITS_PHONE.test(phone.slice(1))) {
        extra.push(
          toViolation(index, message, 'toPhone', {
            code: 'INVALID_PHONE',
            message: DIGITS_PHONE_MESSAGE,
          }),
        );
      }
    }
    if (!strict && isMessageType(type)) {
      const known: readonly string[] = FIELDS_BY_TYPE[type];
      for (const key of Object.keys(view)) if (!known.includes(key)) delete view[key];
    }
    return view;
  });
  const judged = validateMessages(views, { now, requireZone: false }).map((violation) =>
    inDialect(violation, dialect, strict),
  );
  const violations = [...extra, ...judged].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  return { views, violations };
}

/** Says a rule's violation in the dialect's own words: its field name, its phone format. */
function inDialect(
  violation: CascadeViolation,
  dialect: CascadeDialect,
  strict: boolean,
): CascadeViolation {
  if (!strict) return violation;
  if (violation.field === 'scheduledSent' && dialect.scheduledSentField !== 'scheduledSent') {
    return {
      ...violation,
      field: dialect.scheduledSentField,
      message: violation.message.replaceAll('scheduledSent', dialect.scheduledSentField),
    };
  }
  if (violation.code === 'INVALID_PHONE' && dialect.phoneFormat === 'digits') {
    return { ...violation, message: DIGITS_PHONE_MESSAGE };
  }
  return violation;
}
