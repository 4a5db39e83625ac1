import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AxiosResponse } from 'axios';
import { catchError, defer, finalize, map, type Observable, tap, throwError, timeout } from 'rxjs';
import { CASCADE_CONFIG, CASCADE_HTTP_CLIENT } from '../cascade.constants.js';
import { checkCredentials, checkDuration, secretScrubber } from '../config/cascade-config.js';
import { CascadeCredentials } from '../config/cascade-credentials.js';
import { CascadeApiError } from '../errors/cascade-api.error.js';
import { CascadeAbortError, CascadeError } from '../errors/cascade.error.js';
import { CascadeValidationError } from '../errors/cascade-validation.error.js';
import { RETRY_OWNERSHIP } from '../retry/retry-ownership.js';
import { resolveRetry } from '../retry/retry-policy.js';
import { abortOn, retryWithPolicy } from '../retry/retry.operator.js';
import type { CascadeSendResult } from '../types/message.types.js';
import type {
  CascadeCallOptions,
  CascadeConfig,
  CascadeEndpoint,
  CascadeTextScrubber,
} from '../types/options.types.js';
import type { CascadeDeliveryStatus } from '../types/status.types.js';
import { describeFailure } from '../errors/describe-failure.js';
import { readMessageIds, throwOnErrorStatus, toCascadeError } from './cascade-response.js';
import { readStatus } from './read-status.js';
import {
  type CallFacts,
  type CallRecord,
  CascadeTelemetry,
} from '../telemetry/cascade-telemetry.js';
import { isCascadeHttpClient } from './cascade-http.client.js';
import { PayloadBuffers } from './payload-buffers.js';
import { RequestLimiter } from './request-limiter.js';
import { type CascadePreparedPost, takeBody } from './prepared-post.js';
import { preparePost, type CascadeCheckedMessage } from './wire.js';

/** One API request: how to make it, how to read its answer, and how to name it in a log. */
interface CascadeRequest<T> {
  label: string;
  /** What telemetry may record of the call. */
  facts: CallFacts;
  /** Cleans outside text of every secret the request carried. */
  scrubber: CascadeTextScrubber;
  /** Which rate limit the request counts against. */
  kind: 'send' | 'lookup';
  send: () => Observable<AxiosResponse<unknown>>;
  read: (response: AxiosResponse<unknown>) => T;
}

/** What the health probe learned: the API answered, and how. */
export interface CascadeProbe {
  httpStatus: number;
  responseTimeMs: number;
}

/** The longest message id a status look-up takes; the API's ids are UUIDs. */
const MAX_MESSAGE_ID_LENGTH = 256;

/**
 * Owns every request to the Cascade API from start to finish, as one pipeline: headers and
 * serialization, the retry policy, per-attempt timeouts and the call's deadline, reading and
 * matching the answer, typed errors with every configured secret scrubbed out, and the log
 * lines. `CascadeService` is a facade over it; campaigns, status look-ups, the queue's workers
 * and the health indicator use it directly, with messages already checked.
 */
@Injectable()
export class CascadeClient {
  private readonly logger = new Logger(CascadeClient.name);
  private readonly limiters: Partial<Record<CascadeRequest<unknown>['kind'], RequestLimiter>> = {};
  /**
   * Pooled body buffers, with the module's own HTTP client only: its requests write a body once
   * and hand every answer to `read`, which is what releasing a buffer relies on.
   */
  private readonly buffers?: PayloadBuffers;

  constructor(
    @Inject(CASCADE_HTTP_CLIENT) private readonly http: HttpService,
    @Inject(CASCADE_CONFIG) private readonly config: CascadeConfig,
    private readonly credentials: CascadeCredentials,
    private readonly telemetry: CascadeTelemetry,
  ) {
    if (isCascadeHttpClient(http)) this.buffers = new PayloadBuffers();
    for (const kind of ['send', 'lookup'] as const) {
      const limit = config.rateLimits[kind];
      if (limit) this.limiters[kind] = new RequestLimiter(limit, config.retry.scheduler);
    }
  }

  /**
   * Posts checked messages to an endpoint, serialized once for every attempt: a cold
   * Observable of one result per message, in order.
   */
  send$(
    endpoint: CascadeEndpoint,
    messages: readonly CascadeCheckedMessage[],
    options: CascadeCallOptions = {},
  ): Observable<CascadeSendResult[]> {
    return this.post$(endpoint, messages, options).pipe(
      map((messageIds) =>
        messageIds.map((messageId, i) => {
          const trackingId = messages[i].id as string;
          return { messageId, trackinId: trackingId, trackingId };
        }),
      ),
    );
  }

