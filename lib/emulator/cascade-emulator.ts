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
} from '../cascade.constants.js';
import type { CascadeModuleOptions } from '../types/options.types.js';
import { type CascadeDeliveryState, isFinalStatus } from '../types/status.types.js';
import { validateMessages } from '../validation/validate-messages.js';
import { type EmulatorFault, EmulatorFaultScript } from './emulator-faults.js';
import {
  type EmulatedCourse,
  EmulatorLifecycle,
  type EmulatorLifecycleOptions,
  type EmulatorWebhookDelivery,
  type EmulatorWebhookOptions,
} from './emulator-lifecycle.js';

type Credentials = Pick<CascadeModuleOptions, keyof typeof CREDENTIAL_HEADERS>;

export interface CascadeEmulatorOptions {
  /** The port to listen on; 0 (the default) takes a free one. */
  port?: number;
  /** The address to listen on, `127.0.0.1` by default. */
  host?: string;
  /**
   * The credentials it accepts. Unset, any non-empty credential header passes; set, each
   * credential header sent must match.
   */
  credentials?: Credentials;
  /**
   * Whether to keep every request in `requests` and every message in `messages` (on by default;
   * turn it off for long load runs).
   */
  record?: boolean;
  /** The clock that `scheduledSent` and delivery statuses follow, in epoch milliseconds. */
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
  message: Record<string, unknown>;
  acceptedAt: number;
  /** When it is due and how it ends; change `outcome` to steer a test. */
  course: EmulatedCourse;
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

const errorReply = (status: number, code: string, message: string, field?: string): Reply => ({
  status,
  body: { error: field === undefined ? { code, message } : { code, message, field } },
});

const ENDPOINT_BY_PATH = new Map<string, EmulatedMessage['endpoint']>(
  Object.entries(CASCADE_ENDPOINTS).map(([name, path]) => [
    path,
    name as EmulatedMessage['endpoint'],
  ]),
);

/**
 * A local stand-in for the Cascade API, on a real HTTP server: both send endpoints, the auth
 * headers and the validation rules as the vendor documents them. For tests and offline runs.
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
  /** Every message accepted, by `messageId`. */
  readonly messages = new Map<string, EmulatedMessage>();
  /** Faults to play on the next requests: `emulator.faults.next({ kind: 'status', status: 503 })`. */
  readonly faults = new EmulatorFaultScript();

  // Kept from the start, so `url` still reads after `close()`.
  private address!: AddressInfo;
  private readonly lifecycle: EmulatorLifecycle;
  private readonly statusRoute: RegExp;
  private nextListId = 1;

