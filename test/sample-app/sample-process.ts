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

/** Runs the app to its end, for one that should refuse to start: its exit code and output. */
export async function runSampleAppToExit(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, NO_COLOR: '1', PORT: String(await freePort()), ...env },
    cwd: tmpdir(),
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  return { code, output };
}