  /**
   * Posts checked messages as `send$` does, for callers that keep only the API's ids (campaigns
   * and queue workers, which know each message's tracking id): the messageId of each, in order.
   */
  post$(
    endpoint: CascadeEndpoint,
    messages: readonly CascadeCheckedMessage[],
    options: CascadeCallOptions = {},
  ): Observable<string[]> {
    return defer(() => this.postPrepared$(this.prepare(endpoint, messages), options));
  }

  /**
   * Serializes checked messages for one post, ahead of it: a campaign prepares its next batch
   * while the last one is in flight, so that a freed request slot sends at once. A prepared post
   * is posted once (`postPrepared$`), or dropped.
   */
  prepare(
    endpoint: CascadeEndpoint,
    messages: readonly CascadeCheckedMessage[],
  ): CascadePreparedPost {
    const { buffers } = this;
    return preparePost(
      endpoint,
      this.config.endpoints[endpoint],
      messages,
      this.config.dialect,
      (wire) => (buffers ? buffers.encodeArray(wire) : Buffer.from(JSON.stringify(wire))),
    );
  }

  /**
   * Posts what `prepare` made: a cold Observable of the messageId of each message, in order.
   * It may be subscribed to once; a second subscription, or a copy of the post, fails with a
   * `CascadeError`.
   */
  postPrepared$(post: CascadePreparedPost, options: CascadeCallOptions = {}): Observable<string[]> {
    return defer(() => {
      const body = takeBody(post);
      if (!body) {
        throw new CascadeError(
          'A prepared post is posted once, and a copy never: prepare the messages again',
        );
      }
      const { json, label } = body;
      const { endpoint, ids } = post;
      const path = this.config.endpoints[endpoint];
      const { buffers } = this;
      const { credentials, scrubber } = this.account(options);
      const headers = { ...credentials.headers(), 'Content-Type': 'application/json' };
      // The body's bytes go back to the pool only once every attempt is known to have written
      // them all: a server may answer before it reads a body, while the client still writes it.
      let sent = 0;
      let written = 0;
      return this.call$(
        {
          label,
          facts: { operation: 'send', endpoint, messages: ids.length },
          scrubber,
          kind: 'send',
          send: () => {
            sent++;
            return this.http.post<unknown>(path, json, { headers });
          },
          read: (response) => {
            if (wroteBody(response)) written++;
            return readMessageIds(response, ids, scrubber);
          },
        },
        options,
      ).pipe(
        finalize(() => {
          if (written === sent) buffers?.release(json);
        }),
      );
    });
  }

  /** Looks up one message's delivery status: a cold Observable. */
  status$(messageId: string, options: CascadeCallOptions = {}): Observable<CascadeDeliveryStatus> {
    return defer(() => {
      checkMessageId(messageId);
      // Encoded, and never `.` or `..`: a path parameter must not change the path.
      const url = this.config.endpoints.status.replace(
        '{messageId}',
        encodeURIComponent(messageId),
      );
      const { credentials, scrubber } = this.account(options);
      const headers =
        this.config.statusAuth === 'basic' ? credentials.basic() : credentials.headers();
      return this.call$(
        {
          label: 'GET status',
          facts: { operation: 'status', endpoint: 'status', messages: 0 },
          scrubber,
          kind: 'lookup',
          send: () => this.http.get<unknown>(url, { headers }),
          read: (response) => readStatus(response, messageId, scrubber),
        },
        options,
      );
    });
  }

  /**
   * One plain request to the API's root, for health checks: resolves when the API answers as
   * a working service would, and fails with the typed error otherwise (a 5xx, a refused
   * credential, a timeout, no connection). No retries: a probe reports what it sees.
   */
  probe$(timeoutMs: number): Observable<CascadeProbe> {
    return defer(() => {
      const started = Date.now();
      return this.call$(
        {
          label: 'GET /',
          facts: { operation: 'probe', endpoint: 'root', messages: 0 },
          scrubber: this.config.scrubber,
          kind: 'lookup',
          send: () => this.http.get<unknown>('/', { headers: this.credentials.headers() }),
          read: (response) => {
            // Any other answer, even a 404 for the bare host, shows the API is there.
            if (response.status >= 500 || response.status === 401 || response.status === 403) {
              throwOnErrorStatus(response, this.config.scrubber);
            }
            return { httpStatus: response.status, responseTimeMs: Date.now() - started };
          },
        },
        { retry: false, timeoutMs },
      );
    });
  }

