import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { estimatedBits, isStrongSecret, MIN_API_KEY_BITS } from './auth/entropy.js';
import { isReservedUserName, RESERVED_USER_NAMES } from './auth/principal-ids.js';
import { parseHostRule } from '@dotbase/core/node';
import { isLoopbackHost } from './net/loopback.js';

/** One `user:key` pair from `DOTBASE_API_KEYS`. */
export interface ApiKey {
  user: string;
  key: string;
}

/** Abuse limits; every one has an environment variable (see docs/deployment.md). */
export interface Limits {
  /** Largest accepted upload, in bytes. */
  maxUploadBytes: number;
  /** Largest accepted upload, in pixels over all frames: stops decompression bombs before any decoding. */
  maxUploadPixels: number;
  maxPromptLength: number;
  /** Largest JSON request body, in bytes. */
  maxJsonBytes: number;
  /** API requests per user per minute (a token bucket: short bursts up to this many are fine). */
  requestsPerMinute: number;
  /** Generations one user may have pending or processing at once. */
  maxActiveGenerations: number;
  /** Generations this server runs at once, all users together (admission control; see docs/deployment.md). */
  maxInFlight: number;
  /** Creates that may wait for one of those slots; beyond them a create is refused at once (503 + Retry-After). */
  admissionQueue: number;
  /** How long a create may wait for a slot before it is refused (503 + Retry-After), in ms. */
  admissionWaitMs: number;
  /** When > 0, the in-flight limit adapts to keep the mean event-loop delay under this many ms (0: a fixed limit). */
  admissionTargetLagMs: number;
  /**
   * Generations an API-key user and every end user of the embed tokens it minted may have running at once, all
   * together: minting more identities does not multiply the cap.
   */
  maxActiveGenerationsPerMinter: number;
  /** Live event streams (SSE) one user may hold open at once. */
  maxStreamsPerUser: number;
  /** How long a create may wait for Replicate to accept the prediction before it is given up (503/504). */
  createTimeoutMs: number;
  /** Batch items of one user running at once; the rest of their batches wait their turn. */
  batchConcurrencyPerUser: number;
  /** Batch items running at once over all users. */
  batchConcurrency: number;
  /** Bytes of uploads one user may keep stored at once (deleting uploads makes room again). */
  uploadQuotaBytes: number;
  /** Uploads one user may keep stored at once. */
  uploadQuotaCount: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxUploadBytes: 10 * 1024 * 1024,
  maxUploadPixels: 50_000_000,
  maxPromptLength: 4000,
  maxJsonBytes: 64 * 1024,
  requestsPerMinute: 600,
  maxActiveGenerations: 20,
  maxInFlight: 1000,
  admissionQueue: 1000,
  admissionWaitMs: 1000,
  admissionTargetLagMs: 0,
  maxActiveGenerationsPerMinter: 20,
  maxStreamsPerUser: 32,
  createTimeoutMs: 30_000,
  batchConcurrencyPerUser: 4,
  batchConcurrency: 16,
  uploadQuotaBytes: 512 * 1024 * 1024,
  uploadQuotaCount: 1000,
};

/** Telegram's sign-in data is accepted this long after Telegram signed it (and once). */
export const DEFAULT_TELEGRAM_MAX_AGE_SECONDS = 600;

export interface ServerConfig {
  /**
   * `budget`: creates each token may start per sliding window, so the pool stays under Replicate's per-account
   * limit instead of collecting 429s (default 600 per 60 s, Replicate's limit).
   */
  replicate: { tokens: string[]; baseUrl?: string; webhookSecret?: string; budget: { limit: number; windowMs: number } };
  /**
   * Hosts outputs may be downloaded from besides Replicate's delivery hosts and the host of `replicate.baseUrl`
   * (`host`, `host:port` or `*.host`), trusted with http and any address.
   */
  outputHosts: string[];
  port: number;
  host: string;
  /** Absolute path of the embedded storage folder. */
  dataDir: string;
  /** `sync`: records are flushed to disk on commit; `os`: the OS flushes them (faster, lost or torn on a system crash). */
  durability: 'sync' | 'os';
  /**
   * Read every entry of `records.lmdb` at start and refuse to start when one is damaged (default true;
   * `DOTBASE_VERIFY_STORE=off`). The file's header is checked either way.
   */
  verifyStore?: boolean;
  /** Without a trailing slash. */
  publicUrl?: string;
  /** `botUsername` (no `@`) lets the page show the Telegram Login Widget; the bot id comes from the token. */
  telegram?: { botToken: string; allowedUsernames: string[]; maxAgeSeconds: number; botUsername?: string };
  apiKeys: ApiKey[];
  secret?: string;
  corsOrigins: string[];
  /** User ids or usernames (lower case, no `@`) that may use the admin routes. */
  admins: string[];
  /** Whether anonymous access (everyone is the admin user `local`) may listen beyond loopback. */
  allowUnauthenticated: boolean;
  limits: Limits;
  /** Hosts outgoing webhooks may target besides public https ones (`host`, `host:port`, `*.host`); http allowed. */
  webhookAllowedHosts: string[];
}

