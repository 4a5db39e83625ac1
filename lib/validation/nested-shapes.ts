import { quote } from '../redact.js';
import type { RuleBreach } from '../types/violation.types.js';

/**
 * The shapes of a message's nested content, as the vendor's documents show them, and one walker
 * that checks a value against a shape. Where the vendor states no rule, a shape names only the
 * JSON type shown (string, number, array, object); keys a shape does not list are passed
 * through, provided they hold JSON values. Every nested field is also bounded, as a safety
 * measure of the module's own (the vendor states no such limits): at most
 * `MAX_NESTED_DEPTH` levels of objects and arrays, and at most `MAX_NESTED_JSON_LENGTH`
 * characters once serialized.
 */

/** How deep objects and arrays may nest in one field, the field's own value being level 1. */
export const MAX_NESTED_DEPTH = 8;
/** How long one nested field may be, in characters of JSON (64 KiB). */
export const MAX_NESTED_JSON_LENGTH = 65_536;

export type Shape =
  /** Any string, or any finite number, or a whole number. */
  | { kind: 'string' | 'number' | 'integer' }
  /** A string that is neither empty nor blank. */
  | { kind: 'text' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'array'; items: Shape }
  | { kind: 'object'; fields: Readonly<Record<string, Shape>>; required?: readonly string[] };

const string: Shape = { kind: 'string' };
const number: Shape = { kind: 'number' };
const object = (fields: Record<string, Shape>, required: string[] = []): Shape => ({
  kind: 'object',
  fields,
  required,
});
const array = (items: Shape): Shape => ({ kind: 'array', items });

const carouselButton = object({ label: string, actionUrl: string });

const VIBER_FIELDS = {
  receiver: string,
  minApiVersion: number,
  type: string,
  sender: object({ name: string, avatar: string }),
  text: string,
  fallbackText: string,
  ttl: number,
  survey: object({ options: array(string) }, ['options']),
  carousel: object(
    {
      items: array(
        object({
          title: string,
          imageUrl: string,
          primaryButton: carouselButton,
          secondaryButton: carouselButton,
        }),
      ),
    },
    ['items'],
  ),
};

export const SHAPES = {
  viberMessage: object(VIBER_FIELDS),
  /** A carousel message's Viber content must hold the carousel. */
  carouselViberMessage: object(VIBER_FIELDS, ['carousel']),
  tgMessage: object({
    text: string,
    photoUrl: string,
    chatId: number,
    buttons: array(object({ action: string, text: string })),
  }),
  customerData: object({ type: string }),
  variables: array(
    object(
      {
        id: { kind: 'integer' },
        type: { kind: 'enum', values: ['name', 'url', 'short_url'] },
        value: string,
      },
      ['id', 'value'],
    ),
  ),
  fallback: object(
    { messageType: { kind: 'enum', values: ['transaction'] }, text: { kind: 'text' } },
    ['messageType', 'text'],
  ),
  /** No shape but JSON: `extra` is checked only for its bounds and its keys. */
  extra: object({}),
} as const satisfies Record<string, Shape>;

const KIND_NAMES = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  text: 'a non-blank string',
} as const;

/** How much of an outside key a path quotes. */
const QUOTED_KEY_CHARS = 64;

/**
 * A key from outside as a path names it: phone numbers masked, control characters escaped, cut
 * short, since paths reach errors, logs and HTTP answers.
 */
export const keyName = (key: string): string => quote(key, QUOTED_KEY_CHARS);

/** Whether a field counts as not given: optional fields may be undefined or null. */
export const isAbsent = (value: unknown): boolean => value === undefined || value === null;

/** Whether a string holds only white space; most texts start with a printable ASCII character. */
export function isBlank(text: string): boolean {
  const first = text.charCodeAt(0);
  return !(first > 32 && first < 127) && text.trim() === '';
}

export const missing = (path: string): RuleBreach => ({
  code: 'MISSING_FIELD',
  path,
  message: `${path} is required`,
});

/** Whether a value is an object literal or JSON object: not an array, a Date, a Map... */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Whether objects and arrays nest more than `levels` deep in a value, the value itself being
 * level 1. Never walks past that depth, so it is safe on any input, cycles included.
 */
export function nestsDeeperThan(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (levels === 0) return true;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    if (nestsDeeperThan(item, levels - 1)) return true;
  }
  return false;
}

/** A walk's state: the code its breaches carry and how many characters of JSON remain. */
interface Walk {
  code: string;
  left: number;
}

/**
 * Checks a field's value against its shape and the bounds; the breach names the path of the
 * first fault found (`viberMessage.carousel.items[1].title`).
 */
export function checkShape(
  field: string,
  value: unknown,
  shape: Shape,
  code: string,
): RuleBreach | undefined {
  const walk: Walk = { code, left: MAX_NESTED_JSON_LENGTH };
  const breach = visit(value, shape, field, 1, walk);
  if (breach) return breach;
  if (walk.left < 0) return tooLarge(field, walk);
  return undefined;
}

