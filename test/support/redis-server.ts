import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

/**
 * A real Redis server of the test's own, on a free port, writing its append-only file to a
 * folder of its own, so that a restart keeps every job. `redis-server` must be on the PATH
 * (the integration tests' global setup, `provision.ts`, installs Debian's package when missing).
 */
export class RedisServer {
  private process?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(
      await freePort(),
      await mkdtemp(join(tmpdir(), 'cascade-redis-')),
    );
    await server.launch();
    return server;
  }

  get connection() {
    return { host: '127.0.0.1', port: this.port };
  }

  /** Stops the server (it writes its data first) and starts it again on the same port. */
  async restart(downMs = 200): Promise<void> {
    await this.halt();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.halt();
    await rm(this.dir, { recursive: true, force: true });
  }

  private launch(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--protected-mode',
        'no',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    this.process = child;
    return new Promise((resolve, reject) => {
      let output = '';
      child.on('error', (error) =>
        reject(new Error(`redis-server could not start: ${error.message}`)),
      );
      child.stdout!.on('data', (chunk) => {
        output += chunk;
        if (output.includes('Ready to accept connections')) resolve();
      });
      child.once('exit', (code) =>
        reject(new Error(`redis-server exited with ${code}: ${output}`)),
      );
    });
  }

  private halt(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.removeAllListeners('exit');
      child.once('exit', () => {
        child.stdout?.destroy();
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
