import { Logger } from '@nestjs/common';
import type { ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { CascadeQueueUnavailableError } from '../errors/cascade-queue-unavailable.error.js';
import { quote } from '../redact.js';
import type { ResolvedQueueOptions } from './cascade-queue.options.js';

/** Whether the connection option is an ioredis instance (of any copy of ioredis), not options. */
export const isRedisInstance = (connection: RedisOptions | Redis): connection is Redis =>
  typeof (connection as Redis).duplicate === 'function';

/**
 * Reconnects at most 3 s apart (BullMQ's own default reaches 20 s), so that the queue works
 * again within seconds of Redis coming back; a `retryStrategy` given in the options wins.
 */
const reconnect = (times: number) => Math.min(times * 1000, 3000);

/** The connection BullMQ's `Worker` gets: ioredis options or instance, as BullMQ types them. */
export function workerConnection({ connection }: ResolvedQueueOptions): ConnectionOptions {
  return (
    isRedisInstance(connection) ? connection : { retryStrategy: reconnect, ...connection }
  ) as ConnectionOptions;
}

/** The connection BullMQ's `Queue` gets: the worker's, with its commands bounded in time. */
export function queueConnection(options: ResolvedQueueOptions): ConnectionOptions {
  const connection = workerConnection(options);
  return isRedisInstance(options.connection)
    ? connection
    : ({ ...connection, commandTimeout: options.redisTimeoutMs } as ConnectionOptions);
}

/** ioredis's own failures when the server is gone or slow, as opposed to a reply from Redis. */
const CONNECTION_FAILURES = /^(Command timed out|Connection is closed|Stream isn't writeable)/;

/**
 * The module's own connection to the queue's Redis, for its Lua scripts and reads (BullMQ's
 * connections stay BullMQ's), opened from the same options, with every command bounded by
 * `redisTimeoutMs`. `run` turns any failure into a `CascadeQueueUnavailableError` that names the
 * call and carries none of the command's arguments.
 */
export class QueueRedis {
  readonly client: Redis;
  /** The Redis key of the queue's namespace, as BullMQ names it: `prefix:queueName`. */
  readonly base: string;
  private readonly logger = new Logger('CascadeQueue');
  private down = false;

  constructor(private readonly options: ResolvedQueueOptions) {
    const { connection, redisTimeoutMs, prefix, queueName } = options;
    const bounded = { commandTimeout: redisTimeoutMs };
    this.client = isRedisInstance(connection)
      ? connection.duplicate(bounded)
      : new Redis({ retryStrategy: reconnect, ...connection, ...bounded });
    this.base = `${prefix}:${queueName}`;
    // The client reconnects by itself; an error left unheard would end the process. Logged once
    // per outage, with the client's own words only (host and port, never the password).
    this.client.on('error', (error: Error) => {
      if (this.down) return;
      this.down = true;
      this.logger.warn(`Redis connection failed: ${quote(error.message)}`);
    });
    this.client.on('ready', () => (this.down = false));
  }

  /** Registers a Lua script as a command of this connection (sent once, then by its hash). */
  script(
    name: string,
    lua: string,
  ): (keys: string[], args: (string | number)[]) => Promise<unknown> {
    this.client.defineCommand(name, { lua });
    const command = (
      this.client as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>
    )[name].bind(this.client);
    // ioredis flattens array arguments: no spreading of thousands of them into one call.
    return (keys, args) => command(keys.length, keys, args);
  }

  /**
   * Runs work that needs Redis within `redisTimeoutMs`; on timeout or failure, throws a
   * `CascadeQueueUnavailableError` naming `operation`. A write that timed out may still take
   * effect later.
   */
  async run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    const { redisTimeoutMs } = this.options;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new CascadeQueueUnavailableError(operation, `no answer within ${redisTimeoutMs} ms`),
          ),
        redisTimeoutMs,
      );
    });
    try {
      return await Promise.race([work(), late]);
    } catch (error) {
      throw this.unavailable(operation, error);
    } finally {
      clearTimeout(timer);
    }
  }

  private unavailable(operation: string, error: unknown): unknown {
    if (error instanceof CascadeQueueUnavailableError) return error;
    const { name, message } = error instanceof Error ? error : { name: '', message: '' };
    const { redisTimeoutMs } = this.options;
    if (name === 'ReplyError') {
      // Only Redis's error code: the rest of its message may quote the command.
      const code = /^[A-Z]+/.exec(message)?.[0] ?? 'ERR';
      return new CascadeQueueUnavailableError(operation, `Redis refused it (${code})`);
    }
    if (message === 'Command timed out') {
      return new CascadeQueueUnavailableError(operation, `no answer within ${redisTimeoutMs} ms`);
    }
    if (
      this.client.status !== 'ready' ||
      name === 'MaxRetriesPerRequestError' ||
      CONNECTION_FAILURES.test(message)
    ) {
      return new CascadeQueueUnavailableError(operation, 'the connection to Redis is down');
    }
    return error;
  }

  /** Answers PING within `timeoutMs`, or false. */
  async ping(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(resolve, timeoutMs, false)));
    try {
      return await Promise.race([this.client.ping().then(() => true), late]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    // QUIT lets commands in flight finish; a connection that is down is just dropped.
    if (this.client.status === 'ready') await this.client.quit().catch(() => undefined);
    this.client.disconnect();
  }
}