const tooLarge = (field: string, walk: Walk): RuleBreach => ({
  code: walk.code,
  path: field,
  message: `${field} must be at most ${MAX_NESTED_JSON_LENGTH} characters as JSON`,
});

const fault = (path: string, walk: Walk, message: string): RuleBreach => ({
  code: walk.code,
  path,
  message: `${path} ${message}`,
});

function visit(
  value: unknown,
  shape: Shape | undefined,
  path: string,
  depth: number,
  walk: Walk,
): RuleBreach | undefined {
  switch (shape?.kind) {
    case undefined:
      return visitJson(value, path, depth, walk);
    case 'string':
    case 'text':
      if (typeof value !== 'string' || (shape.kind === 'text' && isBlank(value))) {
        return fault(path, walk, `must be ${KIND_NAMES[shape.kind]}`);
      }
      return visitJson(value, path, depth, walk);
    case 'number':
    case 'integer':
      if (
        typeof value !== 'number' ||
        !(shape.kind === 'integer' ? Number.isSafeInteger(value) : Number.isFinite(value))
      ) {
        return fault(path, walk, `must be ${KIND_NAMES[shape.kind]}`);
      }
      return visitJson(value, path, depth, walk);
    case 'enum':
      if (!shape.values.includes(value as string)) {
        return fault(path, walk, `must be one of ${shape.values.join(', ')}`);
      }
      return visitJson(value, path, depth, walk);
    case 'array':
      if (!Array.isArray(value)) return fault(path, walk, 'must be an array');
      return visitContainer(value, shape, path, depth, walk);
    case 'object':
      if (!isPlainObject(value)) return fault(path, walk, 'must be an object');
      for (const key of shape.required ?? []) {
        if (isAbsent(value[key])) return missing(`${path}.${key}`);
      }
      return visitContainer(value, shape, path, depth, walk);
  }
}

/** Any JSON value: a string, a finite number, a boolean, null, an array or a plain object. */
function visitJson(
  value: unknown,
  path: string,
  depth: number,
  walk: Walk,
): RuleBreach | undefined {
  switch (typeof value) {
    case 'string':
      // A string longer than what is left needs no exact count (nor the copy it takes).
      walk.left -= value.length >= walk.left ? value.length + 2 : JSON.stringify(value).length;
      return undefined;
    case 'number':
      if (!Number.isFinite(value)) return fault(path, walk, 'must be a finite number');
      walk.left -= String(value).length;
      return undefined;
    case 'boolean':
      walk.left -= value ? 4 : 5;
      return undefined;
    case 'object':
      if (value === null) {
        walk.left -= 4;
        return undefined;
      }
      if (Array.isArray(value) || isPlainObject(value)) {
        return visitContainer(value, undefined, path, depth, walk);
      }
  }
  return fault(path, walk, 'must be a JSON value');
}

/** An array's items or an object's fields, each against its shape (if any), within the bounds. */
function visitContainer(
  value: readonly unknown[] | Record<string, unknown>,
  shape: Shape | undefined,
  path: string,
  depth: number,
  walk: Walk,
): RuleBreach | undefined {
  if (depth > MAX_NESTED_DEPTH) {
    return fault(path, walk, `must not nest deeper than ${MAX_NESTED_DEPTH} levels`);
  }
  walk.left -= 2;
  if (Array.isArray(value)) {
    const items = shape?.kind === 'array' ? shape.items : undefined;
    for (let i = 0; i < value.length && walk.left >= 0; i++) {
      // A hole or undefined is not JSON: the serializer would send null in its place.
      if (value[i] === undefined) return fault(`${path}[${i}]`, walk, 'must be a JSON value');
      if (i > 0) walk.left -= 1;
      const breach = visit(value[i], items, `${path}[${i}]`, depth + 1, walk);
      if (breach) return breach;
    }
    return undefined;
  }
  const fields = shape?.kind === 'object' ? shape.fields : {};
  let first = true;
  for (const key of Object.keys(value)) {
    if (walk.left < 0) break;
    const item = (value as Record<string, unknown>)[key];
    // The serializer leaves out an undefined field.
    if (item === undefined) continue;
    walk.left -= JSON.stringify(key).length + (first ? 1 : 2);
    first = false;
    const listed = Object.hasOwn(fields, key);
    // A listed field may be null for absent, as the message's own optional fields may.
    if (item === null && listed) {
      walk.left -= 4;
      continue;
    }
    const at = `${path}.${listed ? key : keyName(key)}`;
    const breach = visit(item, listed ? fields[key] : undefined, at, depth + 1, walk);
    if (breach) return breach;
  }
  return undefined;
}
