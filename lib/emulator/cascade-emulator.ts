import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CASCADE_ENDPOINTS,
  CREDENTIAL_HEADERS,
  DEFAULT_STATUS_PATH,
  MAX_MESSAGES_PER_CALL,
  MAX_TIMER_MS,
} from '../cascade.constants.js';
import { CascadeConfigError } from '../errors/cascade.error.js';
import { quote } from '../redact.js';
import { jsonNestsDeeperThan } from '../validation/json-depth.js';
import type { CascadeDialect } from '../types/dialect.types.js';
import { type CascadeDeliveryState, isFinalStatus } from '../types/status.types.js';
import type { CascadeViolation } from '../types/violation.types.js';
import { DEFAULT_DIALECT, PHONE_FORMATS, readCall, SCHEDULED_FIELDS } from './emulator-dialect.js';
import { type EmulatorFault, EmulatorFaultScript } from './emulator-faults.js';
import {
  costOf,
  type EmulatedCourse,
  EmulatorLifecycle,
  type EmulatorLifecycleOptions,
  type EmulatorWebhookDelivery,
  type EmulatorWebhookOptions,
} from './emulator-lifecycle.js';
import { EmulatorRateLimiter } from './emulator-rate-limit.js';

type CredentialOption = keyof typeof CREDENTIAL_HEADERS;

/** The credentials an emulator accepts: for each header, one value or several. */
export type EmulatorCredentials = Partial<Record<CredentialOption, string | readonly string[]>>;

export interface CascadeEmulatorOptions {
  /** The port to listen on; 0 (the default) takes a free one. */
  port?: number;
  /** The address to listen on, `127.0.0.1` by default. */
  host?: string;
  /**
   * The credentials it accepts. Unset, any non-empty credential passes; set, each credential
   * sent must be one of the values given for its header.
   */
  credentials?: EmulatorCredentials;
  /**
   * Which variant of the API it speaks: the scheduled-time field's name and the phone format
   * (`{ scheduledSentField: 'scheduledSent', phoneFormat: 'e164' }`). Only `strict` holds
   * messages to it; otherwise it accepts every variant.
   */
  dialect?: Partial<CascadeDialect>;
  /**
   * Whether to refuse, as the module's own checks do, what the dialect does not send: another
   * scheduled-time field or phone format, fields the rules do not know (a flash call's `text`
   * too), and a scheduled time in the past. Off (the default), it accepts what the vendor's own
   * examples and clients send, and delivers a time in the past at once.
   */
  strict?: boolean;
  /** How long it waits before each answer, in ms (0): a slow API, on a real clock. */
  latencyMs?: number;
  /**
   * A limit per credential: messages a second on the send routes, requests a second on the
   * status route, with a burst of one second's worth. Over it, 429 with `Retry-After`. None when
   * unset.
   */
  ratePerSecond?: number;
  /** The largest request body, in bytes; a larger one is answered 413 (10 MiB). */
  maxBodyBytes?: number;
  /**
   * What it keeps for assertions: `true` (the default) every request in `requests` and every
   * message in `messages`; `'messages'` only the messages, which the status route serves;
   * `false` nothing, for long load runs (so it serves no statuses).
   */
  record?: boolean | 'messages';
  /** Called with one line per request: method, path, status and outcome, masked and escaped. */
  log?: (line: string) => void;
  /** The clock that scheduled times, delivery statuses and rate limits follow, in epoch ms. */
  now?: () => number;
  /** How accepted messages move through their delivery states. */
  lifecycle?: EmulatorLifecycleOptions;
  /** Posts a status webhook at each change of a message's state (on the real clock). */
  webhook?: EmulatorWebhookOptions;
  /** The delivery-status path it serves, with `{messageId}` (`/bat/message/{messageId}`). */
  statusPath?: string;
}

