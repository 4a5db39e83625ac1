import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CascadeEmulator } from 'nestjs-smsbat-cascade/testing';

const run = promisify(execFile);

describe("CascadeEmulator against the vendor's own examples", () => {
  let emulator: CascadeEmulator;

  beforeAll(async () => {
    emulator = await CascadeEmulator.start();
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  describe("the vendor's curl examples, unchanged but for the host and a future date", () => {
    const future = new Date(Date.now() + 2 * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    // Copied from the vendor's page; `+380XXXXXXXXX` is its placeholder for a real number.
    const examples = {
      'basic transaction': `curl -X POST https://restapi.smsbat.com/api/CascadeMessage/send_message/async \\
  -H "Content-Type: application/json" \\
  -H "X-Authorization-Key: your-api-key" \\
  -d '[
    {
      "id": "tx-001",
      "fromName": "YourBank",
      "toPhone": "+380XXXXXXXXX",
      "messageType": "transaction",
      "text": "Payment of $100 was successful. Transaction ID: ABC123"
    }
  ]'`,
      'scheduled promo': `curl -X POST https://restapi.smsbat.com/api/CascadeMessage/send_message/async \\
  -H "Content-Type: application/json" \\
  -H "X-Authorization-Key: your-api-key" \\
  -d '[
    {
      "id": "promo-001",
      "fromName": "YourStore",
      "toPhone": "+380XXXXXXXXX",
      "messageType": "promo",
      "text": "Flash Sale starts in 1 hour! Visit: https://example.com",
      "scheduledSent": "2025-01-25T09:00:00Z",
      "ttl": 3600
    }
  ]'`,
      'bulk of three': `curl -X POST https://restapi.smsbat.com/api/CascadeMessage/send_message/async \\
  -H "Content-Type: application/json" \\
  -H "X-Authorization-Key: your-api-key" \\
  -d '[
    {
      "id": "bulk-001",
      "fromName": "YourBrand",
      "toPhone": "+380111111111",
      "messageType": "transaction",
      "text": "Message 1"
    },
    {
      "id": "bulk-002",
      "fromName": "YourBrand",
      "toPhone": "+380222222222",
      "messageType": "transaction",
      "text": "Message 2"
    },
    {
      "id": "bulk-003",
      "fromName": "YourBrand",
      "toPhone": "+380333333333",
      "messageType": "transaction",
      "text": "Message 3"
    }
  ]'`,
    };

    it.each(Object.entries(examples))('%s succeeds', async (_label, example) => {
      const command = example
        .replace('https://restapi.smsbat.com', emulator.url)
        .replace('2025-01-25T09:00:00Z', future)
        .replaceAll('+380XXXXXXXXX', '+380501234567');

      const { stdout } = await run('bash', ['-c', `${command} --silent --show-error --fail`]);

      const sent = emulator.requests[0].body as { id: string }[];
      expect(JSON.parse(stdout)).toEqual(
        sent.map(({ id }) => ({ messageId: expect.any(String), trackinId: id })),
      );
    });
  });
});
