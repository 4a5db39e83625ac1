/** Keeps the country code's first digits and the last four: `+380*****4567`. */
export function maskPhone(phone: string): string {
  if (phone.length <= 8) return '*'.repeat(phone.length);
  return `${phone.slice(0, 4)}${'*'.repeat(phone.length - 8)}${phone.slice(-4)}`;
}

const PHONE_LIKE = /\+?\d[\d\s-]{6,}\d/g;

/** Masks anything that looks like a phone number in free text, such as an API's error message. */
export function redactPhones(text: string): string {
  return text.replace(PHONE_LIKE, (match) => maskPhone(match.replace(/[\s-]/g, '')));
}
