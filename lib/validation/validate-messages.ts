import { MAX_MESSAGES_PER_CALL, MESSAGE_TYPES } from '../cascade.constants.js';
import { CascadeValidationError } from '../errors/cascade-validation.error.js';
import type { CascadeMessageType } from '../types/message.types.js';
import type { CascadeViolation, RuleBreach } from '../types/violation.types.js';
import {
  COMMON_FIELDS,
  FIELD_RULES,
  type FieldCheck,
  FIELDS_BY_TYPE,
  passesWhenAbsent,
  type RuleContext,
  unknownField,
} from './message-rules.js';
import { isAbsent } from './nested-shapes.js';

/** A broken rule as a violation, named by the path inside the field when the rule gives one. */
export function toViolation(index: number, message: unknown, field: string, breach: RuleBreach) {
  const id = (message as { id?: unknown } | null)?.id;
  // Only a valid id is named: an invalid one may be huge or hold anything, and the index
  // already says which message is meant.
  const named = FIELD_RULES.id(id) === undefined ? { id: id as string } : {};
  const { code, message: text, path = field } = breach;
  return { index, ...named, field: path, code, message: text } as CascadeViolation;
}

export function isMessageType(value: unknown): value is CascadeMessageType {
  return (MESSAGE_TYPES as readonly unknown[]).includes(value);
}

/** Each type's fields as a set, for the unknown-field check on the hot path. */
const ALLOWED_SETS = new Map(
  MESSAGE_TYPES.map((type) => [type, new Set<string>(FIELDS_BY_TYPE[type])] as const),
);

/** What a valid message gives: shared, so never to be changed. */
const NO_VIOLATIONS: readonly CascadeViolation[] = Object.freeze([]);

/** A field of a type's one-pass check: its rule, its bit, and whether an absent value passes. */
interface PlannedField {
  field: string;
  check: FieldCheck;
  bit: number;
  optional: boolean;
}

/** How a type's valid message is checked in one pass: each field the type has, by name. */
interface TypePlan {
  fields: Map<string, PlannedField>;
  list: PlannedField[];
  /** The bits of every field. */
  all: number;
}

const PLANS = new Map<unknown, TypePlan>(
  MESSAGE_TYPES.map((type) => {
    const plan: TypePlan = { fields: new Map(), list: [], all: 0 };
    FIELDS_BY_TYPE[type].forEach((field, i) => {
      const check: FieldCheck = FIELD_RULES[field];
      const planned = { field, check, bit: 1 << i, optional: passesWhenAbsent(check) };
      plan.fields.set(field, planned);
      plan.list.push(planned);
      plan.all |= planned.bit;
    });
    return [type, plan];
  }),
);

/**
 * Whether a message passes every rule of its type, judged in one pass over the fields it has.
 * Of the fields the pass did not meet, a required one is judged as absent; an optional one
 * must be absent, since a value the pass cannot see (inherited, not enumerable, a getter) is
 * still read when the message is written. Campaigns check millions of valid messages, so this
 * is the hot path; any doubt goes to the full walk in `validateMessage`, which describes every
 * violation in the order of the type's fields.
 */
function passes(fields: Record<string, unknown>, plan: TypePlan, context: RuleContext): boolean {
  let seen = 0;
  for (const key in fields) {
    const planned = plan.fields.get(key);
    if (planned === undefined || planned.check(fields[key], fields, context)) return false;
    seen |= planned.bit;
  }
  if (seen === plan.all) return true;
  for (const { field, check, bit, optional } of plan.list) {
    if ((seen & bit) !== 0) continue;
    const value = fields[field];
    if (optional ? !isAbsent(value) : check(value, fields, context)) return false;
  }
  return true;
}

/** Checks one message against every rule of its type; an empty array means it is valid. */
export function validateMessage(
  message: unknown,
  index: number,
  context: RuleContext,
): readonly CascadeViolation[] {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return [
      toViolation(index, undefined, '', {
        code: 'INVALID_MESSAGE',
        message: 'a message must be a JSON object',
      }),
    ];
  }
  const fields = message as Record<string, unknown>;
  const type = fields.messageType;
  const plan = PLANS.get(type);
  if (plan !== undefined && passes(fields, plan, context)) return NO_VIOLATIONS;
  // With no readable type, the type's own fields are unknown: judge the common ones only.
  const allowed = isMessageType(type) ? FIELDS_BY_TYPE[type] : COMMON_FIELDS;
  // Allocated only for a broken rule: campaigns check millions of valid messages.
  let violations: CascadeViolation[] | undefined;
  for (const field of allowed) {
    const breach = FIELD_RULES[field](fields[field], fields, context);
    if (breach) (violations ??= []).push(toViolation(index, message, field, breach));
  }
  if (isMessageType(type)) {
    const known = ALLOWED_SETS.get(type)!;
    for (const key in fields) {
      if (!known.has(key)) {
        (violations ??= []).push(toViolation(index, message, key, unknownField(key, type)));
      }
    }
  }
  return violations ?? NO_VIOLATIONS;
}

/** Reports every tracking id that an earlier message of the same call already used. */
export function duplicateIdViolations(messages: readonly unknown[]): CascadeViolation[] {
  const seen = new Map<string, number>();
  const violations: CascadeViolation[] = [];
  messages.forEach((message, index) => {
    const id = (message as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') return;
    const first = seen.get(id);
    if (first === undefined) {
      seen.set(id, index);
    } else {
      violations.push(
        toViolation(index, message, 'id', {
          code: 'DUPLICATE_ID',
          message: `id repeats the id of message ${first}`,
        }),
      );
    }
  });
  return violations;
}

/** Checks a whole call: every message, then that no tracking id repeats. */
export function validateMessages(
  messages: readonly unknown[],
  context: RuleContext,
): CascadeViolation[] {
  const violations = messages.flatMap((message, index) => validateMessage(message, index, context));
  return violations.concat(duplicateIdViolations(messages));
}

/**
 * Checks a whole call (1 to 1000 messages, each valid, no tracking id twice) and throws a
 * `CascadeValidationError` listing every violation; nothing may be sent then.
 */
export function assertValidCall(messages: readonly unknown[], context: RuleContext): void {
  const violations =
    messages.length >= 1 && messages.length <= MAX_MESSAGES_PER_CALL
      ? validateMessages(messages, context)
      : [
          {
            field: 'messages',
            code: 'INVALID_BATCH',
            message: `a call carries 1 to ${MAX_MESSAGES_PER_CALL} messages, not ${messages.length}`,
          },
        ];
  if (violations.length > 0) throw new CascadeValidationError(violations);
}
