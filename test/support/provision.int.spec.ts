import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import ts from 'typescript';
import { INSTALL_SWITCH, type Need, REDIS } from './provision.js';

/**
 * `provide` runs in a Node process of its own, as Jest's global setup does, with the PATH and
 * environment each case needs. Where apt-get must answer, a script named apt-get stands first on
 * the PATH and writes down how it was called; the real one is never run.
 */
describe('provide', () => {
  let dir: string;
  const root = process.getuid?.() === 0;
  const FAKE_TOOL: Need = {
    what: 'the fake tool',
    check: ['cascade-fake-tool', '--version'],
    debianPackages: ['cascade-fake-tool'],
  };
  const NODE: Need = { what: 'Node', check: [process.execPath, '--version'], debianPackages: [] };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cascade-provision-'));
    const source = await readFile(resolve(import.meta.dirname, 'provision.ts'), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
    });
    await writeFile(join(dir, 'provision.mjs'), outputText);
    await writeFile(
      join(dir, 'run.mjs'),
      `import { provide } from './provision.mjs';
try {
  await provide(JSON.parse(process.argv[2]));
} catch (error) {
  process.stderr.write(error.message);
  process.exitCode = 1;
}
`,
    );
    // The stand-in apt-get: "installs" the fake tool, or fails, or does nothing, as told.
    await writeFile(
      join(dir, 'apt-get'),
      `#!/bin/sh
case "$1" in
  --version) echo "apt (stand-in)"; exit 0 ;;
esac
echo "$DEBIAN_FRONTEND $*" >> "${dir}/apt.log"
case " $* " in *" install "*) ;; *) exit 0 ;; esac
case "$APT_STANDIN" in
  install) printf '#!/bin/sh\\nexit 0\\n' > "${dir}/cascade-fake-tool"; chmod +x "${dir}/cascade-fake-tool" ;;
  fail) echo "E: Unable to locate package cascade-fake-tool" >&2; exit 100 ;;
esac
`,
    );
    await chmod(join(dir, 'apt-get'), 0o755);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    await rm(join(dir, 'apt.log'), { force: true });
    await rm(join(dir, 'cascade-fake-tool'), { force: true });
  });

  /** Runs `provide(needs)` in a child with this PATH and environment. */
  function provideIn(needs: Need[], PATH: string, env: Record<string, string> = {}) {
    const child = spawn(process.execPath, [join(dir, 'run.mjs'), JSON.stringify(needs)], {
      env: { PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) =>
      child.once('close', (code) => done({ code, stdout, stderr })),
    );
  }
  const aptCalls = () => readFile(join(dir, 'apt.log'), 'utf8').catch(() => '');
  /** The stand-in apt-get first, then the machine's own PATH. */
  const withStandIn = () => `${dir}${delimiter}${process.env.PATH}`;

  it('does nothing, silently, when every need is met', async () => {
    const result = await provideIn([NODE], withStandIn());

    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await aptCalls()).toBe('');
  });

  it('says what to install when Redis is missing and apt-get is out of reach', async () => {
    // An empty folder as the PATH hides redis-server and apt-get alike.
    const empty = await mkdtemp(join(tmpdir(), 'cascade-empty-path-'));
    try {
      const result = await provideIn([NODE, REDIS], empty);

      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        'Missing for the tests: Redis (redis-server --version failed). ' +
          'Not installed automatically (no apt-get on the PATH). ' +
          'Install, as root: apt-get update && apt-get install -y --no-install-recommends redis-server',
      );
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it(`installs nothing when ${INSTALL_SWITCH}=0, and says what to install`, async () => {
    const result = await provideIn([FAKE_TOOL], withStandIn(), {
      [INSTALL_SWITCH]: '0',
      APT_STANDIN: 'install',
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Not installed automatically (${INSTALL_SWITCH}=0)`);
    expect(result.stderr).toContain(
      'Install, as root: apt-get update && apt-get install -y --no-install-recommends cascade-fake-tool',
    );
    expect(await aptCalls()).toBe('');
  });

  // Installing takes root; elsewhere the same call must refuse, without running apt-get.
  it(
    root
      ? 'installs what is missing with one update and one install, and says so in one line'
      : 'refuses to install when not root, saying what to run',
    async () => {
      const twice: Need = { ...FAKE_TOOL, what: 'the fake tool, asked for twice' };
      const result = await provideIn([NODE, FAKE_TOOL, twice], withStandIn(), {
        APT_STANDIN: 'install',
      });

      if (root) {
        expect(result).toEqual({
          code: 0,
          stdout:
            'Installed for the tests with apt-get: cascade-fake-tool ' +
            '(the fake tool, the fake tool, asked for twice)\n',
          stderr: '',
        });
        expect(await aptCalls()).toBe(
          'noninteractive -o DPkg::Lock::Timeout=300 update\n' +
            'noninteractive -o DPkg::Lock::Timeout=300 install -y --no-install-recommends cascade-fake-tool\n',
        );
      } else {
        expect(result.code).toBe(1);
        expect(result.stderr).toContain('Not installed automatically (not running as root)');
        expect(result.stderr).toContain(
          'apt-get install -y --no-install-recommends cascade-fake-tool',
        );
        expect(await aptCalls()).toBe('');
      }
    },
  );

  it.each([
    [
      'apt-get fails',
      'fail',
      /`apt-get install -y --no-install-recommends cascade-fake-tool` failed \(exit 100\): E: Unable to locate package cascade-fake-tool\. Install, as root: apt-get update && apt-get install/,
    ],
    [
      'the package does not bring what was needed',
      'nothing',
      /^Installed cascade-fake-tool, yet still missing: the fake tool \(cascade-fake-tool --version\)$/,
    ],
  ])('fails, saying why, when %s', async (_label, standIn, message) => {
    const result = await provideIn([FAKE_TOOL], withStandIn(), { APT_STANDIN: standIn });

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(root ? message : /not running as root/);
  });
});