/** Every variable that is wrong, each with its own message; the values of secrets are never repeated. */
export class ConfigError extends Error {
  readonly issues: { variable: string; message: string }[];

  constructor(issues: { variable: string; message: string }[]) {
    super(`invalid configuration:\n${issues.map((issue) => `  ${issue.variable}: ${issue.message}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalString = z.preprocess(blankToUndefined, z.string().trim().optional());
const commaList = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter(Boolean) : []),
  z.array(z.string()),
);

function wholeNumber(min: number, max: number, fallback: number) {
  return z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: `must be a whole number from ${min} to ${max}` })
      .int(`must be a whole number from ${min} to ${max}`)
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .default(fallback),
  );
}

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })
  .transform((url) => url.replace(/\/+$/, ''));

const origin = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}, 'must be a list of origins like https://app.example.com (scheme, host and port only, no path or trailing slash)');

const username = (value: string) => value.trim().replace(/^@/, '').toLowerCase();

const apiKeyPair = z.string().transform((pair, context) => {
  const colon = pair.indexOf(':');
  const user = pair.slice(0, colon);
  const key = pair.slice(colon + 1);
  if (colon <= 0 || !/^[A-Za-z0-9_.@-]{1,64}$/.test(user)) {
    context.addIssue({ code: 'custom', message: 'each entry must be user:key, the user made of letters, digits, _ . @ - (at most 64)' });
    return z.NEVER;
  }
  if (isReservedUserName(user)) {
    context.addIssue({
      code: 'custom',
      message: `user "${user}" is reserved (${RESERVED_USER_NAMES.join(', ')} name other kinds of users); choose another name`,
    });
    return z.NEVER;
  }
  // Short keys can be guessed; 16 characters of a random string is the least we accept.
  if (key.length < 16 || /\s/.test(key)) {
    context.addIssue({ code: 'custom', message: `the key of user "${user}" must be at least 16 characters without spaces` });
    return z.NEVER;
  }
  if (estimatedBits(key) < MIN_API_KEY_BITS) {
    context.addIssue({ code: 'custom', message: `the key of user "${user}" is plainly not random (repeated characters or a run); generate one with: openssl rand -hex 24` });
    return z.NEVER;
  }
  return { user, key };
});

const booleanFlag = z.preprocess(
  blankToUndefined,
  z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }).default('false').transform((value) => value === 'true' || value === '1'),
);

/** Host allow-list entries (see parseHostRule). */
const hostList = commaList.pipe(
  z.array(
    z.string().refine((entry) => {
      try {
        parseHostRule(entry);
        return true;
      } catch {
        return false;
      }
    }, 'must be a list of hosts: host, host:port or *.host (no scheme or path)'),
  ),
);

