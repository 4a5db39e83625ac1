/**
 * A message's job id is its tracking id, so BullMQ adds a message only once however often it is
 * enqueued. BullMQ refuses ids that are integers or hold ':', which tracking ids may be.
 */
export const jobIdOf = (trackingId: string) => `msg-${trackingId.replaceAll(':', '%3A')}`;
