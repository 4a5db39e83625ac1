import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A program some tests need, how to tell it is there, and the Debian packages that bring it. */
export interface Need {
  /** What it is, for people: `PHP with curl`. */
  what: string;
  /** A command that exits 0 when it is there: `['php', '-r', '...']`. */
  check: string[];
  debianPackages: string[];
}

const passes = ([command, ...args]: string[]) =>
  run(command, args, { timeout: 60_000 }).then(
    () => true,
    () => false,
  );

// `apt-get update` once per process, however many specs ask.
let updated: Promise<unknown> | undefined;

/**
 * Checks each need; installs the missing ones' Debian packages with apt-get (once
 * `apt-get update`) when root and non-interactive, printing one line; otherwise throws saying
 * exactly what to install.
 */
export async function provide(needs: Need[]): Promise<void> {
  const missing = await missingOf(needs);
  if (missing.length === 0) return;
  const packages = [...new Set(missing.flatMap((need) => need.debianPackages))];
  const what = missing.map((need) => need.what).join(', ');
  const canInstall =
    process.getuid?.() === 0 && !process.stdin.isTTY && (await passes(['apt-get', '--version']));
  if (!canInstall) {
    throw new Error(`Missing ${what}: install it with: apt-get install ${packages.join(' ')}`);
  }
  process.stderr.write(`provision: installing ${packages.join(' ')} with apt-get, for ${what}\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Another process may hold dpkg's lock (a parallel spec, the system's own updates): wait.
  const lock = ['-o', 'DPkg::Lock::Timeout=300'];
  updated ??= run('apt-get', [...lock, 'update'], { env });
  await updated;
  await run('apt-get', [...lock, 'install', '-y', '--no-install-recommends', ...packages], {
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  const still = await missingOf(missing);
  if (still.length > 0) {
    throw new Error(
      `Installed ${packages.join(' ')}, yet ${still.map((need) => need.what).join(', ')} is still missing`,
    );
  }
}

async function missingOf(needs: Need[]): Promise<Need[]> {
  const present = await Promise.all(needs.map((need) => passes(need.check)));
  return needs.filter((_, index) => !present[index]);
}
