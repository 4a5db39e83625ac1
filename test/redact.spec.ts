import { maskPhone, quote, redactPhones, SecretScrubber } from '../lib/redact.js';

describe('redactPhones', () => {
  it.each([
    ['+380501234567', '+380*****4567'],
    ['+380.50.123.4567', '+380*****4567'],
    ['+380 50 123 45 67', '+380*****4567'],
    ['+380-50-123-45-67', '+380*****4567'],
    ['+38 (050) 123-45-67', '+380*****4567'],
    ['(+380) 50 123 4567', '+380*****4567'],
    ['380501234567', '3805****4567'],
  ])('masks %s in every shape', (phone, masked) => {
    expect(redactPhones(`bad number ${phone}, try again`)).toBe(`bad number ${masked}, try again`);
  });

  it('masks a phone number given as an id', () => {
    expect(redactPhones('no result for tracking id 380501234567')).not.toContain('501234');
  });

  it.each([
    '3fa85f64-5717-4562-b3fc-2c963f66afa6',
    '12345678-1234-1234-1234-123456789012',
    'order-123456789012',
    '2025-01-25 10:00:00',
    'HTTP 503 after 1200 ms',
    '12345678',
    '1234567890123456789',
  ])('leaves %s alone', (text) => {
    expect(redactPhones(text)).toBe(text);
  });
});

describe('quote', () => {
  it('escapes line breaks, ANSI escapes and line separators', () => {
    const forged = 'ok\r\n[Nest] 1 - LOG forged\u001b[31m\u2028';
    const quoted = quote(forged);
    for (const char of ['\r', '\n', '\u001b', '\u2028']) expect(quoted).not.toContain(char);
    expect(quoted).toContain('\\u000a');
  });

  it('cuts long text and says how much was left out', () => {
    const quoted = quote('x'.repeat(1_000_000));
    expect(quoted.length).toBeLessThan(300);
    expect(quoted).toContain('999800 more characters');
  });

  it('masks phone numbers', () => {
    expect(quote('to +380501234567')).toBe('to +380*****4567');
  });
});

describe('SecretScrubber', () => {
  const key = 'sk_live_abc/def+123';
  const scrubber = new SecretScrubber([key, undefined, 'tg-bot-key-42']);

  it('removes each secret, raw, URL-encoded and JSON-escaped', () => {
    const text = `bad key ${key}; ${encodeURIComponent(key)}; ${JSON.stringify('tg-bot-key-42')}`;
    const clean = scrubber.scrub(text);
    expect(clean).not.toContain(key);
    expect(clean).not.toContain(encodeURIComponent(key));
    expect(clean).not.toContain('tg-bot-key-42');
    expect(clean).toContain('[redacted]');
  });

  it('leaves text without secrets as it is', () => {
    expect(scrubber.scrub('Invalid phone number format')).toBe('Invalid phone number format');
  });
});

describe('maskPhone', () => {
  it('keeps only the country code and the last four digits', () => {
    expect(maskPhone('+380501234567')).toBe('+380*****4567');
  });
});

describe('SecretScrubber with a short secret', () => {
  it('removes it too: no configured secret is too short to hide', () => {
    expect(new SecretScrubber(['k9x']).scrub('bad key k9x')).toBe('bad key [redacted]');
  });
});
