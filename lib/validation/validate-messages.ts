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

/**
 * How a type's valid message is checked in one pass: each field the type has, with its check
 * when an absent value passes it (`null` otherwise), and the checks that must run on every
 * message because an absent value may fail them.
 */
interface TypePlan {
  fields: Map<string, FieldCheck | null>;
  always: [field: string, check: FieldCheck][];
}

const PLANS = new Map<unknown, TypePlan>(
  MESSAGE_TYPES.map((type) => {
    const fields = new Map<string, FieldCheck | null>();
    const always: TypePlan['always'] = [];
    for (const field of FIELDS_BY_TYPE[type]) {
      const check: FieldCheck = FIELD_RULES[field];
      const optional = passesWhenAbsent(check);
      fields.set(field, optional ? check : null);
      if (!optional) always.push([field, check]);
    }
    return [type, { fields, always }];
  }),
);

/**
 * Whether a message passes every rule of its type, judged in one pass over the fields it has:
 * the fields it leaves out are judged only where an absent value may fail. Campaigns check
 * millions of valid messages, so this is the hot path; any failure is described by the full
 * walk in `validateMessage`, in the order of the type's fields.
 */
function passes(fields: Record<string, unknown>, plan: TypePlan, context: RuleContext): boolean {
  for (const key in fields) {
    const check = plan.fields.get(key);
    if (check === undefined) return false;
    if (check !== null && check(fields[key], fields, context)) return false;
  }
  for (const [field, check] of plan.always) {
    if (check(fields[field], fields, context)) return false;
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
