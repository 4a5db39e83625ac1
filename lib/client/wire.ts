import { CASCADE_ENDPOINTS } from '../cascade.constants.js';
import { maskPhone } from '../redact.js';

/**
 * A message that passed the module's checks, as the client takes it (`scheduledSent` may still be
 * a `Date`); the client writes it as the API's wire form.
 */
export type CascadeCheckedMessage = Record<string, unknown>;

/**
 * One call's request, serialized once: every attempt posts the same bytes. Holding bytes and
 * ids rather than the message objects lets those die young, which keeps a long campaign's heap
 * small.
 */
export interface Payload {
  endpoint: keyof typeof CASCADE_ENDPOINTS;
  json: Buffer;
  /** The tracking ids, in order, to line the results up with. */
  ids: string[];
  /** Names the call in a log line, with masked phone numbers only. */
  label: string;
}

export function toPayload(
  endpoint: Payload['endpoint'],
  messages: readonly CascadeCheckedMessage[],
): Payload {
  const phones = messages.slice(0, 2).map((message) => maskPhone(String(message.toPhone)));
  const more = messages.length > 2 ? ` and ${messages.length - 2} more` : '';
  const count = messages.length === 1 ? '1 message' : `${messages.length} messages`;
  return {
    endpoint,
    // A `Date` in `scheduledSent` serializes as UTC ISO 8601, through its `toJSON`.
    json: Buffer.from(JSON.stringify(messages)),
    ids: messages.map((message) => message.id as string),
    label: `POST ${CASCADE_ENDPOINTS[endpoint]} (${count} to ${phones.join(', ')}${more})`,
  };
}
