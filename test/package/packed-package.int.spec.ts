import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');

/** Imports the package by name, sends through the emulator, and prints what it saw. */
const consumer = `
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { CascadeModule, CascadeService, CascadeValidationError, maskPhone } from 'nestjs-smsbat-cascade';
import { CascadeEmulator } from 'nestjs-smsbat-cascade/testing';

const emulator = await CascadeEmulator.start();
const app = await NestFactory.createApplicationContext(
  CascadeModule.forRoot({ apiKey: 'packed', baseUrl: emulator.url }),
  { logger: false },
);
const result = await app.get(CascadeService).send({
  id: 'packed-1', fromName: 'Shop', toPhone: '+380501234567', messageType: 'transaction', text: 'Hi',
});
let deepImport = 'allowed';
try {
  await import('nestjs-smsbat-cascade/dist/cascade.service.js');
} catch (error) {
  deepImport = error.code;
}
await app.close();
await emulator.close();
console.log(JSON.stringify({
  trackingId: result.trackingId,
  header: emulator.requests[0].headers['x-authorization-key'],
  validationError: typeof CascadeValidationError,
  masked: maskPhone('+380501234567'),
  deepImport,
}));
`;

const PEERS = [
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/axios',
  'axios',
  'rxjs',
  'class-validator',
  'class-transformer',
  'reflect-metadata',
];

describe('the packed package', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cascade-pack-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('installs from its tarball and imports by name in a separate Node process', async () => {
    const { stdout: packed } = await run('npm', ['pack', '--json', '--pack-destination', dir], {
      cwd: root,
    });
    const [{ filename, files }] = JSON.parse(packed.slice(packed.indexOf('['))) as {
      filename: string;
      files: { path: string }[];
    }[];
    const paths = files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'README.md']),
    );
    expect(paths).toContain('dist/emulator/index.js');
    expect(
      paths.filter((path) => !/^(dist\/|README\.md$|LICENSE$|package\.json$)/.test(path)),
    ).toEqual([]);
    expect(paths.filter((path) => path.endsWith('.map'))).toEqual([]);

    const app = join(dir, 'app');
    await mkdir(app);
    await writeFile(join(app, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    // Only the tarball comes from npm here; the peers are the ones this repository tests with.
    await run(
      'npm',
      [
        'install',
        '--offline',
        '--legacy-peer-deps',
        '--no-audit',
        '--no-fund',
        join(dir, filename),
      ],
      { cwd: app },
    );
    for (const peer of PEERS) {
      await mkdir(join(app, 'node_modules', peer, '..'), { recursive: true });
      await symlink(join(root, 'node_modules', peer), join(app, 'node_modules', peer), 'dir');
    }
    await writeFile(join(app, 'consumer.mjs'), consumer);

    const { stdout } = await run(process.execPath, ['consumer.mjs'], { cwd: app });

    expect(JSON.parse(stdout)).toEqual({
      trackingId: 'packed-1',
      header: 'packed',
      validationError: 'function',
      masked: '+380*****4567',
      deepImport: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
    });
    const manifest = JSON.parse(
      await readFile(join(app, 'node_modules/nestjs-smsbat-cascade/package.json'), 'utf8'),
    );
    expect(Object.keys(manifest.exports)).toEqual([
      '.',
      './testing',
      './health',
      './queue',
      './package.json',
    ]);
  }, 120_000);
});
