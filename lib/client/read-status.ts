import type { AxiosResponse } from 'axios';
import { CascadeUnexpectedResponseError } from '../errors/cascade-unexpected-response.error.js';
import { quote } from '../redact.js';
import type { CascadeTextScrubber } from '../types/options.types.js';
import { type CascadeDeliveryStatus, isFinalStatus, isKnownStatus } from '../types/status.types.js';
import { throwOnErrorStatus } from './cascade-response.js';

const NUMBER_FIELDS = ['messagelistId', 'partscount', 'cost', 'rate', 'rateAmount', 'billAmount'];
const TEXT_FIELDS = ['rateCurrency', 'billCurrency'];
/** Longer than any state the vendor documents; a longer one is no status at all. */
const MAX_STATE_LENGTH = 64;

/**
 * Reads a status answer. An unknown `deliverystatus` is kept and flagged (`known: false`,
 * never final), not a crash; a body without one is an error.
 */
export function readStatus(
  response: AxiosResponse<unknown>,
  messageId: string,
  scrubber: CascadeTextScrubber,
): CascadeDeliveryStatus {
  throwOnErrorStatus(response, scrubber);
  const body = response.data as Record<string, unknown> | null;
  const state = body?.deliverystatus;
  if (
    typeof body !== 'object' ||
    body === null ||
    typeof state !== 'string' ||
    state === '' ||
    state.length > MAX_STATE_LENGTH
  ) {
    throw new CascadeUnexpectedResponseError(
      `Cascade API answered ${response.status} without a deliverystatus for message ${quote(messageId, 64)}`,
    );
  }
  const status: CascadeDeliveryStatus = {
    // The id asked about, whatever form the API echoes it in, so callers can key by it.
    messageId,
    deliverystatus: state,
    known: isKnownStatus(state),
    final: isFinalStatus(state),
  };
  const extra = status as unknown as Record<string, unknown>;
  for (const field of NUMBER_FIELDS) {
    if (typeof body[field] === 'number') extra[field] = body[field];
  }
  for (const field of TEXT_FIELDS) {
    if (typeof body[field] === 'string') extra[field] = body[field];
  }
  if (Array.isArray(body.fallbacks))
    status.fallbacks = body.fallbacks as CascadeDeliveryStatus['fallbacks'];
  if (typeof body.extendedStatuses === 'object' && body.extendedStatuses !== null) {
    status.extendedStatuses = body.extendedStatuses as Record<string, string>;
  }
  return status;
}
