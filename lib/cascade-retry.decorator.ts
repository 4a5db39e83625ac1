import { SetMetadata } from '@nestjs/common';
import type { CascadeRetrySetting } from './types/retry.types.js';

export const CASCADE_RETRY_METADATA = 'cascade:retry-policy';

/**
 * Sets the retry policy `CascadeRetryInterceptor` applies to a route (or to every route of a
 * controller): any part of it, laid over the module's policy, or `false` for no retries.
 *
 * @example
 * @CascadeRetry({ maxRetries: 1 })
 * @Post('otp')
 */
export const CascadeRetry = (setting: CascadeRetrySetting = {}) =>
  SetMetadata(CASCADE_RETRY_METADATA, setting);