/** A request the emulator received, kept for assertions. */
export interface EmulatorRequest {
  method: string;
  /** The path, without the query string. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  /** The status it answered with; 0 when it answered nothing (a reset or a hang). */
  status: number;
  /** The kind of fault it played, if any. */
  fault?: EmulatorFault['kind'];
  /** When it arrived, and when it was answered (or dropped), in epoch ms. */
  receivedAt: number;
  answeredAt: number;
}

/** A message the emulator accepted. */
export interface EmulatedMessage {
  messageId: string;
  endpoint: keyof typeof CASCADE_ENDPOINTS;
  /** The message as it was sent. */
  message: Record<string, unknown>;
  /** The id of the call that carried it: one per accepted call, as the status route serves it. */
  messagelistId: number;
  acceptedAt: number;
  /** When it is due and how it ends; change `outcome` to steer a test. */
  course: EmulatedCourse;
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

type ParsedBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'invalid' | 'too-deep'; value: string }
  | { kind: 'too-large'; value: undefined };

const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
// How much of a body over the limit is read and dropped, so that its sender reads the 413.
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;
/** Deeper than any message's fields go, and shallow enough for any recursive reader. */
const MAX_JSON_DEPTH = 32;
// The most characters of a request's own text (a path, a field name) that an answer quotes.
const MAX_EXCERPT = 64;

const excerpt = (text: string) => quote(text, MAX_EXCERPT);

const errorReply = (status: number, code: string, message: string, field?: string): Reply => ({
  status,
  body: { error: field ? { code, message, field } : { code, message } },
});

// The vendor shows each route with `/async`; its website posts to the same paths without it.
const SEND_PATH = /^\/api\/CascadeMessage\/send_message(\/tg-viber)?(?:\/async)?\/?$/;
const endpointOf = (path: string): EmulatedMessage['endpoint'] | undefined => {
  const match = SEND_PATH.exec(path);
  if (!match) return undefined;
  return match[1] ? 'telegramViber' : 'standard';
};

/** The first option that is malformed and what it must be, for `start()` and the command. */
export function emulatorOptionProblem(
  options: CascadeEmulatorOptions,
): { option: string; rule: string } | undefined {
  const { port, host, dialect = {}, latencyMs, ratePerSecond, maxBodyBytes } = options;
  const whole = (value: number, min: number, max: number) =>
    Number.isInteger(value) && value >= min && value <= max;
  const checks: [string, unknown, boolean, string][] = [
    ['port', port, whole(port!, 0, 65535), 'must be a whole number from 0 to 65535'],
    ['host', host, typeof host === 'string' && host !== '', 'must be a host name or address'],
    [
      'dialect.scheduledSentField',
      dialect.scheduledSentField,
      (SCHEDULED_FIELDS as unknown[]).includes(dialect.scheduledSentField),
      `must be one of ${SCHEDULED_FIELDS.join(', ')}`,
    ],
    [
      'dialect.phoneFormat',
      dialect.phoneFormat,
      (PHONE_FORMATS as unknown[]).includes(dialect.phoneFormat),
      `must be one of ${PHONE_FORMATS.join(', ')}`,
    ],
    [
      'latencyMs',
      latencyMs,
      whole(latencyMs!, 0, MAX_TIMER_MS),
      `must be a whole number of ms from 0 to ${MAX_TIMER_MS}`,
    ],
    [
      'ratePerSecond',
      ratePerSecond,
      Number.isFinite(ratePerSecond) && ratePerSecond! > 0,
      'must be a number above 0',
    ],
    [
      'maxBodyBytes',
      maxBodyBytes,
      whole(maxBodyBytes!, 1, Number.MAX_SAFE_INTEGER),
      'must be a whole number above 0',
    ],
    [
      'statusPath',
      options.statusPath,
      /^\/.*\{messageId\}/.test(options.statusPath ?? ''),
      'must start with "/" and hold {messageId}',
    ],
    [
      'webhook.url',
      options.webhook?.url,
      isHttpUrl(options.webhook?.url),
      'must be an http(s) URL',
    ],
  ];
  for (const [option, value, ok, rule] of checks) {
    if (value !== undefined && !ok) return { option, rule };
  }
  for (const [option, accepted] of Object.entries(options.credentials ?? {})) {
    const values = typeof accepted === 'string' ? [accepted] : accepted;
    if (!Array.isArray(values) || values.some((value) => typeof value !== 'string' || !value)) {
      return { option: `credentials.${option}`, rule: 'must be one or more non-empty values' };
    }
  }
  return undefined;
}

