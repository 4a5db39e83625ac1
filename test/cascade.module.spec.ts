import { HttpService } from '@nestjs/axios';
import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import axios from 'axios';
import {
  CASCADE_HTTP_CLIENT,
  CascadeConfigError,
  CascadeModule,
  type CascadeModuleOptions,
  CascadeService,
} from 'nestjs-smsbat-cascade';
import { CascadeEmulator } from 'nestjs-smsbat-cascade/testing';
import { transaction } from './support/messages.js';

describe('CascadeModule', () => {
  let emulator: CascadeEmulator;

  beforeAll(async () => {
    emulator = await CascadeEmulator.start();
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  /** Compiles a module, sends one message through its CascadeService, and closes it. */
  async function sendThrough(imports: unknown[]) {
    const moduleRef = await Test.createTestingModule({ imports: imports as never[] }).compile();
    try {
      await moduleRef.get(CascadeService, { strict: false }).send(transaction());
    } finally {
      await moduleRef.close();
    }
    return emulator.requests[0].headers;
  }

  describe('forRoot', () => {
    it('sends only the credentials it is given', async () => {
      const headers = await sendThrough([
        CascadeModule.forRoot({ viberToken: 'viber-t', tgBotKey: 'tg-k', baseUrl: emulator.url }),
      ]);

      expect(headers['x-viber-auth-token']).toBe('viber-t');
      expect(headers['x-tg-bot-key']).toBe('tg-k');
      expect(headers).not.toHaveProperty('x-authorization-key');
    });

    it('ignores a trailing slash on the base URL', async () => {
      await sendThrough([CascadeModule.forRoot({ apiKey: 'k', baseUrl: `${emulator.url}/` })]);

      expect(emulator.requests[0].path).toBe('/api/CascadeMessage/send_message/async');
    });
  });

  describe('forRootAsync', () => {
    const fromConfig = (config: ConfigService): CascadeModuleOptions => ({
      apiKey: config.getOrThrow('CASCADE_API_KEY'),
      baseUrl: config.getOrThrow('CASCADE_BASE_URL'),
    });
    const configModule = () =>
      ConfigModule.forRoot({
        ignoreEnvFile: true,
        load: [() => ({ CASCADE_API_KEY: 'from-config', CASCADE_BASE_URL: emulator.url })],
      });

    it('takes options from a factory with injected dependencies', async () => {
      const headers = await sendThrough([
        CascadeModule.forRootAsync({
          imports: [configModule()],
          inject: [ConfigService],
          useFactory: fromConfig,
        }),
      ]);

      expect(headers['x-authorization-key']).toBe('from-config');
    });

    it('takes options from a class (useClass)', async () => {
      @Injectable()
      class CascadeOptionsFactory {
        create(): CascadeModuleOptions {
          return { apiKey: 'from-class', baseUrl: emulator.url };
        }
      }

      const headers = await sendThrough([
        CascadeModule.forRootAsync({ useClass: CascadeOptionsFactory }),
      ]);

      expect(headers['x-authorization-key']).toBe('from-class');
    });

    it('takes options from an existing provider (useExisting)', async () => {
      @Injectable()
      class SharedOptions {
        create(): CascadeModuleOptions {
          return { apiKey: 'from-existing', baseUrl: emulator.url };
        }
      }
      @Module({ providers: [SharedOptions], exports: [SharedOptions] })
      class SharedModule {}

      const headers = await sendThrough([
        CascadeModule.forRootAsync({ imports: [SharedModule], useExisting: SharedOptions }),
      ]);

      expect(headers['x-authorization-key']).toBe('from-existing');
    });
  });

  it('with isGlobal, serves modules that do not import it', async () => {
    @Injectable()
    class Notifier {
      constructor(readonly cascade: CascadeService) {}
    }
    @Module({ providers: [Notifier], exports: [Notifier] })
    class FeatureModule {}

    const moduleRef = await Test.createTestingModule({
      imports: [
        CascadeModule.forRoot({ apiKey: 'k', baseUrl: emulator.url, isGlobal: true }),
        FeatureModule,
      ],
    }).compile();

    expect(moduleRef.get(Notifier).cascade).toBeInstanceOf(CascadeService);
    await moduleRef.close();
  });

  it('lets a test override the HTTP client by its token', async () => {
    const other = await CascadeEmulator.start();
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [CascadeModule.forRoot({ apiKey: 'k', baseUrl: 'https://restapi.smsbat.com' })],
      })
        .overrideProvider(CASCADE_HTTP_CLIENT)
        .useValue(
          new HttpService(axios.create({ baseURL: other.url, headers: { 'X-Tg-Bot-Key': 't' } })),
        )
        .compile();

      await moduleRef.get(CascadeService).send(transaction());

      expect(other.requests).toHaveLength(1);
      await moduleRef.close();
    } finally {
      await other.close();
    }
  });

  describe('checks its options at bootstrap', () => {
    const SECRET = 'sk-live-\nsecret';

    it.each<[string, CascadeModuleOptions, string]>([
      ['no credential', { baseUrl: 'http://127.0.0.1:1' }, 'apiKey'],
      ['only empty credentials', { apiKey: '', tgBotKey: '' }, 'apiKey'],
      ['a credential with a line break', { apiKey: SECRET }, 'apiKey'],
      ['a relative baseUrl', { apiKey: 'k', baseUrl: 'restapi.smsbat.com' }, 'baseUrl'],
      [
        'a baseUrl of another scheme',
        { apiKey: 'k', baseUrl: 'ftp://restapi.smsbat.com' },
        'baseUrl',
      ],
      [
        'a baseUrl holding credentials',
        { apiKey: 'k', baseUrl: 'https://u:p@restapi.smsbat.com' },
        'baseUrl',
      ],
      ['a zero timeout', { apiKey: 'k', timeoutMs: 0 }, 'timeoutMs'],
      ['a negative timeout', { apiKey: 'k', timeoutMs: -1 }, 'timeoutMs'],
    ])('fails on %s, naming the option', async (_label, options, option) => {
      const compiling = Test.createTestingModule({
        imports: [CascadeModule.forRoot(options)],
      }).compile();

      const error = await compiling.catch((e: unknown) => e);

      expect(error).toBeInstanceOf(CascadeConfigError);
      expect(error).toMatchObject({ option });
      expect((error as Error).message).toMatch(new RegExp(`^Cascade option ${option}: `));
      expect((error as Error).message).not.toContain('secret');
    });

    it('fails when forRootAsync yields bad options', async () => {
      const compiling = Test.createTestingModule({
        imports: [
          CascadeModule.forRootAsync({ useFactory: async () => ({ apiKey: 'k', timeoutMs: NaN }) }),
        ],
      }).compile();

      await expect(compiling).rejects.toThrow('Cascade option timeoutMs');
    });
  });
});
