import { CREDENTIAL_HEADERS } from '../cascade.constants.js';
import type { CascadeCredentialOptions } from '../types/options.types.js';

/**
 * The credentials a module instance sends, in the headers the API reads. They live in private
 * fields, so neither `util.inspect` nor `JSON.stringify` of the client that holds them (or of
 * anything holding it) shows them.
 */
export class CascadeCredentials {
  readonly #headers: Readonly<Record<string, string>>;
  readonly #basic?: string;

  constructor(options: CascadeCredentialOptions) {
    const headers: Record<string, string> = {};
    for (const [option, header] of Object.entries(CREDENTIAL_HEADERS)) {
      const value = options[option as keyof typeof CREDENTIAL_HEADERS];
      if (value !== undefined && value !== '') headers[header] = value;
    }
    this.#headers = Object.freeze(headers);
    // The vendor's Basic form for the key: user `@`, the key as the password.
    if (options.apiKey) {
      this.#basic = `Basic ${Buffer.from(`@:${options.apiKey}`).toString('base64')}`;
    }
  }

  /** Whether any credential is given. */
  get given(): boolean {
    return Object.keys(this.#headers).length > 0;
  }

  /** The credential headers: only those whose option is given. */
  headers(): Readonly<Record<string, string>> {
    return this.#headers;
  }

  /** The `Authorization` header of HTTP Basic with the API key. */
  basic(): Record<string, string> {
    return this.#basic === undefined ? {} : { Authorization: this.#basic };
  }
}
