import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy on 127.0.0.1 that holds every request until `release()`, then passes each on to
 * the target, as later ones at once: to keep requests in flight for as long as a test needs, and
 * to count how many a client had in flight at once.
 */
export class HoldingProxy {
  /** Requests taken and not yet answered in full, now and at the most. */
  open = 0;
  peak = 0;
  private released = false;
  private readonly held: (() => void)[] = [];
  private readonly server = createServer((incoming, answer) => this.handle(incoming, answer));

  private constructor(private readonly target: string) {}

  static async start(target: string): Promise<HoldingProxy> {
    const proxy = new HoldingProxy(target);
    await new Promise<void>((done) => proxy.server.listen(0, '127.0.0.1', done));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  release(): void {
    this.released = true;
    for (const pass of this.held.splice(0)) pass();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((done) => this.server.close(done));
  }

  private handle(incoming: IncomingMessage, answer: ServerResponse): void {
    this.peak = Math.max(this.peak, ++this.open);
    const pass = () => {
      const upstream = request(
        new URL(incoming.url ?? '/', this.target),
        { method: incoming.method, headers: incoming.headers },
        (response) => {
          answer.writeHead(response.statusCode ?? 502, response.headers);
          // Counted out as the answer ends, before the client can have it.
          response.once('end', () => this.open--);
          response.pipe(answer);
        },
      );
      upstream.on('error', () => answer.destroy());
      incoming.pipe(upstream);
    };
    if (this.released) pass();
    else this.held.push(pass);
  }
}
