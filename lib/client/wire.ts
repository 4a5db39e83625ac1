import { maskPhone } from '../redact.js';
import type { CascadeDialect } from '../types/dialect.types.js';
import type { CascadeEndpoint } from '../types/options.types.js';
import { CascadePreparedPost } from './prepared-post.js';

/**
 * A message that passed the module's checks, as the client takes it (`scheduledSent` may still
 * be a `Date`); the client writes it in the API's wire form.
 */
export type CascadeCheckedMessage = Record<string, unknown>;

/**
 * The message as the account's dialect has it: the scheduled time under the dialect's field
 * name, the phone with or without `+`, and the `extra` fields merged in, unchecked. A message
 * that needs none of this is posted as it is, uncopied.
 */
function toWire(message: CascadeCheckedMessage, dialect: CascadeDialect): CascadeCheckedMessage {
  const { extra, scheduledSent, toPhone } = message;
  const renames = scheduledSent !== undefined && dialect.scheduledSentField !== 'scheduledSent';
  const digits = dialect.phoneFormat === 'digits';
  if (extra === undefined && !renames && !digits) return message;
  const wire: CascadeCheckedMessage = { ...message };
  delete wire.extra;
  if (renames) {
    delete wire.scheduledSent;
    wire[dialect.scheduledSentField] = scheduledSent;
  }
  if (digits && typeof toPhone === 'string') wire.toPhone = toPhone.replace(/^\+/, '');
  return extra === undefined ? wire : { ...wire, ...(extra as object) };
}

/**
 * Serializes checked messages for one post: every attempt of that post sends these same bytes.
 * Holding bytes and ids rather than the message objects lets those die young, which keeps a long
 * campaign's heap small.
 */
export function preparePost(
  endpoint: CascadeEndpoint,
  path: string,
  messages: readonly CascadeCheckedMessage[],
  dialect: CascadeDialect,
  encode: (wire: readonly CascadeCheckedMessage[]) => Buffer,
): CascadePreparedPost {
  const phones = messages.slice(0, 2).map((message) => maskPhone(String(message.toPhone)));
  const more = messages.length > 2 ? ` and ${messages.length - 2} more` : '';
  const count = messages.length === 1 ? '1 message' : `${messages.length} messages`;
  const ids = messages.map((message) => message.id as string);
  return new CascadePreparedPost(endpoint, ids, {
    // `encode` writes the messages as a JSON array. A `Date` in `scheduledSent` serializes as
    // UTC ISO 8601, through its `toJSON`.
    json: encode(messages.map((message) => toWire(message, dialect))),
    label: `POST ${path} (${count} to ${phones.join(', ')}${more})`,
  });
}
