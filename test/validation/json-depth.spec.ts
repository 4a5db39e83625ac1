import { jsonNestsDeeperThan } from 'nestjs-smsbat-cascade';

describe('jsonNestsDeeperThan', () => {
  const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

  it.each([
    ['a string', (text: string) => text],
    ['UTF-8 bytes', (text: string) => Buffer.from(text)],
  ])('counts the levels of objects and arrays in %s', (_label, as) => {
    expect(jsonNestsDeeperThan(as(nested(32)), 32)).toBe(false);
    expect(jsonNestsDeeperThan(as(nested(33)), 32)).toBe(true);
    expect(jsonNestsDeeperThan(as(nested(100_000)), 32)).toBe(true);
    expect(jsonNestsDeeperThan(as('{"a":{"b":[1,{"c":2}]}}'), 4)).toBe(false);
    expect(jsonNestsDeeperThan(as('{"a":{"b":[1,{"c":2}]}}'), 3)).toBe(true);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ text: `"[[[[{{{{ \\" ]]]]` + '['.repeat(50) });
    expect(jsonNestsDeeperThan(text, 1)).toBe(false);
    expect(jsonNestsDeeperThan(Buffer.from(`{"é":"${'['.repeat(50)}"}`), 1)).toBe(false);
  });
});