  private constructor(
    private readonly server: Server,
    private readonly options: CascadeEmulatorOptions,
  ) {
    this.lifecycle = new EmulatorLifecycle(options.lifecycle, options.webhook, () => this.now());
    const [before, after] = (options.statusPath ?? DEFAULT_STATUS_PATH)
      .split('{messageId}')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.statusRoute = new RegExp(`^${before}([^/]+)${after}$`);
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

  /** Starts an emulator and resolves once it listens. */
  static async start(options: CascadeEmulatorOptions = {}): Promise<CascadeEmulator> {
    const server = createServer();
    const emulator = new CascadeEmulator(server, options);
    server.on('request', (request, response) => void emulator.handle(request, response));
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

  /** Forgets the requests and messages received so far, and the faults not yet played. */
  reset(): void {
    this.requests.length = 0;
    this.messages.clear();
    this.faults.clear();
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
    const path = (request.url ?? '/').split('?')[0];
    const fault = this.faults.take(path);
    const receivedAt = Date.now();
    const record = (body: unknown, status: number) => {
      if (this.options.record === false) return;
      const { method = 'GET', headers } = request;
      const answeredAt = Date.now();
      this.requests.push({
        method,
        path,
        headers,
        body,
        status,
        fault: fault?.kind,
        receivedAt,
        answeredAt,
      });
    };
    if (fault?.kind === 'reset' && fault.when === 'before-body') {
      record(undefined, 0);
      request.socket.destroy();
      return;
    }
    let raw: string;
    try {
      raw = await readBody(request);
    } catch {
      response.writeHead(413).end();
      return;
    }
    const body = parseJson(raw);
    if (fault?.kind === 'hang') return record(body.value, 0);
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    const reply =
      fault?.kind === 'status'
        ? { status: fault.status, body: fault.body, headers: fault.headers }
        : this.route(request, path, body.value, body.ok);
    const accepted = reply.status === 200 && Array.isArray(reply.body);
    if (fault?.kind === 'reset') {
      record(body.value, 0);
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
    record(body.value, reply.status);
    response.writeHead(reply.status, {
      'content-type': 'application/json; charset=utf-8',
      ...reply.headers,
    });
    response.end(text);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private route(request: IncomingMessage, path: string, body: unknown, parsed: boolean): Reply {
    const statusOf = this.statusRoute.exec(path);
    if (statusOf)
      return this.checkCredentials(request.headers) ?? this.status(request, statusOf[1]);
    const endpoint = ENDPOINT_BY_PATH.get(path);
    if (endpoint === undefined) return errorReply(404, 'NOT_FOUND', `No route for ${path}`);
    if (request.method !== 'POST') {
      return { ...errorReply(405, 'METHOD_NOT_ALLOWED', 'Use POST'), headers: { allow: 'POST' } };
    }
    const refused = this.checkCredentials(request.headers);
    if (refused) return refused;
    if (!String(request.headers['content-type']).startsWith('application/json')) {
      return errorReply(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send Content-Type: application/json');
    }
    return this.accept(endpoint, body, parsed);
  }

  private status(request: IncomingMessage, rawId: string): Reply {
    if (request.method !== 'GET') {
      return { ...errorReply(405, 'METHOD_NOT_ALLOWED', 'Use GET'), headers: { allow: 'GET' } };
    }
    const messageId = decodeURIComponent(rawId);
    const state = this.statusOf(messageId);
    if (state === undefined) {
      return errorReply(404, 'MESSAGE_NOT_FOUND', `No message with messageId ${messageId}`);
    }
    const final = isFinalStatus(state);
    return {
      status: 200,
      body: {
        messagelistId: this.nextListId++,
        messageId,
        deliverystatus: state,
        partscount: 1,
        cost: final ? 0.05 : 0,
        ...(final && { fallbacks: [{ type: 'sms', status: 'not_used' }] }),
      },
    };
  }

  private checkCredentials(headers: IncomingHttpHeaders): Reply | undefined {
    const expected = this.options.credentials;
    let given = 0;
    for (const [option, header] of Object.entries(CREDENTIAL_HEADERS)) {
      const value = headers[header.toLowerCase()];
      if (typeof value !== 'string' || value === '') continue;
      given++;
      const wanted = expected?.[option as keyof Credentials];
      if (expected && value !== wanted) {
        return errorReply(401, 'UNAUTHORIZED', `Invalid ${header}`);
      }
    }
    if (given === 0) {
      return errorReply(
        401,
        'UNAUTHORIZED',
        'Send at least one of X-Authorization-Key, X-Viber-Auth-Token, X-Tg-Bot-Key',
      );
    }
    return undefined;
  }

  private accept(endpoint: EmulatedMessage['endpoint'], body: unknown, parsed: boolean): Reply {
    if (!parsed) return errorReply(400, 'INVALID_JSON', 'The body is not valid JSON');
    if (!Array.isArray(body)) {
      return errorReply(400, 'INVALID_REQUEST', 'The body must be a JSON array of messages');
    }
    if (body.length === 0 || body.length > MAX_MESSAGES_PER_CALL) {
      return errorReply(
        400,
        'INVALID_BATCH',
        `Send 1 to ${MAX_MESSAGES_PER_CALL} messages per request, not ${body.length}`,
      );
    }
    const now = this.now();
    // The vendor reads a zone-less time as UTC: the emulator is as lenient as the API.
    const [first] = validateMessages(body, { now, requireZone: false });
    if (first) {
      return errorReply(400, first.code, `message ${first.index}: ${first.message}`, first.field);
    }
    return {
      status: 200,
      body: body.map((message: Record<string, unknown>) => {
        const messageId = randomUUID();
        if (this.options.record !== false) {
          const course = this.lifecycle.plan(messageId, message, now);
          this.messages.set(messageId, { messageId, endpoint, message, acceptedAt: now, course });
        }
        return { messageId, trackinId: message.id };
      }),
    };
  }
}

function parseJson(raw: string): { ok: boolean; value: unknown } {
  if (raw === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false, value: raw };
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