  /**
   * The account a call uses: the module's, or the call's own credentials, checked, held for the
   * call alone, and scrubbed from its errors along with the module's.
   */
  private account({ credentials }: CascadeCallOptions) {
    if (credentials === undefined) {
      return { credentials: this.credentials, scrubber: this.config.scrubber };
    }
    const own = secretScrubber(credentials);
    const scrubber = { scrub: (text: string) => own.scrub(this.config.scrubber.scrub(text)) };
    return { credentials: checkCredentials(credentials, 'credentials.'), scrubber };
  }

  /** Every attempt of one call: the same request each time, within one deadline. */
  private call$<T>(request: CascadeRequest<T>, options: CascadeCallOptions): Observable<T> {
    // Under the retry interceptor, the interceptor retries the whole handler instead.
    const setting = RETRY_OWNERSHIP.interceptorOwnsRetries() ? false : options.retry;
    const policy = resolveRetry(setting, this.config.retry);
    const timeoutMs = checkDuration('timeoutMs', options.timeoutMs, this.config.timeoutMs);
    const deadlineMs = checkDuration('deadlineMs', options.deadlineMs, this.config.deadlineMs);
    const deadline = policy.scheduler.now() + deadlineMs;
    const record = this.telemetry.start(request.facts);
    let attempts = 0;
    const limiter = this.limiters[request.kind];
    const attempt$ = defer(() => {
      attempts++;
      // Each attempt is a request, counted against its class's limit; its timeout starts once
      // the limit lets it go.
      const request$ = defer(() =>
        this.attempt$(request, Math.min(timeoutMs, deadline - policy.scheduler.now()), record),
      );
      return limiter ? limiter.run(request$) : request$;
    });
    return attempt$.pipe(
      retryWithPolicy({
        policy,
        deadline,
        onRetry: ({ retry, maxRetries, delayMs, error }) => {
          this.logger.warn(
            `${request.label} failed (${describeFailure(error)}); ` +
              `retry ${retry} of ${maxRetries} in ${delayMs} ms`,
          );
          record.retry(retry, delayMs, error);
        },
      }),
      abortOn(options.signal, () => attempts),
      tap({
        next: () => record.succeeded(),
        error: (error: unknown) => record.failed(error),
        // A caller that stops waiting (a watch moving on) ends the call too.
        unsubscribe: () => record.failed(new CascadeAbortError()),
      }),
    );
  }

  private attempt$<T>(
    request: CascadeRequest<T>,
    timeoutMs: number,
    record: CallRecord,
  ): Observable<T> {
    const started = Date.now();
    this.logger.debug(`${request.label}: sending`);
    return request.send().pipe(
      // Unsubscribing aborts the request, so a timed-out attempt leaves nothing running.
      timeout({ first: timeoutMs }),
      map((response) => {
        record.attempt(Date.now() - started, response.status);
        return request.read(response);
      }),
      tap(() => this.logger.debug(`${request.label}: answered in ${Date.now() - started} ms`)),
      catchError((error: unknown) => {
        const failure = toCascadeError(error, timeoutMs, request.scrubber);
        if (failure instanceof CascadeError) failure.attempts = 1;
        const elapsed = Date.now() - started;
        // An attempt that got an answer was recorded with its status when it was read.
        if (!(failure instanceof CascadeApiError)) record.attempt(elapsed, undefined);
        this.logger.debug(`${request.label}: ${describeFailure(failure)} after ${elapsed} ms`);
        return throwError(() => failure);
      }),
    );
  }
}

/**
 * Whether the request that got `response` flushed its whole body to the socket. A server may
 * answer before it reads the body; until the write ends, the body's bytes are still in use.
 */
function wroteBody(response: AxiosResponse<unknown>): boolean {
  const request = response.request as { writableFinished?: unknown } | undefined;
  return request?.writableFinished === true;
}

function checkMessageId(messageId: unknown): void {
  const fine =
    typeof messageId === 'string' &&
    messageId.trim() !== '' &&
    messageId.length <= MAX_MESSAGE_ID_LENGTH &&
    messageId !== '.' &&
    messageId !== '..' &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u001f\u007f]/.test(messageId);
  if (!fine) {
    throw new CascadeValidationError([
      {
        field: 'messageId',
        code: 'INVALID_MESSAGE_ID',
        message: `messageId must be a string of 1 to ${MAX_MESSAGE_ID_LENGTH} printable characters, not "." or ".."`,
      },
    ]);
  }
}