const envSchema = z.object({
  REPLICATE_API_TOKENS: commaList,
  REPLICATE_API_BASE_URL: z.preprocess(blankToUndefined, httpUrl.optional()),
  REPLICATE_WEBHOOK_SECRET: z.preprocess(
    blankToUndefined,
    z.string().regex(/^whsec_[A-Za-z0-9+/]+=*$/, "must look like 'whsec_<base64>'").optional(),
  ),
  REPLICATE_TOKEN_BUDGET: wholeNumber(1, 1_000_000, 600),
  REPLICATE_TOKEN_BUDGET_WINDOW_MS: wholeNumber(100, 24 * 60 * 60 * 1000, 60_000),
  DOTBASE_OUTPUT_HOSTS: hostList,
  PORT: wholeNumber(0, 65535, 8787),
  HOST: z.preprocess(blankToUndefined, z.string().trim().min(1).default('127.0.0.1')),
  DOTBASE_DATA_DIR: z.preprocess(blankToUndefined, z.string().default('./.data')),
  DOTBASE_DURABILITY: z.preprocess(blankToUndefined, z.enum(['sync', 'os'], { error: "must be 'sync' or 'os'" }).default('sync')),
  DOTBASE_VERIFY_STORE: z.preprocess(blankToUndefined, z.enum(['on', 'off'], { error: "must be 'on' or 'off'" }).default('on')),
  DOTBASE_PUBLIC_URL: z.preprocess(blankToUndefined, httpUrl.optional()),
  TELEGRAM_BOT_TOKEN: z.preprocess(
    blankToUndefined,
    z.string().trim().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must look like 123456:ABC… (the token BotFather gave you)').optional(),
  ),
  TELEGRAM_BOT_USERNAME: z.preprocess(
    blankToUndefined,
    z.string().trim().transform(username).pipe(z.string().regex(/^[a-z0-9_]{5,32}$/, 'must be the bot username, e.g. my_image_bot')).optional(),
  ),
  TELEGRAM_ALLOWED_USERNAMES: commaList.transform((names) => names.map(username)),
  DOTBASE_API_KEYS: commaList.pipe(z.array(apiKeyPair)),
  DOTBASE_SECRET: z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine(isStrongSecret, 'must be at least 32 random bytes, e.g. 43+ characters from `openssl rand -base64 32`: this value is too short or plainly not random')
      .optional(),
  ),
  DOTBASE_CORS_ORIGINS: commaList.pipe(z.array(origin)),
  DOTBASE_ADMINS: commaList.transform((names) => names.map(username)),
  DOTBASE_ALLOW_UNAUTHENTICATED: booleanFlag,
  DOTBASE_WEBHOOK_ALLOWED_HOSTS: hostList,
  DOTBASE_MAX_UPLOAD_BYTES: wholeNumber(1024, 512 * 1024 * 1024, DEFAULT_LIMITS.maxUploadBytes),
  DOTBASE_MAX_UPLOAD_PIXELS: wholeNumber(1, 1_000_000_000, DEFAULT_LIMITS.maxUploadPixels),
  DOTBASE_MAX_PROMPT_LENGTH: wholeNumber(1, 100_000, DEFAULT_LIMITS.maxPromptLength),
  DOTBASE_RATE_LIMIT_PER_MINUTE: wholeNumber(1, 1_000_000, DEFAULT_LIMITS.requestsPerMinute),
  DOTBASE_MAX_ACTIVE_GENERATIONS: wholeNumber(1, 100_000, DEFAULT_LIMITS.maxActiveGenerations),
  DOTBASE_MAX_IN_FLIGHT: wholeNumber(1, 1_000_000, DEFAULT_LIMITS.maxInFlight),
  DOTBASE_ADMISSION_QUEUE: wholeNumber(0, 1_000_000, DEFAULT_LIMITS.admissionQueue),
  DOTBASE_ADMISSION_WAIT_MS: wholeNumber(1, 60_000, DEFAULT_LIMITS.admissionWaitMs),
  DOTBASE_ADMISSION_TARGET_LAG_MS: wholeNumber(0, 10_000, DEFAULT_LIMITS.admissionTargetLagMs),
  DOTBASE_MAX_ACTIVE_GENERATIONS_PER_MINTER: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'must be a whole number from 1 to 1000000' }).int('must be a whole number from 1 to 1000000').min(1).max(1_000_000).optional(),
  ),
  DOTBASE_MAX_STREAMS_PER_USER: wholeNumber(1, 100_000, DEFAULT_LIMITS.maxStreamsPerUser),
  DOTBASE_CREATE_TIMEOUT_SECONDS: wholeNumber(1, 3600, DEFAULT_LIMITS.createTimeoutMs / 1000),
  DOTBASE_TELEGRAM_MAX_AGE_SECONDS: wholeNumber(30, 24 * 60 * 60, DEFAULT_TELEGRAM_MAX_AGE_SECONDS),
  DOTBASE_BATCH_CONCURRENCY_PER_USER: wholeNumber(1, 10_000, DEFAULT_LIMITS.batchConcurrencyPerUser),
  DOTBASE_BATCH_CONCURRENCY: wholeNumber(1, 100_000, DEFAULT_LIMITS.batchConcurrency),
  DOTBASE_UPLOAD_QUOTA_BYTES: wholeNumber(0, Number.MAX_SAFE_INTEGER, DEFAULT_LIMITS.uploadQuotaBytes),
  DOTBASE_UPLOAD_QUOTA_COUNT: wholeNumber(0, 10_000_000, DEFAULT_LIMITS.uploadQuotaCount),
});

function variableOf(path: readonly PropertyKey[]): string {
  return String(path[0] ?? 'environment');
}

/**
 * Reads and checks the environment once, at start. Throws a `ConfigError` naming every wrong variable.
 *
 * @example
 * const config = loadConfig(process.env); // throws ConfigError on e.g. PORT=abc
 */
