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
    private readonly password?: string,
  ) {}

  /** Starts a server; with a password, it refuses clients that do not give it. */
  static async start({ password }: { password?: string } = {}): Promise<RedisServer> {
    const server = new RedisServer(
      await freePort(),
      await mkdtemp(join(tmpdir(), 'cascade-redis-')),
      password,
    );
    await server.launch();
    return server;
  }

  get connection() {
    return {
      host: '127.0.0.1',
      port: this.port,
      ...(this.password && { password: this.password }),
    };
  }

  /** Stops the server (it writes its data first) and starts it again on the same port. */
  async restart(downMs = 200): Promise<void> {
    await this.down();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.up();
  }

  /** Stops the server, keeping its data, until `up()`. */
  down(): Promise<void> {
    return this.halt();
  }

  /** Starts the server again on its port, with its data. */
  up(): Promise<void> {
    return this.launch();
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
        ...(this.password ? ['--requirepass', this.password] : []),
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
