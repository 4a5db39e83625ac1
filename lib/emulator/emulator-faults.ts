/**
 * Faults the emulator can play instead of, or on top of, its normal answer, to reproduce in a
 * test every failure a real API and network can produce.
 */
export type EmulatorFault =
  /** Answer with this status, body (JSON unless a string) and headers, such as `Retry-After`. */
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Wait this long, then answer normally. */
  | { kind: 'delay'; ms: number }
  /** Read the request and never answer. */
  | { kind: 'hang' }
  /**
   * Drop the connection: `before-body` before the request is read (nothing was taken),
   * `after-body` once the messages were accepted but before the answer (the outcome is unknown to
   * the client).
   */
  | { kind: 'reset'; when: 'before-body' | 'after-body' }
  /** Accept the messages, then answer 200 with a body that is not valid JSON. */
  | { kind: 'malformed-json' }
  /** Accept the messages, then answer 200 with one result fewer than the messages sent. */
  | { kind: 'wrong-count' }
  /** Accept the messages, then answer 200 with every result, in reverse order. */
  | { kind: 'reversed' };

/** Applies a fault to the requests that match, `times` times (every time when unset). */
export interface EmulatorFaultRule {
  fault: EmulatorFault;
  /** The request's path, exactly or by pattern; any path when unset. */
  path?: string | RegExp;
  /** How many matching requests it applies to. */
  times?: number;
}

/** The script of faults: first the requests scripted one by one, then the matching rules. */
export class EmulatorFaultScript {
  private readonly queue: (EmulatorFault | null)[] = [];
  private readonly rules: { rule: EmulatorFaultRule; used: number }[] = [];

  /** The next requests take these faults in order; `null` lets one through untouched. */
  next(...faults: (EmulatorFault | null)[]): this {
    this.queue.push(...faults);
    return this;
  }

  /** Adds a rule for every matching request, after the scripted ones. */
  rule(rule: EmulatorFaultRule): this {
    this.rules.push({ rule, used: 0 });
    return this;
  }

  clear(): void {
    this.queue.length = 0;
    this.rules.length = 0;
  }

  /** The fault for a request to `path`, if any; consumes it. */
  take(path: string): EmulatorFault | undefined {
    if (this.queue.length > 0) return this.queue.shift() ?? undefined;
    for (const entry of this.rules) {
      const { path: wanted, times = Infinity } = entry.rule;
      const matches =
        wanted === undefined || (typeof wanted === 'string' ? wanted === path : wanted.test(path));
      if (matches && entry.used < times) {
        entry.used++;
        return entry.rule.fault;
      }
    }
    return undefined;
  }
}
