/**
 * Whether JSON text, as a string or as its UTF-8 bytes, nests arrays and objects deeper than
 * `max`, read in one pass without parsing. A body nested a hundred thousand levels deep parses
 * fine, then overflows the stack of whatever walks it (class-transformer, a validator): check
 * the text first. The structural characters are ASCII, which UTF-8 never uses inside another
 * character, so bytes and code units read alike.
 */
export function jsonNestsDeeperThan(json: string | Uint8Array, max: number): boolean {
  const codeAt =
    typeof json === 'string' ? (i: number) => json.charCodeAt(i) : (i: number) => json[i];
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const code = codeAt(i);
    if (inString) {
      if (code === 0x5c)
        i++; // a backslash: the next character is escaped, even a quote
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      if (++depth > max) return true;
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  return false;
}
