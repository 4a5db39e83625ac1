import fc from 'fast-check';
import { TrackingIdSet } from '../../lib/bulk/tracking-id-set.js';

describe('TrackingIdSet', () => {
  it('tells a new id from one it holds', () => {
    const ids = new TrackingIdSet();

    expect(ids.add('order-1')).toBe(true);
    expect(ids.add('order-2')).toBe(true);
    expect(ids.add('order-1')).toBe(false);
    expect(ids.size).toBe(2);
  });

  it('keeps ids apart that differ by a character, a length or a prefix', () => {
    const ids = new TrackingIdSet();

    for (const id of ['a', 'ab', 'abc', 'b', 'ba', 'a:b', 'a.b']) expect(ids.add(id)).toBe(true);
    for (const id of ['a', 'ab', 'abc', 'b', 'ba', 'a:b', 'a.b']) expect(ids.add(id)).toBe(false);
  });

  it('stays exact past many rehashes and arena growths', () => {
    const ids = new TrackingIdSet();
    // Gathered, then compared once: 200,000 expect calls would take Jest seconds.
    const refused: number[] = [];
    const taken: number[] = [];
    for (let i = 0; i < 200_000; i++) if (!ids.add(`campaign-2026:${i}`)) refused.push(i);
    for (let i = 0; i < 200_000; i += 997) if (ids.add(`campaign-2026:${i}`)) taken.push(i);

    expect(refused).toEqual([]);
    expect(taken).toEqual([]);
    expect(ids.size).toBe(200_000);
  });

  it('stays exact when sized for a campaign, and past that size', () => {
    const ids = new TrackingIdSet(5000);
    const refused: number[] = [];
    const taken: number[] = [];
    // Twice the expected count, with ids longer than the room made for them.
    for (let i = 0; i < 10_000; i++) if (!ids.add(`${'x'.repeat(40)}-${i}`)) refused.push(i);
    for (let i = 0; i < 10_000; i += 7) if (ids.add(`${'x'.repeat(40)}-${i}`)) taken.push(i);

    expect(refused).toEqual([]);
    expect(taken).toEqual([]);
    expect(ids.size).toBe(10_000);
  });

  it('agrees with a Set on any sequence of valid ids', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,12}$/), { maxLength: 300 }),
        (list) => {
          const compact = new TrackingIdSet();
          const plain = new Set<string>();
          for (const id of list) {
            expect(compact.add(id)).toBe(!plain.has(id));
            plain.add(id);
          }
          expect(compact.size).toBe(plain.size);
        },
      ),
    );
  });
});
