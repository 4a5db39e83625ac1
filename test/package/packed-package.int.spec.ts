import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Runs a command; its failure carries what it printed (npm's and TypeScript's errors). */
async function run(file: string, args: string[], cwd: string) {
  try {
    return await exec(file, args, { cwd });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${[file, ...args].join(' ')} failed:\n${(stdout + stderr).slice(-8000)}`, {
      cause: error,
    });
  }
}

const root = resolve(import.meta.dirname, '../..');
const consumers = join(import.meta.dirname, 'consumers');

/** What the build and `npm pack` read; anything else in the repository must not matter. */
const SOURCES = [
  'package.json',
  'README.md',
  'LICENSE',
  'tsconfig.base.json',
  'tsconfig.build.json',
  'lib',
];

/** The user apps in `consumers/`, each installed from the registry once per run. */
const APPS = ['nest12-esm', 'nest11-cjs'];

/** The ways the apps are compiled: each must type-check and run. */
const BUILDS = [
  {
    title: 'a Nest 12 ES module app',
    app: 'nest12-esm',
    tsconfig: 'tsconfig.json',
    main: 'dist/main.js',
  },
  {
    title: 'a Nest 11 CommonJS app compiled with "module": "commonjs"',
    app: 'nest11-cjs',
    tsconfig: 'tsconfig.json',
    main: 'dist/main.js',
  },
  {
    // `"module": "node16"` refuses any `require` of an ES module (TS1479); `node20` is the same
    // resolution for the Node versions that can.
    title: 'a Nest 11 CommonJS app compiled with "moduleResolution": "node16"',
    app: 'nest11-cjs',
    tsconfig: 'tsconfig.node20.json',
    main: 'dist-node20/main.js',
  },
];

// Installs fetch a few hundred packages from the registry: slow, but bounded.
const INSTALL_TIMEOUT = 10 * 60_000;
const APP_TIMEOUT = 3 * 60_000;

describe('the packed package', () => {
  let dir: string;
  let tarball: string;
  let packed: string[];
  /** What each build's app saw, by title; started once the apps are installed. */
  const seen = new Map<string, Promise<unknown>>();

  /** Packs the package as `npm publish` would, from a copy holding a stale build output. */
  async function pack(): Promise<void> {
    const source = join(dir, 'source');
    for (const path of SOURCES) await cp(join(root, path), join(source, path), { recursive: true });
    await symlink(join(root, 'node_modules'), join(source, 'node_modules'), 'dir');
    await mkdir(join(source, 'dist'));
    await writeFile(join(source, 'dist/stale.js'), 'export {};\n');
    // `prepack` builds the library; the output also holds the build's log, before the JSON.
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], source);
    const [{ filename, files }] = JSON.parse(stdout.slice(stdout.indexOf('\n[') + 1)) as {
      filename: string;
      files: { path: string }[];
    }[];
    tarball = join(dir, filename);
    packed = files.map((file) => file.path);
  }

  /** Copies an app and installs its dependencies, and the tarball, from the registry. */
  async function install(app: string): Promise<void> {
    await cp(join(consumers, app), join(dir, app), { recursive: true });
    await cp(join(consumers, 'src'), join(dir, app, 'src'), { recursive: true });
    // A plain install: npm must find every peer range of the package satisfiable.
    await run('npm', ['install', '--no-audit', '--no-fund', tarball], join(dir, app));
  }

  /** Compiles an app with its own TypeScript and settings, runs it and returns what it saw. */
  async function buildAndRun({ app, tsconfig, main }: (typeof BUILDS)[number]): Promise<unknown> {
    const cwd = join(dir, app);
    const tsc = join(cwd, 'node_modules/typescript/bin/tsc');
    await run(process.execPath, [tsc, '-p', tsconfig], cwd);
    const { stdout } = await run(process.execPath, [main], cwd);
    return JSON.parse(stdout);
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cascade-pack-'));
    await pack();
    await Promise.all(APPS.map(install));
    // The builds run side by side, each awaited by its own test.
    for (const build of BUILDS) {
      const result = buildAndRun(build);
      result.catch(() => {});
      seen.set(build.title, result);
    }
  }, INSTALL_TIMEOUT);
  afterAll(async () => {
    await Promise.allSettled(seen.values());
    await rm(dir, { recursive: true, force: true });
  });

  it('holds only the fresh build, the README and the license', () => {
    expect(packed).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/index.d.ts',
        'dist/emulator/index.js',
        'README.md',
        'LICENSE',
      ]),
    );
    expect(
      packed.filter((path) => !/^(dist\/|README\.md$|LICENSE$|package\.json$)/.test(path)),
    ).toEqual([]);
    expect(packed.filter((path) => path.endsWith('.map'))).toEqual([]);
    expect(packed.filter((path) => path.startsWith('dist/stale'))).toEqual([]);
  });

  it('installs the emulator command, which runs as installed', async () => {
    const cwd = join(dir, APPS[0]);
    const { stdout } = await run(join(cwd, 'node_modules/.bin/cascade-emulator'), ['--help'], cwd);
    expect(stdout).toContain('Usage: cascade-emulator');
  });

  it('exports its entry points and nothing deeper', async () => {
    const app = join(dir, 'nest12-esm');
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
    // TypeScript's `node10` resolution ignores `exports`: these give the subpaths their types.
    expect(manifest.typesVersions['*']).toEqual({
      testing: [manifest.exports['./testing'].types],
      health: [manifest.exports['./health'].types],
      queue: [manifest.exports['./queue'].types],
    });
    const deepImport = `import('nestjs-smsbat-cascade/dist/cascade.service.js')
      .then(() => console.log('allowed'), (error) => console.log(error.code));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', deepImport], app);
    expect(stdout.trim()).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  /** Sent, validated, and told of a delivery, the same in every kind of app. */
  const works = {
    good: {
      status: 201,
      body: [{ messageId: expect.any(String), trackinId: 'consumer-1', trackingId: 'consumer-1' }],
    },
    bad: { status: 400, message: [expect.stringContaining('messages.0.toPhone')] },
    requests: [
      { method: 'POST', path: '/api/CascadeMessage/send_message/async', apiKey: 'consumer-key' },
      // The health check's.
      { method: 'GET', path: '/', apiKey: 'consumer-key' },
    ],
    webhook: { withoutSecret: 401, withSecret: 204 },
    update: { messageId: 'm-1', deliverystatus: 'delivered', final: true },
    health: 'up',
    queueModule: 'function',
  };

  it.each(BUILDS)(
    'works in $title',
    async ({ title }) => {
      expect(await seen.get(title)).toEqual(works);
    },
    APP_TIMEOUT,
  );
});
