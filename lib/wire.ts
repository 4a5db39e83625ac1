/** A message as the API takes it: plain JSON, with `scheduledSent` as a string. */
export type WireMessage = Record<string, unknown>;

/** The message to post: a `Date` in `scheduledSent` goes as UTC ISO 8601, the rest as given. */
export function toWire(message: Record<string, unknown>): WireMessage {
  const { scheduledSent } = message;
  return scheduledSent instanceof Date
    ? { ...message, scheduledSent: scheduledSent.toISOString() }
    : message;
}