export function loadConfig(env: Record<string, string | undefined>, cwd: string = process.cwd()): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => ({ variable: variableOf(issue.path), message: issue.message })));
  }
  const values = parsed.data;
  const issues: { variable: string; message: string }[] = [];
  if (values.TELEGRAM_ALLOWED_USERNAMES.length > 0 && !values.TELEGRAM_BOT_TOKEN) {
    issues.push({ variable: 'TELEGRAM_ALLOWED_USERNAMES', message: 'is set but TELEGRAM_BOT_TOKEN is not: Telegram sign-in needs the bot token' });
  }
  const users = values.DOTBASE_API_KEYS.map((pair) => pair.user);
  const duplicate = users.find((user, index) => users.indexOf(user) !== index);
  if (duplicate) issues.push({ variable: 'DOTBASE_API_KEYS', message: `user "${duplicate}" appears twice` });
  const authConfigured = values.DOTBASE_API_KEYS.length > 0 || values.TELEGRAM_BOT_TOKEN !== undefined;
  if (!authConfigured && !isLoopbackHost(values.HOST) && !values.DOTBASE_ALLOW_UNAUTHENTICATED) {
    issues.push({
      variable: 'HOST',
      message: `is ${values.HOST}, beyond loopback, but no authentication is configured (set DOTBASE_API_KEYS or TELEGRAM_BOT_TOKEN, or DOTBASE_ALLOW_UNAUTHENTICATED=true to accept that anyone who can reach it is admin)`,
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);

  return {
    replicate: {
      tokens: values.REPLICATE_API_TOKENS,
      ...(values.REPLICATE_API_BASE_URL ? { baseUrl: values.REPLICATE_API_BASE_URL } : {}),
      ...(values.REPLICATE_WEBHOOK_SECRET ? { webhookSecret: values.REPLICATE_WEBHOOK_SECRET } : {}),
      budget: { limit: values.REPLICATE_TOKEN_BUDGET, windowMs: values.REPLICATE_TOKEN_BUDGET_WINDOW_MS },
    },
    outputHosts: values.DOTBASE_OUTPUT_HOSTS,
    port: values.PORT,
    host: values.HOST,
    dataDir: isAbsolute(values.DOTBASE_DATA_DIR) ? values.DOTBASE_DATA_DIR : resolve(cwd, values.DOTBASE_DATA_DIR),
    durability: values.DOTBASE_DURABILITY,
    verifyStore: values.DOTBASE_VERIFY_STORE === 'on',
    ...(values.DOTBASE_PUBLIC_URL ? { publicUrl: values.DOTBASE_PUBLIC_URL } : {}),
    ...(values.TELEGRAM_BOT_TOKEN
      ? {
          telegram: {
            botToken: values.TELEGRAM_BOT_TOKEN,
            allowedUsernames: values.TELEGRAM_ALLOWED_USERNAMES,
            maxAgeSeconds: values.DOTBASE_TELEGRAM_MAX_AGE_SECONDS,
            ...(values.TELEGRAM_BOT_USERNAME ? { botUsername: values.TELEGRAM_BOT_USERNAME } : {}),
          },
        }
      : {}),
    apiKeys: values.DOTBASE_API_KEYS,
    ...(values.DOTBASE_SECRET ? { secret: values.DOTBASE_SECRET } : {}),
    corsOrigins: values.DOTBASE_CORS_ORIGINS,
    admins: values.DOTBASE_ADMINS,
    allowUnauthenticated: values.DOTBASE_ALLOW_UNAUTHENTICATED,
    webhookAllowedHosts: values.DOTBASE_WEBHOOK_ALLOWED_HOSTS,
    limits: {
      maxUploadBytes: values.DOTBASE_MAX_UPLOAD_BYTES,
      maxUploadPixels: values.DOTBASE_MAX_UPLOAD_PIXELS,
      maxPromptLength: values.DOTBASE_MAX_PROMPT_LENGTH,
      maxJsonBytes: DEFAULT_LIMITS.maxJsonBytes,
      requestsPerMinute: values.DOTBASE_RATE_LIMIT_PER_MINUTE,
      maxActiveGenerations: values.DOTBASE_MAX_ACTIVE_GENERATIONS,
      maxInFlight: values.DOTBASE_MAX_IN_FLIGHT,
      admissionQueue: values.DOTBASE_ADMISSION_QUEUE,
      admissionWaitMs: values.DOTBASE_ADMISSION_WAIT_MS,
      admissionTargetLagMs: values.DOTBASE_ADMISSION_TARGET_LAG_MS,
      // unset: the per-user cap, so by default a minter and all its end users together run as many as one user
      maxActiveGenerationsPerMinter: values.DOTBASE_MAX_ACTIVE_GENERATIONS_PER_MINTER ?? values.DOTBASE_MAX_ACTIVE_GENERATIONS,
      maxStreamsPerUser: values.DOTBASE_MAX_STREAMS_PER_USER,
      createTimeoutMs: values.DOTBASE_CREATE_TIMEOUT_SECONDS * 1000,
      batchConcurrencyPerUser: values.DOTBASE_BATCH_CONCURRENCY_PER_USER,
      batchConcurrency: values.DOTBASE_BATCH_CONCURRENCY,
      uploadQuotaBytes: values.DOTBASE_UPLOAD_QUOTA_BYTES,
      uploadQuotaCount: values.DOTBASE_UPLOAD_QUOTA_COUNT,
    },
  };
}
