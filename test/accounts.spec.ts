import { inspect } from 'node:util';
import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  CascadeConfigError,
  CascadeModule,
  CascadeService,
  getCascadeServiceToken,
  InjectCascade,
} from 'nestjs-smsbat-cascade';
import { CascadeEmulator } from 'nestjs-smsbat-cascade/testing';
import { LogCapture } from './support/log-capture.js';
import { transaction } from './support/messages.js';

const KEYS = { brandA: 'brand-a-key-0001', brandB: 'brand-b-key-0002', tenant: 'tenant-key-0003' };

@Injectable()
class Brands {
  constructor(
    @InjectCascade('brandA') readonly brandA: CascadeService,
    @InjectCascade('brandB') readonly brandB: CascadeService,
  ) {}
}

@Injectable()
class DefaultUser {
  constructor(readonly cascade: CascadeService) {}
}

describe('several accounts in one app', () => {
  let emulator: CascadeEmulator;
  beforeAll(async () => {
    emulator = await CascadeEmulator.start();
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  const keysSeen = () => emulator.requests.map((request) => request.headers['x-authorization-key']);

  it('gives each named instance its own account, injected by name', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        CascadeModule.forRoot({ name: 'brandA', apiKey: KEYS.brandA, baseUrl: emulator.url }),
        CascadeModule.forRootAsync({
          name: 'brandB',
          useFactory: () => ({ apiKey: KEYS.brandB, baseUrl: emulator.url }),
        }),
      ],
      providers: [Brands],
    }).compile();
    const brands = moduleRef.get(Brands);

    await brands.brandA.send(transaction({ id: 'a-1' }));
    await brands.brandB.send(transaction({ id: 'b-1' }));
    await brands.brandA.sendBulk([transaction({ id: 'a-2' })]);

    expect(keysSeen()).toEqual([KEYS.brandA, KEYS.brandB, KEYS.brandA]);
    expect(moduleRef.get(getCascadeServiceToken('brandA'))).toBe(brands.brandA);
    expect(brands.brandA).not.toBe(brands.brandB);
    await moduleRef.close();
  });

  it('keeps the default instance unchanged beside a named one', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        CascadeModule.forRoot({ apiKey: KEYS.brandA, baseUrl: emulator.url }),
        CascadeModule.forRoot({ name: 'brandB', apiKey: KEYS.brandB, baseUrl: emulator.url }),
      ],
      providers: [DefaultUser],
    }).compile();

    await moduleRef.get(DefaultUser).cascade.send(transaction({ id: 'd-1' }));
    await moduleRef.get<CascadeService>(getCascadeServiceToken('brandB')).send(transaction());

    expect(keysSeen()).toEqual([KEYS.brandA, KEYS.brandB]);
    await moduleRef.close();
  });

  describe('per-call credentials', () => {
    const logs = new LogCapture();
    let service: CascadeService;
    let close: () => Promise<void>;
    beforeAll(async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [CascadeModule.forRoot({ apiKey: KEYS.brandA, baseUrl: emulator.url })],
      })
        .setLogger(logs)
        .compile();
      service = moduleRef.get(CascadeService);
      close = () => moduleRef.close();
    });
    afterAll(() => close());

    it('sends, bulk-sends and looks up with the call’s own account, in place of the module’s', async () => {
      const credentials = { apiKey: KEYS.tenant };
      const { messageId } = await service.send(transaction({ id: 't-1' }), { credentials });
      await service.sendBulk([transaction({ id: 't-2' })], { credentials });
      await service.getStatus(messageId, { credentials });
      await service.send(transaction({ id: 'm-1' }));

      expect(keysSeen()).toEqual([KEYS.tenant, KEYS.tenant, KEYS.tenant, KEYS.brandA]);
    });

    it('scrubs them from errors and never logs them', async () => {
      emulator.faults.next({
        kind: 'status',
        status: 401,
        body: { error: { code: 'UNAUTHORIZED', message: `unknown key ${KEYS.tenant}` } },
      });
      const error = await service
        .send(transaction({ id: 't-3' }), { credentials: { apiKey: KEYS.tenant } })
        .catch((e: unknown) => e);

      const texts = [String(error), JSON.stringify(error), inspect(error, { depth: 9 }), logs.text];
      for (const text of texts) expect(text).not.toContain(KEYS.tenant);
      expect(String(error)).toContain('[redacted]');
    });

    it('checks them like the module’s, naming the option and never the value', async () => {
      const error = await service
        .send(transaction(), { credentials: { apiKey: 'bad\r\nkey' } })
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(CascadeConfigError);
      expect(error).toMatchObject({ option: 'credentials.apiKey' });
      expect(String(error)).not.toContain('bad');
      expect(emulator.requests).toEqual([]);
    });
  });
});
