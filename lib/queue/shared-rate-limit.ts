import { randomUUID } from 'node:crypto';
import type { QueueRedis } from './queue-redis.js';

/** The window the limit holds in: any one second. */
export const RATE_WINDOW_MS = 1000;
/**
 * How much longer than the window the limiter counts a call: the API counts calls at its end,
 * after network and scheduling delays that vary from call to call by a few ms, or tens on a busy
 * host. Counting over 1050 ms keeps every second the API sees within the limit despite such
 * differences, for 5 % of the throughput at the limit.
 */
export const RATE_MARGIN_MS = 50;

// KEYS: the log of calls (a sorted set of 'count:id' by time), the sum of their counts, the
// pause, and the next call's slot. ARGV: the call's count, the limit (0 for none), a unique id.
// Returns 0 when the call may go (it is counted), else how many ms to wait before asking again.
// Two rules: a call waits for its slot, spacing calls evenly (a call of n moves the slot on by
// n / limit of the span), so that calls do not bunch where a delay could move one into the next
// window; and the log over the span caps what any span holds. Time is Redis's own, the one clock
// every worker of every instance shares.
const TAKE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local function later(at) return math.max(1, math.ceil(at - now)) end
local paused = tonumber(redis.call('GET', KEYS[3]) or '0')
if paused > now then return later(paused) end
local n, limit, span = tonumber(ARGV[1]), tonumber(ARGV[2]), ${RATE_WINDOW_MS + RATE_MARGIN_MS}
if limit == 0 then return 0 end
local slot = tonumber(redis.call('GET', KEYS[4]) or '0')
if slot > now then return later(slot) end
local used = tonumber(redis.call('GET', KEYS[2]) or '0')
local gone = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - span)
if #gone > 0 then
  for _, call in ipairs(gone) do used = used - tonumber(string.match(call, '^%d+')) end
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - span)
end
if used < 0 then used = 0 end
local wait = 0
if used + n <= limit then
  redis.call('ZADD', KEYS[1], now, n .. ':' .. ARGV[3])
  used = used + n
  redis.call('SET', KEYS[4], tostring(now + n * span / limit), 'PX', 2 * span)
else
  -- Until the oldest calls leave the span and free enough room.
  wait = span
  local calls = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
  local freed = 0
  for i = 1, #calls, 2 do
    freed = freed + tonumber(string.match(calls[i], '^%d+'))
    if used - freed + n <= limit then
      wait = later(tonumber(calls[i + 1]) + span)
      break
    end
  end
end
redis.call('SET', KEYS[2], used, 'PX', 2 * span)
redis.call('PEXPIRE', KEYS[1], 2 * span)
return wait`;

// KEYS: the pause. ARGV: how long, in ms. Only ever lengthens a pause.
const PAUSE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local resume = now + tonumber(ARGV[1])
if resume > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], resume, 'PX', ARGV[1])
end
return 0`;

/**
 * The queue's one rate limit, shared by every worker of every instance through Redis: calls are
 * spaced evenly and a sliding log caps them, so that no one-second window, wherever it starts,
 * holds more than `ratePerSecond` messages. A call takes its messages just before it goes. It
 * also holds the pause a 429 asks for, which every worker honours.
 */
export class SharedRateLimit {
  private readonly takeScript;
  private readonly pauseScript;
  private readonly keys: string[];
  private readonly owner = randomUUID().slice(0, 8);
  private calls = 0;

  constructor(
    redis: QueueRedis,
    private readonly ratePerSecond: number | undefined,
  ) {
    this.takeScript = redis.script('cascadeRateTake', TAKE);
    this.pauseScript = redis.script('cascadeRatePause', PAUSE);
    this.keys = ['log', 'sum', 'pause', 'slot'].map((part) => `${redis.base}:rate:${part}`);
  }

  /** The most messages one call may carry, so that it fits in the window at all. */
  callSize(batchSize: number): number {
    return Math.min(batchSize, this.ratePerSecond ?? batchSize);
  }

  /** Takes `count` messages for a call: 0 when it may go now, else the ms to wait first. */
  async take(count: number): Promise<number> {
    const id = `${this.owner}.${this.calls++}`;
    return Number(await this.takeScript(this.keys, [count, this.ratePerSecond ?? 0, id]));
  }

  /** Holds every worker's calls for `ms` (a 429's `Retry-After`). */
  async pause(ms: number): Promise<void> {
    await this.pauseScript([this.keys[2]], [Math.max(1, Math.ceil(ms))]);
  }
}
