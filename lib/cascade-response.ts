import type { AxiosResponse } from 'axios';
import { isAxiosError } from 'axios';
import { TimeoutError } from 'rxjs';
import { CascadeApiError, parseRetryAfter, readErrorBody } from './errors/cascade-api.error.js';
import { CascadeNetworkError } from './errors/cascade-network.error.js';
import { CascadeUnexpectedResponseError } from './errors/cascade-unexpected-response.error.js';
import type { CascadeSendResult } from './types/message.types.js';

/** Turns what the HTTP client threw into a `CascadeError`, keeping only safe facts. */
export function toCascadeError(error: unknown, timeoutMs: number): unknown {
  if (error instanceof TimeoutError) {
    return new CascadeNetworkError('ETIMEDOUT', `no answer within ${timeoutMs} ms`);
  }
  if (isAxiosError(error)) {
    const cause = error.cause as NodeJS.ErrnoException | undefined;
    const code = cause?.code ?? error.code ?? 'UNKNOWN';
    // An AxiosError's message names only the failure and the address; its config is dropped.
    return new CascadeNetworkError(code, cause?.message ?? error.message);
  }
  return error;
}

/** Throws the typed error for an HTTP error status, as every endpoint's reader does first. */
export function throwOnErrorStatus(response: AxiosResponse<unknown>): void {
  const { status, data, headers } = response;
  if (status >= 200 && status < 300) return;
  throw CascadeApiError.fromResponse(status, {
    ...readErrorBody(data),
    retryAfter: parseRetryAfter(headers['retry-after']),
  });
}

/** Checks a response and lines its results up with the messages sent. */
export function readResults(
  response: AxiosResponse<unknown>,
  ids: readonly string[],
): CascadeSendResult[] {
  throwOnErrorStatus(response);
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
  const results: CascadeSendResult[] = new Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const [trackinId, messageId] = readEntry(entries[i], status);
    if (trackinId !== ids[i]) return matchByTrackingId(entries, ids, status);
    results[i] = { messageId, trackinId, trackingId: trackinId };
  }
  return results;
}

function matchByTrackingId(entries: unknown[], ids: readonly string[], status: number) {
  const byTrackingId = new Map(entries.map((entry) => readEntry(entry, status)));
  return ids.map((id) => {
    const messageId = byTrackingId.get(id);
    if (messageId === undefined) {
      throw new CascadeUnexpectedResponseError(
        `Cascade API answered ${status} without a result for tracking id ${id}`,
      );
    }
    return { messageId, trackinId: id, trackingId: id };
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

/** A short, safe account of a failure for a log line: `HTTP 503`, `ECONNRESET`. */
export function describeFailure(error: unknown): string {
  if (error instanceof CascadeApiError) {
    return `HTTP ${error.status}${error.code === undefined ? '' : ` ${error.code}`}`;
  }
  if (error instanceof CascadeNetworkError) return error.code;
  return error instanceof Error ? error.name : 'unknown error';
}
