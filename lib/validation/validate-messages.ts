import { MAX_MESSAGES_PER_CALL, MESSAGE_TYPES } from '../cascade.constants.js';
import { CascadeValidationError } from '../errors/cascade-validation.error.js';
import type { CascadeMessageType } from '../types/message.types.js';
import type { CascadeViolation, RuleBreach } from '../types/violation.types.js';
import {
  COMMON_FIELDS,
  FIELD_JUDGES,
  FIELD_RULES,
  type FieldJudge,
  FIELDS_BY_TYPE,
  type MessageField,
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

/** Fields to judge, in the order violations are reported, and their judges. */
interface Judging {
  fields: readonly MessageField[];
  judges: readonly FieldJudge[];
}
const judging = (fields: readonly MessageField[]): Judging => ({
  fields,
  judges: fields.map((field) => FIELD_JUDGES[field]),
});
const JUDGING_BY_TYPE = new Map<unknown, Judging>(
  MESSAGE_TYPES.map((type) => [type, judging(FIELDS_BY_TYPE[type])]),
);
const COMMON_JUDGING = judging(COMMON_FIELDS);

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
  // With no readable type, the type's own fields are unknown: judge the common ones only.
  const { fields: names, judges } = JUDGING_BY_TYPE.get(type) ?? COMMON_JUDGING;
  // Allocated only for a broken rule: campaigns check millions of valid messages.
  let violations: CascadeViolation[] | undefined;
  for (let i = 0; i < judges.length; i++) {
    const breach = judges[i](fields, context);
    if (breach) (violations ??= []).push(toViolation(index, message, names[i], breach));
  }
  const known = ALLOWED_SETS.get(type as CascadeMessageType);
  if (known) {
    for (const key in fields) {
      if (!known.has(key)) {
        const breach = unknownField(key, type as CascadeMessageType);
        (violations ??= []).push(toViolation(index, message, key, breach));
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
