import { randomBytes } from 'node:crypto';
import { CascadeConfigError } from 'nestjs-smsbat-cascade';
import { redisConnection } from '../queue/redis-connection.js';

/** The key that opens the send routes in emulator mode when SAMPLE_API_KEY is unset. */
export const DEVELOPMENT_API_KEY = 'dev-sample-key';

/** The shortest SAMPLE_API_KEY the app takes: the key is all that guards the send routes. */
const MIN_CLIENT_KEY_LENGTH = 16;
/** The largest BODY_LIMIT: a campaign of 5000 messages fits in about 1 MB. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** The app's settings, checked and typed: what `ConfigService` hands out. */
export interface Settings {
  CASCADE_API_KEY?: string;
  CASCADE_VIBER_TOKEN?: string;
  CASCADE_TG_BOT_KEY?: string;
  CASCADE_BASE_URL?: string;
  CASCADE_MAX_RETRIES?: number;
  CASCADE_TIMEOUT_MS?: number;
  /** The key callers send in `x-api-key`: the development key in emulator mode when unset. */
  SAMPLE_API_KEY: string;
  /** Random when unset (the emulator is then the only sender that knows it). */
  CASCADE_WEBHOOK_SECRET: string;
  PORT: number;
  HOST: string;
  THROTTLE_LIMIT: number;
  /** In bytes. */
  BODY_LIMIT: number;
  /** Queue mode when set. */
  REDIS_URL?: string;
  REDIS_CONNECT_TIMEOUT_MS: number;
  QUEUE_RATE_PER_SECOND?: number;
  MAX_RUNNING_CAMPAIGNS: number;
  KEPT_FINISHED_CAMPAIGNS: number;
}

type Env = Record<string, unknown>;

/** A setting that cannot be read: its message names the setting, never its value. */
class SettingError extends Error {}

function text(env: Env, name: string): string | undefined {
  const value = env[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function wholeNumber(env: Env, name: string, min: number, max: number): number | undefined {
  const value = text(env, name)?.trim();
  if (value === undefined) return undefined;
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(number >= min && number <= max)) {
    throw new SettingError(`${name} must be a whole number from ${min} to ${max}`);
  }
  return number;
}

function byteSize(env: Env, name: string): number | undefined {
  const value = text(env, name)?.trim();
  if (value === undefined) return undefined;
  const [, digits, unit = 'b'] = /^(\d+)\s*(b|kb|mb)?$/i.exec(value) ?? [];
  const bytes = Number(digits) * { b: 1, kb: 1024, mb: 1024 * 1024 }[unit.toLowerCase() as 'b'];
  if (!(bytes >= 1 && bytes <= MAX_BODY_BYTES)) {
    throw new SettingError(`${name} must be a size such as 100kb or 1mb, at most 16mb`);
  }
  return bytes;
}

function httpUrl(env: Env, name: string): string | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new SettingError(`${name} must be an absolute http or https URL`);
  }
  return value;
}

function clientKey(env: Env, credentials: boolean): string {
  const key = text(env, 'SAMPLE_API_KEY');
  if (key === undefined) {
    if (!credentials) return DEVELOPMENT_API_KEY;
    throw new SettingError(
      'SAMPLE_API_KEY is not set: with real Cascade credentials, the send routes would be an ' +
        'open relay sending messages at your cost. Set SAMPLE_API_KEY to a long random key.',
    );
  }
  if (key.length < MIN_CLIENT_KEY_LENGTH) {
    throw new SettingError(`SAMPLE_API_KEY must be ${MIN_CLIENT_KEY_LENGTH} characters or more`);
  }
  return key;
}

/**
 * Reads and checks every setting once, as the app boots (`ConfigModule.forRoot({ validate })`):
 * a bad one stops the boot with an error naming each bad setting, never its value.
 */
export function validateSettings(env: Env): Settings {
  const problems: string[] = [];
  // Each setting is read on its own, so that one error lists every bad setting.
  const read = <T>(readSetting: () => T): T | undefined => {
    try {
      return readSetting();
    } catch (error) {
      if (!(error instanceof SettingError)) throw error;
      problems.push(error.message);
      return undefined;
    }
  };
  const credentials = {
    CASCADE_API_KEY: text(env, 'CASCADE_API_KEY'),
    CASCADE_VIBER_TOKEN: text(env, 'CASCADE_VIBER_TOKEN'),
    CASCADE_TG_BOT_KEY: text(env, 'CASCADE_TG_BOT_KEY'),
  };
  const redisUrl = read(() => {
    const url = text(env, 'REDIS_URL');
    if (url !== undefined && !redisConnection(url)) {
      throw new SettingError(
        'REDIS_URL must be a redis:// or rediss:// URL with a host, and at most a database number as its path',
      );
    }
    return url;
  });
  const settings = {
    ...credentials,
    CASCADE_BASE_URL: read(() => httpUrl(env, 'CASCADE_BASE_URL')),
    CASCADE_MAX_RETRIES: read(() => wholeNumber(env, 'CASCADE_MAX_RETRIES', 0, 10)),
    CASCADE_TIMEOUT_MS: read(() => wholeNumber(env, 'CASCADE_TIMEOUT_MS', 1, 600_000)),
    SAMPLE_API_KEY: read(() => clientKey(env, Object.values(credentials).some(Boolean))),
    CASCADE_WEBHOOK_SECRET: text(env, 'CASCADE_WEBHOOK_SECRET') ?? randomBytes(24).toString('hex'),
    PORT: read(() => wholeNumber(env, 'PORT', 1, 65_535)) ?? 3000,
    HOST: text(env, 'HOST') ?? '127.0.0.1',
    THROTTLE_LIMIT: read(() => wholeNumber(env, 'THROTTLE_LIMIT', 1, 1_000_000)) ?? 60,
    BODY_LIMIT: read(() => byteSize(env, 'BODY_LIMIT')) ?? 1024 * 1024,
    REDIS_URL: redisUrl,
    REDIS_CONNECT_TIMEOUT_MS:
      read(() => wholeNumber(env, 'REDIS_CONNECT_TIMEOUT_MS', 1, 600_000)) ?? 10_000,
    QUEUE_RATE_PER_SECOND: read(() => wholeNumber(env, 'QUEUE_RATE_PER_SECOND', 1, 1_000_000)),
    MAX_RUNNING_CAMPAIGNS: read(() => wholeNumber(env, 'MAX_RUNNING_CAMPAIGNS', 1, 1000)) ?? 10,
    KEPT_FINISHED_CAMPAIGNS:
      read(() => wholeNumber(env, 'KEPT_FINISHED_CAMPAIGNS', 0, 10_000)) ?? 100,
  };
  if (problems.length > 0) throw new Error(`Invalid settings: ${problems.join('; ')}`);
  return settings as Settings;
}

/** The setting behind each of the package's options, for its boot errors. */
const SETTING_OF_OPTION: Record<string, string> = {
  apiKey: 'CASCADE_API_KEY',
  viberToken: 'CASCADE_VIBER_TOKEN',
  tgBotKey: 'CASCADE_TG_BOT_KEY',
  baseUrl: 'CASCADE_BASE_URL',
  timeoutMs: 'CASCADE_TIMEOUT_MS',
  'retry.maxRetries': 'CASCADE_MAX_RETRIES',
  secret: 'CASCADE_WEBHOOK_SECRET',
};

/** Why the app did not start, naming the setting to change when the package refused an option. */
export function bootFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const setting = error instanceof CascadeConfigError && SETTING_OF_OPTION[error.option];
  return setting ? `${setting} is invalid (${message})` : message;
}
