/** Bodies smaller than this are encoded into fresh buffers: Node pools small ones itself. */
export const MIN_POOLED_BYTES = 64 * 1024;
/** A buffer larger than this is left to the collector rather than kept for the next body. */
export const MAX_POOLED_BYTES = 1024 * 1024;
/** Free buffers kept, enough for a campaign's concurrent batches. */
export const MAX_FREE_BUFFERS = 4;
/**
 * Items of an array serialized at a time. Each part's text stays small, clear of V8's space for
 * large objects: a batch's 180 KB text, made whole, cost about half as much again as the
 * serializing itself, to allocate and then flatten.
 */
export const ITEMS_PER_PART = 100;

const COMMA = 0x2c;
const CLOSING_BRACKET = 0x5d;
const EMPTY = Buffer.alloc(0);
const hasToJson = (item: unknown) =>
  typeof (item as { toJSON?: unknown } | null)?.toJSON === 'function';

/**
 * Byte buffers for large request bodies, used again once a request has been written out. A
 * batch of 1000 messages is about 180 KB of JSON, and a fresh buffer for each (new pages for
 * the kernel to fault in, and memory outside the heap for the collector to track) cost a
 * campaign more than encoding the JSON did. A buffer comes back only when every request that
 * carried it flushed every byte to its socket, so no pending write can read the next body.
 */
export class PayloadBuffers {
  private readonly free: Buffer[] = [];
  /** The buffers out in bodies: only those come back, and each once. */
  private readonly lent = new WeakSet<ArrayBufferLike>();

  /** `json` as UTF-8 bytes: in a buffer of the pool when it is large. */
  encode(json: string): Buffer {
    const length = Buffer.byteLength(json);
    if (length < MIN_POOLED_BYTES) return Buffer.from(json);
    const at = this.free.findIndex((buffer) => buffer.length >= length);
    const buffer = at >= 0 ? this.free.splice(at, 1)[0] : this.allocate(length);
    this.lent.add(buffer.buffer);
    buffer.write(json);
    return buffer.subarray(0, length);
  }

  /** `items` as a JSON array in UTF-8 bytes, the text made and written a part at a time. */
  encodeArray(items: readonly unknown[]): Buffer {
    // An item's own `toJSON` is handed its index, which a part would restart at 0.
    if (items.length <= ITEMS_PER_PART || items.some(hasToJson)) {
      return this.encode(JSON.stringify(items));
    }
    let buffer = this.free.pop() ?? EMPTY;
    let length = 0;
    for (let i = 0; i < items.length; i += ITEMS_PER_PART) {
      const part = JSON.stringify(items.slice(i, i + ITEMS_PER_PART));
      // A UTF-16 unit takes at most 3 bytes in UTF-8: a part that may not fit grows the buffer,
      // to what the parts so far foretell for the whole, so that it grows once.
      if (buffer.length - length < part.length * 3) {
        const done = Math.min(i + ITEMS_PER_PART, items.length);
        const foretold = ((length + part.length) / done) * items.length * 1.125;
        const larger = this.allocate(Math.max(length + part.length * 3, foretold));
        buffer.copy(larger, 0, 0, length);
        buffer = larger;
      }
      // Each part is an array: its `[` becomes the comma after the last part, and its `]` is
      // written over by the next part, or else closes the whole.
      const written = buffer.write(part, length);
      if (i > 0) buffer[length] = COMMA;
      length += written - 1;
    }
    buffer[length++] = CLOSING_BRACKET;
    this.lent.add(buffer.buffer);
    return buffer.subarray(0, length);
  }

  /** Takes back the buffer of `bytes` once the request that sent them has written them all. */
  release(bytes: Buffer): void {
    const { buffer } = bytes;
    if (!this.lent.delete(buffer)) return;
    if (this.free.length < MAX_FREE_BUFFERS && buffer.byteLength <= MAX_POOLED_BYTES) {
      this.free.push(Buffer.from(buffer));
    }
  }

  /** A buffer with room to spare, so that a slightly larger next body fits too. */
  private allocate(length: number): Buffer {
    return Buffer.allocUnsafeSlow(2 ** Math.ceil(Math.log2(length)));
  }
}
