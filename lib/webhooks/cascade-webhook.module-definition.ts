import { ConfigurableModuleBuilder } from '@nestjs/common';
import { CascadeConfigError } from '../errors/cascade.error.js';
import {
  CASCADE_WEBHOOK_ROUTE,
  DEFAULT_WEBHOOK_HEADER,
  DEFAULT_WEBHOOK_PATH,
} from './cascade-webhook.constants.js';
import { createWebhookController } from './cascade-webhook.controller.js';
import type {
  CascadeWebhookRouteOptions,
  CascadeWebhookSecretOptions,
} from './cascade-webhook.options.js';

// A path of plain segments: no route parameters or wildcards, which would change what it matches.
const PLAIN_PATH = /^[\w.~-]+(\/[\w.~-]+)*$/;
// An HTTP header name (RFC 9110 token).
const HEADER_NAME = /^[!#$%&'*+.^`|~\w-]+$/;

/** The route options, defaulted; a malformed one fails at declaration, named, not quoted. */
function checkRoute(route: CascadeWebhookRouteOptions): Required<CascadeWebhookRouteOptions> {
  const {
    path = DEFAULT_WEBHOOK_PATH,
    secretIn = 'header',
    header = DEFAULT_WEBHOOK_HEADER,
  } = route;
  const trimmed = typeof path === 'string' ? path.replace(/^\/+|\/+$/g, '') : path;
  if (typeof trimmed !== 'string' || !PLAIN_PATH.test(trimmed)) {
    throw new CascadeConfigError('path', 'must be a plain URL path such as cascade/status');
  }
  if (secretIn !== 'header' && secretIn !== 'path') {
    throw new CascadeConfigError('secretIn', "must be 'header' or 'path'");
  }
  if (typeof header !== 'string' || !HEADER_NAME.test(header)) {
    throw new CascadeConfigError('header', 'must be an HTTP header name');
  }
  // Express and Fastify both give header names in lower case.
  return { path: trimmed, secretIn, header: header.toLowerCase() };
}

// The secret is resolved at boot, by the usual sync or async options. The route cannot be: Nest
// reads a controller's path when the module is declared, before any provider exists. So the
// route options are builder extras, read from the `forRoot`/`forRootAsync` argument itself, and
// the module definition gets a controller built for them. They are listed here without values
// (the defaults are in `checkRoute`) so that `forRoot` keeps them out of the secret options.
export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: CASCADE_WEBHOOK_OPTIONS } =
  new ConfigurableModuleBuilder<CascadeWebhookSecretOptions>()
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createCascadeWebhookOptions')
    .setExtras<CascadeWebhookRouteOptions>(
      { path: undefined, secretIn: undefined, header: undefined },
      (definition, extras) => {
        const route = checkRoute(extras);
        return {
          ...definition,
          controllers: [createWebhookController(route)],
          providers: [
            ...(definition.providers ?? []),
            { provide: CASCADE_WEBHOOK_ROUTE, useValue: route },
          ],
        };
      },
    )
    .build();
