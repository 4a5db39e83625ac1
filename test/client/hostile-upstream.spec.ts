import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { gzipSync } from 'node:zlib';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  CascadeModule,
  CascadeNetworkError,
  CascadeService,
  CascadeValidationError,
} from 'nestjs-smsbat-cascade';
import { CascadeHealthIndicator } from 'nestjs-smsbat-cascade/health';
import { CascadeResponseTooLargeError } from '../../lib/errors/cascade-unexpected-response.error.js';
import { LogCapture } from '../support/log-capture.js';
import { transaction } from '../support/messages.js';

const CREDENTIALS = {
  apiKey: 'sk-live-echoed-0123456789',
  viberToken: 'viber-token-echoed-4321',
  tgBotKey: 'tg-bot-key-echoed-9876',
};

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * An upstream that misbehaves as each test says: a plain `node:http` server on loopback, so the
 * request client is tested over real HTTP against answers no honest API would give.
 */
class HostileUpstream {
  readonly paths: string[] = [];
  handler: Handler = (_request, response) => response.end('[]');
  private readonly server: Server = createServer((request, response) => {
    this.paths.push(request.url ?? '');
    request.resume();
    request.on('end', () => this.handler(request, response));
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('the request client against a hostile upstream', () => {
  const upstream = new HostileUpstream();
  const logs = new LogCapture();
  let moduleRef: TestingModule;
  let service: CascadeService;

  beforeAll(async () => {
    const baseUrl = await upstream.start();
    moduleRef = await Test.createTestingModule({
      imports: [
        CascadeModule.forRoot({
          ...CREDENTIALS,
          baseUrl,
          maxResponseBytes: 64 * 1024,
          retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 },
        }),
      ],
      providers: [CascadeHealthIndicator, HealthIndicatorService],
    })
      .setLogger(logs)
      .compile();
    await moduleRef.init();
    service = moduleRef.get(CascadeService);
  });
  afterAll(async () => {
    await moduleRef.close();
    await upstream.close();
  });
  beforeEach(() => {
    upstream.paths.length = 0;
    logs.lines.length = 0;
  });

  const sendOne = () => service.send(transaction({ id: 'hostile-1' })).catch((e: unknown) => e);

  it.each([400, 401, 429, 500])(
    'scrubs every credential a %i body echoes, from the error and the log',
    async (status) => {
      upstream.handler = (request, response) => {
        const echoed = Object.values(request.headers).join(' | ');
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { code: echoed, message: `bad key ${echoed}` } }));
      };
      const error = (await sendOne()) as Error;

      const texts = [
        error.message,
        String(error.stack),
        JSON.stringify(error),
        inspect(error, { depth: 10, showHidden: true }),
        logs.text,
      ];
      for (const text of texts) {
        for (const secret of Object.values(CREDENTIALS)) expect(text).not.toContain(secret);
      }
      expect(error.message).toContain('[redacted]');
    },
  );

  it('refuses an answer over maxResponseBytes with a typed error, unread', async () => {
    upstream.handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`["${'x'.repeat(10 * 1024 * 1024)}"]`);
    };
    const error = await sendOne();

    expect(error).toBeInstanceOf(CascadeResponseTooLargeError);
    expect((error as Error).message).toContain(String(64 * 1024));
  });

  it('counts a compressed answer after it is inflated, so a gzip bomb is cut off', async () => {
    // 20 MB of zeros in about 20 KB.
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, '0'));
    expect(bomb.length).toBeLessThan(64 * 1024);
    upstream.handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(bomb);
    };

    expect(await sendOne()).toBeInstanceOf(CascadeResponseTooLargeError);
  });

  it('treats a connection reset in the middle of the answer as a retryable network failure', async () => {
    let calls = 0;
    upstream.handler = (_request, response) => {
      calls++;
      if (calls === 1) {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
        response.write('[{"messageId":"3fa85f64');
        // The headers and part of the body are out: now the connection breaks.
        setImmediate(() => response.socket?.destroy());
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify([{ messageId: 'm-after-reset', trackinId: 'hostile-1' }]));
    };

    await expect(service.send(transaction({ id: 'hostile-1' }))).resolves.toMatchObject({
      messageId: 'm-after-reset',
    });
    expect(calls).toBe(2);
  });

  it('names a reset that persists ECONNRESET, after the retries', async () => {
    upstream.handler = (_request, response) => {
      response.writeHead(200, { 'content-length': '500' });
      response.write('[');
      setImmediate(() => response.socket?.destroy());
    };
    const error = await sendOne();

    expect(error).toBeInstanceOf(CascadeNetworkError);
    expect(error).toMatchObject({ code: 'ECONNRESET', attempts: 2 });
  });

  it.each(['..', '.', '', ' ', 'a\r\nX-Injected: 1', 'x'.repeat(257)])(
    'refuses the message id %j for a status look-up, sending nothing',
    async (messageId) => {
      await expect(service.getStatus(messageId)).rejects.toBeInstanceOf(CascadeValidationError);
      expect(upstream.paths).toEqual([]);
    },
  );

  it('encodes a message id so that it never changes the path', async () => {
    upstream.handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ deliverystatus: 'delivered' }));
    };
    await service.getStatus('../../admin?x=1#y');

    expect(upstream.paths).toEqual(['/bat/message/..%2F..%2Fadmin%3Fx%3D1%23y']);
  });

  it('writes log lines from upstream text on one line, without control characters', async () => {
    upstream.handler = (_request, response) => {
      response.writeHead(503, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'E\r\n[Nest] forged\u001b[31m' } }));
    };
    await sendOne();

    const warnings = logs.at('warn');
    expect(warnings.length).toBeGreaterThan(0);
    for (const line of warnings) {
      for (const char of ['\r', '\n', '\u001b']) expect(line).not.toContain(char);
    }
  });

  describe('CascadeHealthIndicator', () => {
    const health = () => moduleRef.get(CascadeHealthIndicator).isHealthy('cascade');
    const answer = (status: number) => {
      upstream.handler = (_request, response) => {
        response.writeHead(status);
        response.end();
      };
    };

    it.each([200, 404])('is up when the API answers %i', async (status) => {
      answer(status);
      expect(await health()).toMatchObject({ cascade: { status: 'up', httpStatus: status } });
    });

    it.each([500, 502, 503, 401, 403])('is down when the API answers %i', async (status) => {
      answer(status);
      expect(await health()).toMatchObject({
        cascade: { status: 'down', reason: `HTTP ${status}` },
      });
    });

    it('is down when the API does not answer in time', async () => {
      upstream.handler = () => undefined;
      const indicator = moduleRef.get(CascadeHealthIndicator);

      expect(await indicator.isHealthy('cascade', { timeoutMs: 50 })).toMatchObject({
        cascade: { status: 'down', reason: 'ETIMEDOUT' },
      });
    });
  });
});

describe('the request client when the API cannot be reached', () => {
  it('reports the health indicator down, naming the network failure', async () => {
    const upstream = new HostileUpstream();
    const baseUrl = await upstream.start();
    await upstream.close();
    const moduleRef = await Test.createTestingModule({
      imports: [CascadeModule.forRoot({ apiKey: CREDENTIALS.apiKey, baseUrl })],
      providers: [CascadeHealthIndicator, HealthIndicatorService],
    }).compile();
    await moduleRef.init();

    expect(await moduleRef.get(CascadeHealthIndicator).isHealthy('cascade')).toMatchObject({
      cascade: { status: 'down', reason: 'ECONNREFUSED' },
    });
    await moduleRef.close();
  });
});
