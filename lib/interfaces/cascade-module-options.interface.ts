/** What `CascadeModule.forRoot` and `forRootAsync` take. Give at least one credential. */
export interface CascadeModuleOptions {
  /** SMSBAT API key, sent as `X-Authorization-Key` (the vendor's recommended credential). */
  apiKey?: string;
  /** Viber bot token, sent as `X-Viber-Auth-Token`. */
  viberToken?: string;
  /** Telegram bot key, sent as `X-Tg-Bot-Key`. */
  tgBotKey?: string;
  /** The API's address, `https://restapi.smsbat.com` by default; your manager may give another. */
  baseUrl?: string;
  /** How long one request may take, in milliseconds, before it fails (30 000 by default). */
  timeoutMs?: number;
}
