/** Where the webhook route listens and how it checks the shared secret. */
export interface CascadeWebhookRouteOptions {
  /** The route's path (`cascade/status`). */
  path?: string;
  /**
   * Where the sender puts the secret: a header (the default), or the path's last segment
   * (`cascade/status/<secret>`), for senders that cannot set headers.
   */
  secretIn?: 'header' | 'path';
  /** The header that carries the secret (`x-cascade-webhook-secret`). */
  header?: string;
}

export interface CascadeWebhookSecretOptions {
  /** The shared secret, 16 characters or more: give the same to SMSBAT's account manager. */
  secret: string;
}

export type CascadeWebhookOptions = CascadeWebhookRouteOptions & CascadeWebhookSecretOptions;

export interface CascadeWebhookAsyncOptions extends CascadeWebhookRouteOptions {
  imports?: unknown[];
  inject?: unknown[];
  useFactory: (
    ...args: never[]
  ) => CascadeWebhookSecretOptions | Promise<CascadeWebhookSecretOptions>;
}

export const CASCADE_WEBHOOK_SECRET = Symbol('CASCADE_WEBHOOK_SECRET');
export const DEFAULT_WEBHOOK_PATH = 'cascade/status';
export const DEFAULT_WEBHOOK_HEADER = 'x-cascade-webhook-secret';
export const MIN_WEBHOOK_SECRET_LENGTH = 16;
