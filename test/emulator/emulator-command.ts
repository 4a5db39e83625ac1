import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** The built command, as `npx cascade-emulator` runs it. */
export const EMULATOR_COMMAND = resolve(import.meta.dirname, '../../dist/emulator/cli.js');

export interface RunningCommand {
  child: ChildProcess;
  /** The URL it printed. */
  url: string;
  /** Every line it printed after the URL, one per call. */
  lines: string[];
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts the command and resolves once it prints its URL. */
export async function startCommand(args: string[]): Promise<RunningCommand> {
  const child = spawn(process.execPath, [EMULATOR_COMMAND, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const lines: string[] = [];
  const url = await new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const listening = /listening on (\S+)$/.exec(line);
      if (listening) done(listening[1]);
      else lines.push(line);
    });
    void exited.then((code) => fail(new Error(`the command exited with ${code}: ${stderr}`)));
  });
  return {
    child,
    url,
    lines,
    stop: (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
}

/** Runs the command to its end (as a refused argument ends it). */
export function runCommand(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [EMULATOR_COMMAND, ...args], (error, stdout, stderr) =>
      done({ code: typeof error?.code === 'number' ? error.code : error ? -1 : 0, stdout, stderr }),
    );
  });
}

/** A log line without its leading timestamp: `POST /path 200 1 accepted`. */
export const withoutTime = (line: string) => line.replace(/^\S+ /, '');
