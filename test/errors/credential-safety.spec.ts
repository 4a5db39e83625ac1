import { inspect } from 'node:util';
import { Test } from '@nestjs/testing';
import { CascadeError, CascadeModule, CascadeService } from 'nestjs-smsbat-cascade';
import type { EmulatorFault } from 'nestjs-smsbat-cascade/testing';
import { startCascade } from '../support/cascade-app.js';
import { transaction } from '../support/messages.js';

const CREDENTIALS = {
  apiKey: 'sk-live-0123456789abcdef',
  viberToken: 'viber-token-fedcba987654',
  tgBotKey: 'tg-bot-key-5555aaaa',
};
const PHONE = '+380671112233';

/** Every form in which an error may reach a log, a response or a bug report. */
const renderings = (error: Error) => [
  error.message,
  String(error.stack),
  JSON.stringify(error),
  inspect(error, { depth: 10, showHidden: true }),
];

function expectNoSecrets(error: unknown) {
  expect(error).toBeInstanceOf(CascadeError);
  for (const text of renderings(error as Error)) {
    for (const secret of Object.values(CREDENTIALS)) expect(text).not.toContain(secret);
    expect(text).not.toContain(PHONE);
    expect(text).not.toContain(PHONE.slice(1));
  }
}

describe('errors hold no credential and no full phone number', () => {
  let cascade: Awaited<ReturnType<typeof startCascade>>;
  const message = transaction({ toPhone: PHONE });

  beforeAll(async () => {
    cascade = await startCascade({ ...CREDENTIALS, timeoutMs: 300, retry: false });
  });
  afterAll(() => cascade.close());

  const echo = {
    error: { code: 'X', message: `Rejected ${PHONE}`, field: 'toPhone' },
  };
  it.each<[string, EmulatorFault]>([
    ['400', { kind: 'status', status: 400, body: echo }],
    [
      '401',
      { kind: 'status', status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'no' } } },
    ],
    ['429', { kind: 'status', status: 429, headers: { 'retry-after': '1' } }],
    ['500', { kind: 'status', status: 500, body: 'oops' }],
    ['a reset connection', { kind: 'reset', when: 'before-body' }],
    ['a timeout', { kind: 'hang' }],
    ['a malformed answer', { kind: 'malformed-json' }],
    ['a wrong count', { kind: 'wrong-count' }],
  ])('after %s', async (_label, fault) => {
    cascade.emulator.faults.next(fault);

    expectNoSecrets(await cascade.service.send(message).catch((e: unknown) => e));
  });

  it('for a validation error', async () => {
    const error = await cascade.service
      .send([message, transaction({ toPhone: PHONE.slice(1) })])
      .catch((e: unknown) => e);

    expectNoSecrets(error);
  });

  it('for a refused connection', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        CascadeModule.forRoot({ ...CREDENTIALS, baseUrl: 'http://127.0.0.1:1', retry: false }),
      ],
    }).compile();

    try {
      expectNoSecrets(
        await moduleRef
          .get(CascadeService)
          .send(message)
          .catch((e: unknown) => e),
      );
    } finally {
      await moduleRef.close();
    }
  });

  it('for a bad option', async () => {
    const error = await Test.createTestingModule({
      imports: [CascadeModule.forRoot({ apiKey: ` ${CREDENTIALS.apiKey}` })],
    })
      .compile()
      .catch((e: unknown) => e);

    expectNoSecrets(error);
  });
});
