import {
  ITEMS_PER_PART,
  MAX_FREE_BUFFERS,
  MAX_POOLED_BYTES,
  MIN_POOLED_BYTES,
  PayloadBuffers,
} from '../../lib/client/payload-buffers.js';

/** A JSON text of about `bytes` bytes, with non-ASCII text so that bytes and characters differ. */
const json = (bytes: number, mark = 'a') =>
  JSON.stringify({ mark, text: 'Ваше замовлення ✓ '.repeat(Math.ceil(bytes / 40)) });

describe('PayloadBuffers', () => {
  it('encodes a body as UTF-8, byte for byte what Buffer.from gives', () => {
    const buffers = new PayloadBuffers();
    for (const text of [json(100), json(MIN_POOLED_BYTES * 2)]) {
      expect(buffers.encode(text).equals(Buffer.from(text))).toBe(true);
    }
  });

  it('uses a large body’s buffer again once it is released, and only then', () => {
    const buffers = new PayloadBuffers();
    const first = buffers.encode(json(MIN_POOLED_BYTES * 2, 'first'));
    const second = buffers.encode(json(MIN_POOLED_BYTES * 2, 'second'));
    expect(second.buffer).not.toBe(first.buffer);
    // The first body is still in use: the second must not have overwritten it.
    expect(JSON.parse(first.toString()).mark).toBe('first');

    buffers.release(first);
    const third = buffers.encode(json(MIN_POOLED_BYTES * 2, 'third'));

    expect(third.buffer).toBe(first.buffer);
    expect(JSON.parse(third.toString()).mark).toBe('third');
    expect(JSON.parse(second.toString()).mark).toBe('second');
  });

  it('takes a buffer back once however often it is released, so no two bodies share it', () => {
    const buffers = new PayloadBuffers();
    const body = buffers.encode(json(MIN_POOLED_BYTES * 2));
    buffers.release(body);
    buffers.release(body);

    const a = buffers.encode(json(MIN_POOLED_BYTES * 2, 'a'));
    const b = buffers.encode(json(MIN_POOLED_BYTES * 2, 'b'));

    expect(a.buffer).not.toBe(b.buffer);
  });

  it('leaves small bodies, bodies it did not make, and very large buffers alone', () => {
    const buffers = new PayloadBuffers();
    const small = buffers.encode(json(100));
    buffers.release(small);
    buffers.release(Buffer.from(json(MIN_POOLED_BYTES * 2)));
    const huge = buffers.encode(json(MAX_POOLED_BYTES * 2));
    buffers.release(huge);

    const next = buffers.encode(json(MIN_POOLED_BYTES * 2));
    const nextHuge = buffers.encode(json(MAX_POOLED_BYTES * 2));

    expect(next.buffer).not.toBe(small.buffer);
    expect(nextHuge.buffer).not.toBe(huge.buffer);
  });

  it(`keeps at most ${MAX_FREE_BUFFERS} free buffers`, () => {
    const buffers = new PayloadBuffers();
    const bodies = Array.from({ length: MAX_FREE_BUFFERS + 2 }, () =>
      buffers.encode(json(MIN_POOLED_BYTES * 2)),
    );
    bodies.forEach((body) => buffers.release(body));

    const again = Array.from({ length: MAX_FREE_BUFFERS + 2 }, () =>
      buffers.encode(json(MIN_POOLED_BYTES * 2)),
    );

    const reused = again.filter((body) => bodies.some((old) => old.buffer === body.buffer));
    expect(reused).toHaveLength(MAX_FREE_BUFFERS);
  });

  it('gives a larger body a larger buffer rather than a free one too small', () => {
    const buffers = new PayloadBuffers();
    const small = buffers.encode(json(MIN_POOLED_BYTES * 2));
    buffers.release(small);

    const large = buffers.encode(json(MIN_POOLED_BYTES * 8, 'large'));

    expect(large.buffer).not.toBe(small.buffer);
    expect(JSON.parse(large.toString()).mark).toBe('large');
  });

  describe('an array written a part at a time', () => {
    /** `count` items; `chars` of non-ASCII text in each, so bytes and characters differ. */
    const items = (count: number, chars = 40) =>
      Array.from({ length: count }, (_, i) => ({ i, text: 'Ваше ✓ '.repeat(chars / 8), ok: true }));

    it.each([0, 1, ITEMS_PER_PART, ITEMS_PER_PART + 1, ITEMS_PER_PART * 3 - 1, 1000])(
      'writes an array of %i items byte for byte as JSON.stringify and Buffer.from do',
      (count) => {
        const array = items(count);
        expect(
          new PayloadBuffers().encodeArray(array).equals(Buffer.from(JSON.stringify(array))),
        ).toBe(true);
      },
    );

    it('grows its buffer while writing, and keeps what it wrote', () => {
      const buffers = new PayloadBuffers();
      // Starts in a free buffer far too small for the parts that follow.
      buffers.release(buffers.encode(json(MIN_POOLED_BYTES)));
      const array = items(ITEMS_PER_PART * 4, 2000);

      const body = buffers.encodeArray(array);

      expect(body.length).toBeGreaterThan(MIN_POOLED_BYTES * 8);
      expect(body.equals(Buffer.from(JSON.stringify(array)))).toBe(true);
    });

    it('uses a released buffer again, as a body written whole does', () => {
      const buffers = new PayloadBuffers();
      const first = buffers.encodeArray(items(1000));
      buffers.release(first);

      const second = buffers.encodeArray(items(1000));

      expect(second.buffer).toBe(first.buffer);
    });

    it('hands each item’s toJSON its index in the whole array', () => {
      // JSON.stringify calls `toJSON(key)` with the item's index; parts of 100 restart at 0.
      const items = Array.from({ length: 150 }, () => ({ toJSON: (key: string) => key }));

      expect(new PayloadBuffers().encodeArray(items).toString()).toBe(JSON.stringify(items));
    });
  });
});
