import { CascadeApiError } from './cascade-api.error.js';
import { CascadeNetworkError } from './cascade-network.error.js';

/** A short, safe account of a failure for a log line: `HTTP 503`, `ECONNRESET`. */
export function describeFailure(error: unknown): string {
  if (error instanceof CascadeApiError) {
    return `HTTP ${error.status}${error.code === undefined ? '' : ` ${error.code}`}`;
  }
  if (error instanceof CascadeNetworkError) return error.code;
  return error instanceof Error ? error.name : 'unknown error';
}
