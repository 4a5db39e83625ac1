import { spawn } from 'node:child_process';

/** A program or library the tests need from the system. */
export interface Need {
  /** what to say */
  what: string;
  /** a command whose success means it is there, e.g. ['redis-server','--version'] or ['python3','-c','import requests'] */
  check: string[];
  /** the Debian package(s) that provide it */
  debianPackages: string[];
}

/** Set to `0` to forbid installing: `provide` then only says what to install. */
export const INSTALL_SWITCH = 'CASCADE_TEST_INSTALL';

let listsUpdated = false;

/**
 * Makes sure every need is met. What is missing is installed with apt-get when that can happen
 * without a prompt (root, apt-get on the PATH, not switched off); otherwise the error says what to
 * install. Only node:child_process is used, so that the helper runs before anything else works.
 */
export async function provide(needs: Need[]): Promise<void> {
  const missing = await missingOf(needs);
  if (missing.length === 0) return;
  const packages = [...new Set(missing.flatMap((need) => need.debianPackages))];
  const install = ['apt-get', 'install', '-y', '--no-install-recommends', ...packages];
  const wanted = missing.map((need) => `${need.what} (${need.check.join(' ')} failed)`).join(', ');
  const manually = `apt-get update && ${install.join(' ')}`;

  const refusal = await whyNotInstall();
  if (refusal) {
    throw new Error(
      `Missing for the tests: ${wanted}. Not installed automatically (${refusal}). ` +
        `Install, as root: ${manually}`,
    );
  }
  // Never a prompt: no terminal to answer one, and debconf told not to ask.
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Another process may hold dpkg's lock (a fresh machine's own updates): wait for it.
  const waitForLock = ['-o', 'DPkg::Lock::Timeout=300'];
  for (const command of [...(listsUpdated ? [] : [['apt-get', 'update']]), install]) {
    const { code, output } = await run([command[0], ...waitForLock, ...command.slice(1)], env);
    if (code !== 0) {
      throw new Error(
        `Missing for the tests: ${wanted}. \`${command.join(' ')}\` failed (exit ${code}): ` +
          `${output.trim().split('\n').slice(-5).join(' | ')}. Install, as root: ${manually}`,
      );
    }
    if (command[1] === 'update') listsUpdated = true;
  }
  const still = await missingOf(missing);
  if (still.length > 0) {
    const names = still.map((need) => `${need.what} (${need.check.join(' ')})`).join(', ');
    throw new Error(`Installed ${packages.join(' ')}, yet still missing: ${names}`);
  }
  process.stdout.write(
    `Installed for the tests with apt-get: ${packages.join(' ')} (${missing.map((n) => n.what).join(', ')})\n`,
  );
}

async function missingOf(needs: Need[]): Promise<Need[]> {
  const met = await Promise.all(needs.map(async (need) => (await run(need.check)).code === 0));
  return needs.filter((_, i) => !met[i]);
}

/** Why apt-get may not be used here, or nothing when it may. */
async function whyNotInstall(): Promise<string | undefined> {
  if (process.env[INSTALL_SWITCH] === '0') return `${INSTALL_SWITCH}=0`;
  if ((await run(['apt-get', '--version'])).code !== 0) return 'no apt-get on the PATH';
  // sudo could stop for a password; only root installs unattended.
  if (process.getuid?.() !== 0) return 'not running as root';
  return undefined;
}

/** Runs a command to its end; a command that cannot start counts as a failure. */
function run(
  [command, ...args]: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', (error) => resolve({ code: null, output: error.message }));
    child.once('close', (code) => resolve({ code, output }));
  });
}

/** Redis, for the queue tests: each starts servers of its own (`redis-server.ts`). */
export const REDIS: Need = {
  what: 'Redis',
  check: ['redis-server', '--version'],
  debianPackages: ['redis-server'],
};

/** curl, for the vendor's curl examples (`test/emulator/seed-clients`). */
export const CURL: Need = { what: 'curl', check: ['curl', '--version'], debianPackages: ['curl'] };

/**
 * Jest's global setup for the integration tests (`jest.config.js`): what they need from the
 * system. It lives here because Jest loads it with Node's own loader, which cannot follow a `.js`
 * import to a `.ts` file.
 */
export default async function globalSetup(): Promise<void> {
  await provide([REDIS, CURL]);
}
