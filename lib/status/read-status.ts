import type { AxiosResponse } from 'axios';
import { throwOnErrorStatus } from '../cascade-response.js';
import { CascadeUnexpectedResponseError } from '../errors/cascade-unexpected-response.error.js';
import { type CascadeDeliveryStatus, isFinalStatus, isKnownStatus } from '../types/status.types.js';

const NUMBER_FIELDS = ['messagelistId', 'partscount', 'cost', 'rate', 'rateAmount', 'billAmount'];
const TEXT_FIELDS = ['rateCurrency', 'billCurrency'];

/**
 * Reads a status answer. An unknown `deliverystatus` is kept and flagged (`known: false`,
 * never final), not a crash; a body without one is an error.
 */
export function readStatus(
  response: AxiosResponse<unknown>,
  messageId: string,
): CascadeDeliveryStatus {
  throwOnErrorStatus(response);
  const body = response.data as Record<string, unknown> | null;
  const state = body?.deliverystatus;
  if (typeof body !== 'object' || body === null || typeof state !== 'string' || state === '') {
    throw new CascadeUnexpectedResponseError(
      `Cascade API answered ${response.status} without a deliverystatus for message ${messageId}`,
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