/**
 * A local stand-in for the Cascade API, on a real HTTP server: both send endpoints, the status
 * look-up, the auth headers and the validation rules as the vendor documents them. For tests,
 * offline runs, and (as the `cascade-emulator` command) clients in any language.
 *
 * @example
 * const emulator = await CascadeEmulator.start();
 * CascadeModule.forRoot({ apiKey: 'test', baseUrl: emulator.url });
 * // ...
 * expect(emulator.requests).toHaveLength(1);
 * await emulator.close();
 */
export class CascadeEmulator {
  /** Every request received, oldest first (unless `record` is off). */
  readonly requests: EmulatorRequest[] = [];
  /** Every message accepted, by `messageId` (unless `record` is `false`). */
  readonly messages = new Map<string, EmulatedMessage>();
  /** Faults to play on the next requests: `emulator.faults.next({ kind: 'status', status: 503 })`. */
  readonly faults = new EmulatorFaultScript();

  // Kept from the start, so `url` still reads after `close()`.
  private address!: AddressInfo;
  private readonly lifecycle: EmulatorLifecycle;
  private readonly statusRoute: RegExp;
  private readonly dialect: CascadeDialect;
  private readonly limits?: { send: EmulatorRateLimiter; status: EmulatorRateLimiter };
  private nextListId = 1;

  private constructor(
    private readonly server: Server,
    private readonly options: CascadeEmulatorOptions,
  ) {
    const now = () => this.now();
    this.lifecycle = new EmulatorLifecycle(options.lifecycle, options.webhook, now);
    this.dialect = {
      scheduledSentField: options.dialect?.scheduledSentField ?? DEFAULT_DIALECT.scheduledSentField,
      phoneFormat: options.dialect?.phoneFormat ?? DEFAULT_DIALECT.phoneFormat,
    };
    const [before, after] = (options.statusPath ?? DEFAULT_STATUS_PATH)
      .split('{messageId}')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.statusRoute = new RegExp(`^${before}([^/]+)${after}$`);
    const rate = options.ratePerSecond;
    if (rate !== undefined) {
      this.limits = {
        send: new EmulatorRateLimiter(rate, now),
        status: new EmulatorRateLimiter(rate, now),
      };
    }
  }

  /** Every status webhook posted so far, with the receiver's answer. */
  get webhookDeliveries(): readonly EmulatorWebhookDelivery[] {
    return this.lifecycle.deliveries;
  }

  /** The delivery state of an accepted message now, as the status route serves it. */
  statusOf(messageId: string): CascadeDeliveryState | undefined {
    const accepted = this.messages.get(messageId);
    return accepted && this.lifecycle.stateOf(accepted.course);
  }

  /**
   * Starts an emulator and resolves once it listens. A malformed option fails with a
   * `CascadeConfigError` naming it.
   */
  static async start(options: CascadeEmulatorOptions = {}): Promise<CascadeEmulator> {
    const problem = emulatorOptionProblem(options);
    if (problem) throw new CascadeConfigError(problem.option, problem.rule);
    const server = createServer();
    const emulator = new CascadeEmulator(server, options);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      // The last line of defence: no request, however malformed, ends the process.
      emulator.handle(request, response).catch(() => emulator.failed(request, response));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    emulator.address = server.address() as AddressInfo;
    return emulator;
  }

  /** The port it listens on. */
  get port(): number {
    return this.address.port;
  }

  /** The base URL to give `CascadeModule` as `baseUrl`. */
  get url(): string {
    const { address, port } = this.address;
    return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  }

