import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Test } from '@nestjs/testing';
import { CascadeModule, CascadeService } from 'nestjs-smsbat-cascade';
import { defer, merge, of, VirtualTimeScheduler } from 'rxjs';
import { RequestLimiter } from '../../lib/client/request-limiter.js';

describe('RequestLimiter', () => {
  it('lets a burst go at once, then holds every one-second window to the rate', () => {
    // Virtual time: every wait runs at once, in time order, and the clock reads what it says.
    const clock = new VirtualTimeScheduler();
    const limiter = new RequestLimiter({ perSecond: 50, burst: 75 }, clock);
    const startedAt: number[] = [];
    merge(
      ...Array.from({ length: 300 }, () =>
        limiter.run(defer(() => of(startedAt.push(clock.now())))),
      ),
    ).subscribe();
    clock.flush();

    expect(startedAt).toHaveLength(300);

    expect(startedAt.filter((at) => at === 0)).toHaveLength(75);
    // A token bucket lets through at most burst + rate in any one-second window.
    for (const from of startedAt) {
      const inWindow = startedAt.filter((at) => at >= from && at < from + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(75 + 50);
    }
    // The 225 past the burst take 4.5 s at 50 a second.
    expect(Math.max(...startedAt)).toBeGreaterThanOrEqual(4400);
    expect(Math.max(...startedAt)).toBeLessThanOrEqual(4600);
  });
});

describe('status look-ups under the default limits, over HTTP', () => {
  it('keeps at most 8 look-ups in flight, however many are asked at once', async () => {
    let inFlight = 0;
    let most = 0;
    const held: ServerResponse[] = [];
    const answer = (response: ServerResponse) => {
      inFlight--;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ deliverystatus: 'delivered' }));
    };
    const server = createServer((request, response) => {
      inFlight++;
      most = Math.max(most, inFlight);
      held.push(response);
      // Once 8 are held, the client is given a while to send more than it may before they are
      // answered. A busy machine can only make this pass wrongly, never fail wrongly.
      if (held.length === 8) setTimeout(() => held.splice(0).forEach(answer), 100);
      request.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const moduleRef = await Test.createTestingModule({
      imports: [CascadeModule.forRoot({ apiKey: 'limits-key-123', baseUrl })],
    }).compile();
    const service = moduleRef.get(CascadeService);

    const ids = Array.from({ length: 40 }, (_, i) => `m-${i}`);
    const statuses = await Promise.all(ids.map((id) => service.getStatus(id)));

    expect(statuses).toHaveLength(40);
    expect(most).toBe(8);
    await moduleRef.close();
    server.closeAllConnections();
    server.close();
  });
});
