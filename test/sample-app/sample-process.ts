import { type ChildProcess, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { freePort } from '../support/free-port.js';

const MAIN = resolve(import.meta.dirname, '../../sample-app/dist/main.js');

export interface SampleProcess {
  url: string;
  /** Everything the app has logged so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Runs the built sample app (`npm run build`) in a Node process of its own, as `npm start`
 * does, with only these settings in its environment.
 */
export async function startSampleApp(env: Record<string, string> = {}): Promise<SampleProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, NO_COLOR: '1', PORT: String(port), ...env },
    // Away from the repository, so a developer's own .env cannot change what is tested.
    cwd: tmpdir(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  await new Promise<void>((done, fail) => {
    const check = () => {
      if (output.includes('Listening on')) done();
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => fail(new Error(`sample app exited with ${code}:\n${output}`)));
  });
  return { url: `http://127.0.0.1:${port}`, output: () => output, stop: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

/** Apps run to their end that have not ended yet. */
const running = new Set<ChildProcess>();

/**
 * Runs the app to its end, for one that should refuse to start: its exit code and output. One
 * that starts after all is stopped at once (its code is then not 1), so no test waits on it.
 */
export async function runSampleAppToExit(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, NO_COLOR: '1', PORT: String(await freePort()), ...env },
    cwd: tmpdir(),
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
    if (output.includes('Listening on')) child.kill('SIGKILL');
  });
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  return { code, output };
}

/** Stops every app a test ran to its end that is still running: one that hangs as it boots. */
export function stopLeftovers(): void {
  for (const child of running) child.kill('SIGKILL');
}