  /**
   * Forgets the requests and messages received so far, the faults not yet played, and what
   * each credential spent of its rate limit.
   */
  reset(): void {
    this.requests.length = 0;
    this.messages.clear();
    this.faults.clear();
    this.limits?.send.clear();
    this.limits?.status.clear();
  }

  /** Stops listening, drops open connections and cancels pending webhooks. */
  async close(): Promise<void> {
    this.lifecycle.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?')[0];
    const fault = this.faults.take(path);
    const receivedAt = Date.now();
    const done = (body: unknown, status: number, outcome: string) => {
      this.log(method, path, status, fault ? `${outcome} (fault: ${fault.kind})` : outcome);
      if (!(this.options.record ?? true) || this.options.record === 'messages') return;
      const { headers } = request;
      this.requests.push({
        method,
        path,
        headers,
        body,
        status,
        fault: fault?.kind,
        receivedAt,
        answeredAt: Date.now(),
      });
    };
    if (fault?.kind === 'reset' && fault.when === 'before-body') {
      done(undefined, 0, 'reset');
      request.socket.destroy();
      return;
    }
    const body = await this.readBody(request);
    if (fault?.kind === 'hang') return done(body.value, 0, 'no answer');
    const delayMs = (fault?.kind === 'delay' ? fault.ms : 0) + (this.options.latencyMs ?? 0);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const reply =
      fault?.kind === 'status'
        ? { status: fault.status, body: fault.body, headers: fault.headers }
        : this.route(request, path, body);
    const accepted = reply.status === 200 && Array.isArray(reply.body);
    if (fault?.kind === 'reset') {
      done(body.value, 0, 'reset');
      response.socket?.destroy();
      return;
    }
    let text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? null);
    if (accepted && fault?.kind === 'malformed-json') text = text.slice(0, -2);
    if (accepted && fault?.kind === 'wrong-count') {
      text = JSON.stringify((reply.body as unknown[]).slice(0, -1));
    }
    if (accepted && fault?.kind === 'reversed') {
      text = JSON.stringify((reply.body as unknown[]).slice().reverse());
    }
    response.writeHead(reply.status, {
      'content-type': 'application/json; charset=utf-8',
      ...reply.headers,
    });
    done(body.value, reply.status, outcomeOf(reply));
    response.end(text);
  }

  /** Answers 500 to a request whose handling failed, or drops it if an answer had begun. */
  private failed(request: IncomingMessage, response: ServerResponse): void {
    // A client that went away mid-request left nobody to answer.
    if (request.socket.destroyed) return;
    const path = (request.url ?? '/').split('?')[0];
    this.log(request.method ?? 'GET', path, 500, 'INTERNAL_ERROR');
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const { body } = errorReply(500, 'INTERNAL_ERROR', 'The emulator failed on this request');
    response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  }

  private log(method: string, path: string, status: number, outcome: string): void {
    this.options.log?.(`${excerpt(method)} ${quote(path, 120)} ${status} ${outcome}`);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /**
   * Reads the body, at most `maxBodyBytes` of it. A larger one is answered 413 at once (its
   * declared length suffices); the rest is read and dropped, so that the client reads that
   * answer rather than a reset, but only up to 64 MiB, after which the connection is cut.
   */
  private readBody(request: IncomingMessage): Promise<ParsedBody> {
    const limit = this.maxBodyBytes;
    return new Promise((resolve, reject) => {
      const tooLarge = () => resolve({ kind: 'too-large', value: undefined });
      const chunks: Buffer[] = [];
      let size = 0;
      if (Number(request.headers['content-length']) > limit) tooLarge();
      request.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= limit) chunks.push(chunk);
        else tooLarge();
        if (size > limit + MAX_DRAIN_BYTES) request.destroy();
      });
      request.on('end', () => resolve(parseBody(Buffer.concat(chunks).toString('utf8'))));
      request.on('error', reject);
      // After 'end' this changes nothing; before it, the client is gone.
      request.on('close', () => reject(new Error('The client closed the request')));
    });
  }

  private route(request: IncomingMessage, path: string, body: ParsedBody): Reply {
    if (body.kind === 'too-large') {
      return errorReply(413, 'PAYLOAD_TOO_LARGE', `Send at most ${this.maxBodyBytes} bytes`);
    }
    const status = this.statusRoute.exec(path);
    if (status) return this.status(request, status[1]);
    const endpoint = endpointOf(path);
    if (endpoint === undefined) {
      return errorReply(404, 'NOT_FOUND', `No route for ${excerpt(path)}`);
    }
    if (request.method !== 'POST') {
      return { ...errorReply(405, 'METHOD_NOT_ALLOWED', 'Use POST'), headers: { allow: 'POST' } };
    }
    const caller = this.authenticate(request.headers, false);
    if (typeof caller !== 'string') return caller;
    if (!isJson(request.headers['content-type'])) {
      return errorReply(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send Content-Type: application/json');
    }
    if (body.kind === 'too-deep') {
      return errorReply(400, 'INVALID_JSON', `The body nests deeper than ${MAX_JSON_DEPTH} levels`);
    }
    if (body.kind === 'invalid')
      return errorReply(400, 'INVALID_JSON', 'The body is not valid JSON');
    const messages = body.value;
    if (!Array.isArray(messages)) {
      return errorReply(400, 'INVALID_REQUEST', 'The body must be a JSON array of messages');
    }
    const limited = this.limit('send', caller, Math.max(messages.length, 1), 'messages');
    if (limited) return limited;
    if (messages.length === 0 || messages.length > MAX_MESSAGES_PER_CALL) {
      return errorReply(
        400,
        'INVALID_BATCH',
        `Send 1 to ${MAX_MESSAGES_PER_CALL} messages per request, not ${messages.length}`,
      );
    }
    return this.accept(endpoint, messages);
  }

  private get maxBodyBytes(): number {
    return this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  private status(request: IncomingMessage, rawId: string): Reply {
    if (request.method !== 'GET') {
      return { ...errorReply(405, 'METHOD_NOT_ALLOWED', 'Use GET'), headers: { allow: 'GET' } };
    }
    const caller = this.authenticate(request.headers, true);
    if (typeof caller !== 'string') return caller;
    const limited = this.limit('status', caller, 1, 'requests');
    if (limited) return limited;
    let messageId: string;
    try {
      messageId = decodeURIComponent(rawId);
    } catch {
      return errorReply(400, 'INVALID_MESSAGE_ID', 'The messageId is not valid percent-encoding');
    }
    const accepted = this.messages.get(messageId);
    if (accepted === undefined) {
      return errorReply(
        404,
        'MESSAGE_NOT_FOUND',
        `No message with messageId ${excerpt(messageId)}`,
      );
    }
    const state = this.lifecycle.stateOf(accepted.course);
    return {
      status: 200,
      body: {
        messagelistId: accepted.messagelistId,
        messageId,
        deliverystatus: state,
        partscount: 1,
        cost: costOf(state),
        ...(isFinalStatus(state) && { fallbacks: [{ type: 'sms', status: 'not_used' }] }),
      },
    };
  }

  /**
   * Checks the credentials a request carries, and returns the one that names the caller (for
   * rate limits), or the 401 answer. The status route also takes HTTP Basic, as the vendor's
   * core API documents it: any user (`@` by convention) with the API key as password.
   */
  private authenticate(headers: IncomingHttpHeaders, basic: boolean): string | Reply {
    const given: [CredentialOption, string][] = [];
    for (const [option, header] of Object.entries(CREDENTIAL_HEADERS)) {
      const value = headers[header.toLowerCase()];
      if (typeof value === 'string' && value !== '')
        given.push([option as CredentialOption, value]);
    }
    const key = basic ? basicPassword(headers.authorization) : undefined;
    if (key !== undefined) given.push(['apiKey', key]);
    if (given.length === 0) {
      const ways = 'X-Authorization-Key, X-Viber-Auth-Token, X-Tg-Bot-Key';
      return errorReply(
        401,
        'UNAUTHORIZED',
        basic
          ? `Send one of ${ways}, or HTTP Basic with the API key`
          : `Send at least one of ${ways}`,
      );
    }
    const expected = this.options.credentials;
    for (const [option, value] of given) {
      const wanted = expected?.[option];
      if (expected && !(typeof wanted === 'string' ? wanted === value : wanted?.includes(value))) {
        return errorReply(401, 'UNAUTHORIZED', `Invalid ${CREDENTIAL_HEADERS[option]}`);
      }
    }
    const [option, value] = given[0];
    return `${option}:${value}`;
  }

  private limit(
    route: 'send' | 'status',
    caller: string,
    units: number,
    what: string,
  ): Reply | undefined {
    const waitMs = this.limits?.[route].take(caller, units) ?? 0;
    if (waitMs === 0) return undefined;
    const seconds = Math.max(Math.ceil(waitMs / 1000), 1);
    return {
      ...errorReply(
        429,
        'TOO_MANY_REQUESTS',
        `Over ${this.options.ratePerSecond} ${what} a second for this credential: retry after ${seconds} s`,
      ),
      headers: { 'retry-after': String(seconds) },
    };
  }

  private accept(endpoint: EmulatedMessage['endpoint'], messages: unknown[]): Reply {
    const now = this.now();
    const { views, violations } = readCall(messages, {
      dialect: this.dialect,
      strict: this.options.strict ?? false,
      now,
    });
    if (violations.length > 0) return violationReply(violations[0]);
    const messagelistId = this.nextListId++;
    return {
      status: 200,
      body: (messages as Record<string, unknown>[]).map((message, index) => {
        const messageId = randomUUID();
        if (this.options.record !== false) {
          const course = this.lifecycle.plan(messageId, views[index] as typeof message, now);
          this.messages.set(messageId, {
            messageId,
            endpoint,
            message,
            messagelistId,
            acceptedAt: now,
            course,
          });
        }
        return { messageId, trackinId: message.id };
      }),
    };
  }
}

/** The 400 for a call's first violation; what it quotes of the request is masked and cut. */
function violationReply(violation: CascadeViolation): Reply {
  const field = excerpt(violation.field);
  // A rule's sentence names the field, which may be a key the caller made up.
  const sentence =
    field === violation.field
      ? violation.message
      : violation.message.replaceAll(violation.field, field);
  const where = violation.index === undefined ? '' : `message ${violation.index}: `;
  return errorReply(400, violation.code, `${where}${sentence}`, field);
}

/** The outcome a log line gives: how many messages were taken, or the error's code. */
function outcomeOf(reply: Reply): string {
  if (reply.status === 200 && Array.isArray(reply.body)) return `${reply.body.length} accepted`;
  const code = (reply.body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'string' ? excerpt(code) : '';
}

function isHttpUrl(url: string | undefined): boolean {
  return URL.canParse(url ?? '') && /^https?:$/.test(new URL(url!).protocol);
}

/** Whether a Content-Type names JSON: its media type alone, in any case (`; charset` may follow). */
function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';', 1)[0].trim().toLowerCase() === 'application/json';
}

/** The password of an `Authorization: Basic` header, if it carries a non-empty one. */
function basicPassword(authorization: string | undefined): string | undefined {
  const encoded = /^basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(authorization ?? '')?.[1];
  if (encoded === undefined) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && colon < decoded.length - 1 ? decoded.slice(colon + 1) : undefined;
}

function parseBody(raw: string): ParsedBody {
  if (raw === '') return { kind: 'json', value: undefined };
  if (jsonNestsDeeperThan(raw, MAX_JSON_DEPTH)) return { kind: 'too-deep', value: raw };
  try {
    return { kind: 'json', value: JSON.parse(raw) };
  } catch {
    return { kind: 'invalid', value: raw };
  }
}
