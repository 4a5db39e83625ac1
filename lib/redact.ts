// Text that came from outside (an upstream's error, a webhook, a request body) is untrusted: it
// may repeat a credential, carry a phone number, forge log lines or be huge. Everything below
// is pure, so every layer can use it.

/** Keeps the country code's first digits and the last four: `+380*****4567`. */
export function maskPhone(phone: string): string {
  if (phone.length <= 8) return '*'.repeat(phone.length);
  return `${phone.slice(0, 4)}${'*'.repeat(phone.length - 8)}${phone.slice(-4)}`;
}

// A run of digits that may hold the separators people write phone numbers with (spaces, dots,
// dashes, brackets), with an optional leading `+`. It must not touch a letter, a digit, `_` or
// `-` on either side, so a UUID's or an order number's digit groups are left alone.
const PHONE_LIKE = /(?<![\w-])(?:\+|\(\+?)?\d(?:[\d\s.()-]*\d)?(?![\w-])/g;
const MIN_PHONE_DIGITS = 9;
// E.164 allows 15 digits; longer runs are ids or amounts, not phone numbers.
const MAX_PHONE_DIGITS = 15;
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;

/** Masks every phone number in free text, in any of the shapes people write them. */
export function redactPhones(text: string): string {
  return text.replace(PHONE_LIKE, (match) => {
    const digits = match.replace(/\D/g, '');
    if (digits.length < MIN_PHONE_DIGITS || digits.length > MAX_PHONE_DIGITS) return match;
    if (DATE_LIKE.test(match)) return match;
    return maskPhone(`${/^\(?\+/.test(match) ? '+' : ''}${digits}`);
  });
}

// C0 and C1 controls (ANSI escapes start with ESC, U+001B), DEL, and the Unicode line and
// paragraph separators: each could end a log line early or recolour a terminal.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** The most characters of one outside text that a log line or an error quotes. */
export const MAX_QUOTED_CHARS = 200;

/**
 * Makes outside text safe to put in a log line or an error: phone numbers masked, control
 * characters and line separators escaped (`\n` stays visible as `\u000a`), cut to `max`.
 */
export function quote(text: string, max = MAX_QUOTED_CHARS): string {
  const cut = text.length > max ? text.slice(0, max) : text;
  const safe = redactPhones(cut).replace(
    UNSAFE_CHARS,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return text.length > max ? `${safe}… (${text.length - max} more characters)` : safe;
}

/**
 * Removes configured secrets from text that came from outside, such as an upstream's error
 * message that repeats the key it was sent. Each secret is also looked for in the encodings a
 * server might echo it in (URL-encoded, JSON-escaped).
 */
export class SecretScrubber {
  // A private field: `util.inspect` and `JSON.stringify` of whatever holds the scrubber never
  // show the secrets.
  readonly #needles: string[];

  constructor(secrets: readonly (string | undefined)[]) {
    const forms = new Set<string>();
    for (const secret of secrets) {
      // However short: a secret is never shown, even if a short one blanks out more text.
      if (typeof secret !== 'string' || secret === '') continue;
      forms.add(secret);
      forms.add(encodeURIComponent(secret));
      forms.add(JSON.stringify(secret).slice(1, -1));
    }
    // Longest first, so that a secret holding another is removed whole.
    this.#needles = [...forms].sort((a, b) => b.length - a.length);
  }

  /** The text with every secret replaced by `[redacted]`. */
  scrub(text: string): string {
    let clean = text;
    for (const needle of this.#needles) clean = clean.replaceAll(needle, '[redacted]');
    return clean;
  }
}
