import { RedisConnection, type RedisOptions } from 'bullmq';

/**
 * The connection a `redis://[user:password@]host[:port][/db]` URL names (`rediss://` for TLS), or
 * undefined when it names none. Nothing here repeats the URL: it may hold a password.
 */
export function redisConnection(url: string): RedisOptions | undefined {
  if (!URL.canParse(url)) return undefined;
  const { protocol, hostname, port, username, password, pathname, search, hash } = new URL(url);
  const db = /^\/?(\d*)$/.exec(pathname)?.[1];
  if (!/^rediss?:$/.test(protocol) || !hostname || db === undefined || search || hash) {
    return undefined;
  }
  try {
    return {
      host: hostname.replace(/^\[(.*)\]$/, '$1'),
      port: Number(port || 6379),
      ...(username && { username: decodeURIComponent(username) }),
      ...(password && { password: decodeURIComponent(password) }),
      ...(db && { db: Number(db) }),
      ...(protocol === 'rediss:' && { tls: {} }),
    };
  } catch {
    // Malformed percent-encoding in the user name or password.
    return undefined;
  }
}

/**
 * Waits at most `timeoutMs` for Redis to be ready (connected, and signed in when it asks for a
 * password), else fails the boot with an error that names REDIS_URL, never its value. Without
 * it the queue would wait for Redis for ever, and the app would neither start nor say why.
 */
export async function waitForRedis(connection: RedisOptions, timeoutMs: number): Promise<void> {
  const probe = new RedisConnection(
    { ...connection, retryStrategy: (times) => Math.min(times * 100, 1000) },
    { skipVersionCheck: true },
  );
  let reason = '';
  // Failed attempts are expected while it waits; the last one says why in the end.
  probe.on('error', (error: Error & { code?: unknown }) => {
    reason =
      typeof error.code === 'string' ? error.code : (/^[A-Z]+\b/.exec(error.message)?.[0] ?? '');
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const answered = await Promise.race([
      // Its own error may quote the host: only the reason's code is kept.
      probe.client.then(
        () => true,
        () => false,
      ),
      new Promise<false>((done) => (timer = setTimeout(done, timeoutMs, false))),
    ]);
    if (!answered) {
      throw new Error(
        `Redis at REDIS_URL could not be used within ${timeoutMs} ms` +
          (reason ? ` (${reason})` : '') +
          '; the queue needs it, so the app does not start',
      );
    }
  } finally {
    clearTimeout(timer);
    await probe.close();
  }
}
