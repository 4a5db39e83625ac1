import type { ConfigurableModuleAsyncOptions } from '@nestjs/common';

/**
 * Where the webhook route listens and where it reads the secret. Nest reads a controller's path
 * when the module is declared, so these are given to `forRoot` or `forRootAsync` directly, never
 * by the async factory.
 */
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

/** What the async factory (or the options class) gives: the secret, read when the app boots. */
export interface CascadeWebhookSecretOptions {
  /** The shared secret, 16 characters or more: give the same to SMSBAT's account manager. */
  secret: string;
}

/** What `CascadeWebhookModule.forRoot` takes. */
export type CascadeWebhookOptions = CascadeWebhookRouteOptions & CascadeWebhookSecretOptions;

/** A class for `forRootAsync({ useClass })` or `({ useExisting })` that gives the secret. */
export interface CascadeWebhookOptionsFactory {
  createCascadeWebhookOptions(): CascadeWebhookSecretOptions | Promise<CascadeWebhookSecretOptions>;
}

/** What `CascadeWebhookModule.forRootAsync` takes: the route, and how to get the secret. */
export type CascadeWebhookAsyncOptions = ConfigurableModuleAsyncOptions<
  CascadeWebhookSecretOptions,
  'createCascadeWebhookOptions'
> &
  CascadeWebhookRouteOptions;
