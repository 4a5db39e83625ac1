import { ConsoleLogger, type LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CascadeModule, type CascadeModuleOptions, CascadeService } from 'nestjs-smsbat-cascade';
import { CascadeEmulator, type CascadeEmulatorOptions } from 'nestjs-smsbat-cascade/testing';

export const API_KEY = 'test-api-key-6f1c2d';

/** Keeps expected retry warnings out of the test output. */
class SilentLogger extends ConsoleLogger {
  override warn(): void {}
  override debug(): void {}
}

/** An emulator on a free port and a Nest app whose CascadeModule points at it. */
export async function startCascade(
  options: Partial<CascadeModuleOptions> = {},
  emulatorOptions: CascadeEmulatorOptions = {},
  logger: LoggerService | false = false,
) {
  const emulator = await CascadeEmulator.start(emulatorOptions);
  const moduleRef = await Test.createTestingModule({
    imports: [CascadeModule.forRoot({ apiKey: API_KEY, baseUrl: emulator.url, ...options })],
  })
    .setLogger(logger || new SilentLogger())
    .compile();
  await moduleRef.init();
  const service = moduleRef.get(CascadeService);
  const close = async () => {
    await moduleRef.close();
    await emulator.close();
  };
  return { emulator, moduleRef, service, close };
}
