import type { CascadeSendResult } from '../types/message.types.js';

interface Waiting {
  message: Record<string, unknown>;
  resolve: (result: CascadeSendResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the messages of jobs a worker holds into API calls of up to `batchSize`, waiting at
 * most `lingerMs` for a batch to fill: one job per message keeps deduplication and failure
 * reasons per message, while the API still gets batches.
 */
export class Batcher {
  private waiting: Waiting[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly send: (messages: Record<string, unknown>[]) => Promise<CascadeSendResult[]>,
    private readonly batchSize: number,
    private readonly lingerMs: number,
  ) {}

  submit(message: Record<string, unknown>): Promise<CascadeSendResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ message, resolve, reject });
      if (this.waiting.length >= this.batchSize) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.lingerMs);
    });
  }

  /** Sends what is gathered now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting.splice(0);
    if (batch.length === 0) return;
    this.send(batch.map((entry) => entry.message)).then(
      (results) => batch.forEach((entry, i) => entry.resolve(results[i])),
      (error: unknown) => batch.forEach((entry) => entry.reject(error)),
    );
  }
}
