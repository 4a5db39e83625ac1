/** A checked message as a job carries it. */
export type QueuedMessage = Record<string, unknown>;

export const trackingIdOf = (message: QueuedMessage) => String(message.id);

/** Splits items into runs of at most `size`, in order. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let at = 0; at < items.length; at += size) chunks.push(items.slice(at, at + size));
  return chunks;
}
