/** Where this instance's queue stands, as its health probe sees it. */
export interface CascadeQueueHealth {
  /** Whether Redis answered the probe in time. */
  redisReachable: boolean;
  /**
   * This instance's worker: `running`, `stopped` (it should run but does not), or `none` (a
   * producer-only instance, `worker: false`).
   */
  worker: 'running' | 'stopped' | 'none';
  /** Jobs waiting to be sent, delayed ones (backoff, a 429) included; each holds up to `batchSize` messages. */
  backlogJobs?: number;
  /** How long the oldest waiting job has waited, in ms (0 with none waiting). */
  oldestWaitingMs?: number;
  /** Jobs being sent now, by every worker. */
  activeJobs?: number;
  /** Jobs that failed for good and are kept for replay. */
  failedJobs?: number;
}

/** What the queue module offers the health indicator, so that `/health` needs no queue code. */
export interface CascadeQueueHealthProbe {
  probe(timeoutMs: number): Promise<CascadeQueueHealth>;
}
