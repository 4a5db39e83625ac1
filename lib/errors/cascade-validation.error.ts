import type { CascadeViolation } from '../types/violation.types.js';
import { CascadeError } from './cascade.error.js';

/** A one-line account of a violation: which message (index and id), which field, what is wrong. */
export function describeViolation(violation: CascadeViolation): string {
  if (violation.index === undefined) return violation.message;
  const id = violation.id === undefined ? '' : ` (id ${violation.id})`;
  return `message ${violation.index}${id}: ${violation.message} [${violation.code}]`;
}

const LISTED = 10;

/** One or more messages broke the rules; nothing was sent. */
export class CascadeValidationError extends CascadeError {
  constructor(readonly violations: CascadeViolation[]) {
    const lines = violations.slice(0, LISTED).map(describeViolation);
    if (violations.length > LISTED) lines.push(`and ${violations.length - LISTED} more`);
    super(`Invalid messages, nothing was sent: ${lines.join('; ')}`);
  }
}
