import type { AxiosResponse } from 'axios';
import { isAxiosError } from 'axios';
import { TimeoutError } from 'rxjs';
import { CascadeApiError, parseRetryAfter, readErrorBody } from '../errors/cascade-api.error.js';
import { CascadeNetworkError } from '../errors/cascade-network.error.js';
import {
  CascadeResponseTooLargeError,
  CascadeUnexpectedResponseError,
} from '../errors/cascade-unexpected-response.error.js';
import { quote } from '../redact.js';
import type { CascadeTextScrubber } from '../types/options.types.js';

/** Turns what the HTTP client threw into a `CascadeError`, keeping only safe facts. */
export function toCascadeError(error: unknown, timeoutMs: number, scrubber: CascadeTextScrubber) {
  if (error instanceof TimeoutError) {
    return new CascadeNetworkError('ETIMEDOUT', `no answer within ${timeoutMs} ms`);
  }
  if (!isAxiosError(error)) return error;
  // The client names its own failures by message only: its size cap, and a body cut short.
  if (error.message.startsWith('maxContentLength size of')) {
    return new CascadeResponseTooLargeError(error.config?.maxContentLength ?? 0);
  }
  if (error.message === 'stream has been aborted') {
    // The connection broke mid-answer: a network failure, as a reset before the answer is.
    return new CascadeNetworkError('ECONNRESET', 'the connection closed during the answer');
  }
  const cause = error.cause as NodeJS.ErrnoException | undefined;
  const code = cause?.code ?? error.code ?? 'UNKNOWN';
  // An AxiosError's message names only the failure and the address; its config is dropped.
  return new CascadeNetworkError(code, quote(scrubber.scrub(cause?.message ?? error.message)));
}

/** Throws the typed error for an HTTP error status, as every endpoint's reader does first. */
export function throwOnErrorStatus(
  response: AxiosResponse<unknown>,
  scrubber: CascadeTextScrubber,
) {
  const { status, data, headers } = response;
  if (status >= 200 && status < 300) return;
  // The upstream's words are untrusted: a secret it echoes is cut out, phones masked.
  const clean = (text: string | undefined) =>
    text === undefined ? undefined : quote(scrubber.scrub(text));
  const { code, apiMessage, field } = readErrorBody(data);
  throw CascadeApiError.fromResponse(status, {
    code: clean(code),
    apiMessage: clean(apiMessage),
    field: clean(field),
    retryAfter: parseRetryAfter(headers['retry-after']),
  });
}

/**
 * Checks a response and lines its results up with the messages sent: the messageId the API gave
 * each tracking id, in the order of `ids`.
 */
export function readMessageIds(
  response: AxiosResponse<unknown>,
  ids: readonly string[],
  scrubber: CascadeTextScrubber,
): string[] {
  throwOnErrorStatus(response, scrubber);
  const { status, data } = response;
  if (!Array.isArray(data) || data.length !== ids.length) {
    const count = Array.isArray(data) ? `${data.length} results` : 'no array of results';
    throw new CascadeUnexpectedResponseError(
      `Cascade API answered ${status} with ${count} for ${ids.length} messages`,
    );
  }
  const entries = data as unknown[];
  // The API answers in request order: line the results up by position, and match them by
  // tracking id only when it does not.
  const messageIds: string[] = new Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const entry = entries[i] as { messageId?: unknown; trackinId?: unknown } | null;
    const messageId = entry?.messageId;
    // The common case, read in place: an entry in order, with its ids as strings.
    if (entry?.trackinId !== ids[i] || typeof messageId !== 'string' || messageId === '') {
      return matchByTrackingId(entries, ids, status);
    }
    messageIds[i] = messageId;
  }
  return messageIds;
}

function matchByTrackingId(entries: unknown[], ids: readonly string[], status: number) {
  const byTrackingId = new Map(entries.map((entry) => readEntry(entry, status)));
  return ids.map((id) => {
    const messageId = byTrackingId.get(id);
    if (messageId === undefined) {
      throw new CascadeUnexpectedResponseError(
        `Cascade API answered ${status} without a result for tracking id ${quote(id, 64)}`,
      );
    }
    return messageId;
  });
}

function readEntry(entry: unknown, status: number): [trackinId: string, messageId: string] {
  const { messageId, trackinId } = (entry ?? {}) as Record<string, unknown>;
  if (typeof messageId !== 'string' || messageId === '' || typeof trackinId !== 'string') {
    throw new CascadeUnexpectedResponseError(
      `Cascade API answered ${status} with a result that lacks messageId or trackinId`,
    );
  }
  return [trackinId, messageId];
}
