import { Catch } from '@nestjs/common';
import { CascadeError, CascadeExceptionFilter } from 'nestjs-smsbat-cascade';

/** The longest wait passed on in Retry-After; upstream advice beyond it is cut down to it. */
const MAX_RETRY_AFTER_SECONDS = 3600;

/**
 * The package's mapping of Cascade errors, which already passes on a `Retry-After` as whole
 * seconds of at most a day, with this app's own cap: its callers never wait past an hour.
 */
@Catch(CascadeError)
export class CascadeErrorsFilter extends CascadeExceptionFilter {
  override map(error: CascadeError): ReturnType<CascadeExceptionFilter['map']> {
    const answer = super.map(error);
    const after = answer.headers['Retry-After'];
    if (after !== undefined) {
      answer.headers['Retry-After'] = String(Math.min(Number(after), MAX_RETRY_AFTER_SECONDS));
    }
    return answer;
  }
}
