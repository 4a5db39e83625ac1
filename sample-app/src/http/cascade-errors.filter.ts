import { Catch } from '@nestjs/common';
import { CascadeError, CascadeExceptionFilter } from 'nestjs-smsbat-cascade';

/** The longest wait passed on in Retry-After; upstream advice beyond it is cut down to it. */
const MAX_RETRY_AFTER_SECONDS = 3600;

/**
 * The package's mapping of Cascade errors, with a Retry-After that is always a whole number of
 * seconds from 0 to MAX_RETRY_AFTER_SECONDS: the API's header is passed on, and an absurd one
 * (`1e+23`) must not reach callers that would wait on it or fail to read it.
 */
@Catch(CascadeError)
export class CascadeErrorsFilter extends CascadeExceptionFilter {
  override map(error: CascadeError): ReturnType<CascadeExceptionFilter['map']> {
    const { body, headers } = super.map(error);
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() !== 'retry-after') continue;
      const seconds = Number(headers[name]);
      if (Number.isFinite(seconds) && seconds >= 0) {
        headers[name] = String(Math.min(Math.ceil(seconds), MAX_RETRY_AFTER_SECONDS));
      } else {
        delete headers[name];
      }
    }
    return { body, headers };
  }
}
