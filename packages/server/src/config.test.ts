import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_LIMITS, loadConfig } from './config.js';

function issuesOf(env: Record<string, string>): { variable: string; message: string }[] {
  try {
    loadConfig(env, '/srv/app');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('needs nothing: loopback, port 8787, ./.data under the given cwd, simulator (no tokens), default limits', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({ port: 8787, host: '127.0.0.1', dataDir: '/srv/app/.data', durability: 'sync', apiKeys: [], corsOrigins: [], limits: DEFAULT_LIMITS });
    expect(config.replicate.tokens).toEqual([]);
    // Replicate's own limit: 600 creates a minute per account
    expect(config.replicate.budget).toEqual({ limit: 600, windowMs: 60_000 });
    expect(config.telegram).toBeUndefined();
  });

  it('parses every variable', () => {
    const config = loadConfig(
      {
        REPLICATE_API_TOKENS: ' r8_a , r8_b,,',
        REPLICATE_API_BASE_URL: 'http://127.0.0.1:9000/v1/',
        REPLICATE_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        PORT: '9001',
        HOST: '0.0.0.0',
        DOTBASE_DATA_DIR: '/var/lib/dotbase',
        DOTBASE_PUBLIC_URL: 'https://img.example.com/',
        TELEGRAM_BOT_TOKEN: '123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345',
        TELEGRAM_ALLOWED_USERNAMES: '@Alice, bob',
        DOTBASE_API_KEYS: 'backend:9f3ac27be01d54e8a6c1,cron:4be8d10f7a93c25e6d0b',
        DOTBASE_SECRET: 'kQ7vZ2mX9pL4tR8wN1cB6yH3jF0sD5gA2eU7iO9nWqs',
        DOTBASE_CORS_ORIGINS: 'https://shop.example,http://localhost:5173',
        DOTBASE_ADMINS: '@Alice',
        DOTBASE_MAX_UPLOAD_BYTES: '2048',
        DOTBASE_RATE_LIMIT_PER_MINUTE: '5',
        REPLICATE_TOKEN_BUDGET: '50',
        REPLICATE_TOKEN_BUDGET_WINDOW_MS: '10100',
      },
      '/srv/app',
    );
    expect(config.replicate).toEqual({
      tokens: ['r8_a', 'r8_b'],
      baseUrl: 'http://127.0.0.1:9000/v1',
      webhookSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      budget: { limit: 50, windowMs: 10_100 },
    });
    expect(config).toMatchObject({ port: 9001, host: '0.0.0.0', dataDir: '/var/lib/dotbase', publicUrl: 'https://img.example.com' });
    expect(config.telegram).toEqual({ botToken: '123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345', allowedUsernames: ['alice', 'bob'], maxAgeSeconds: 600 });
    expect(config.apiKeys).toEqual([
      { user: 'backend', key: '9f3ac27be01d54e8a6c1' },
      { user: 'cron', key: '4be8d10f7a93c25e6d0b' },
    ]);
    expect(config.corsOrigins).toEqual(['https://shop.example', 'http://localhost:5173']);
    expect(config.admins).toEqual(['alice']);
    expect(config.limits).toMatchObject({ maxUploadBytes: 2048, requestsPerMinute: 5 });
  });

  it('names every wrong variable at once', () => {
    const issues = issuesOf({ PORT: 'abc', DOTBASE_PUBLIC_URL: 'ftp://x', DOTBASE_CORS_ORIGINS: 'https://a.example/path', REPLICATE_WEBHOOK_SECRET: 'nope' });
    expect(issues.map((issue) => issue.variable).sort()).toEqual(['DOTBASE_CORS_ORIGINS', 'DOTBASE_PUBLIC_URL', 'PORT', 'REPLICATE_WEBHOOK_SECRET']);
    expect(issues.find((issue) => issue.variable === 'PORT')?.message).toMatch(/whole number/);
  });

  it('takes the storage durability, and refuses anything but sync or os', () => {
    expect(loadConfig({ DOTBASE_DURABILITY: 'os' }, '/srv/app').durability).toBe('os');
    expect(issuesOf({ DOTBASE_DURABILITY: 'fast' })[0]).toMatchObject({ variable: 'DOTBASE_DURABILITY', message: "must be 'sync' or 'os'" });
  });

  it('verifies the store at start unless DOTBASE_VERIFY_STORE=off, and refuses anything but on or off', () => {
    expect(loadConfig({}, '/srv/app').verifyStore).toBe(true);
    expect(loadConfig({ DOTBASE_VERIFY_STORE: 'off' }, '/srv/app').verifyStore).toBe(false);
    expect(issuesOf({ DOTBASE_VERIFY_STORE: 'no' })[0]).toMatchObject({ variable: 'DOTBASE_VERIFY_STORE', message: "must be 'on' or 'off'" });
  });

  it('refuses out-of-range numbers', () => {
    expect(issuesOf({ PORT: '70000' })[0]).toMatchObject({ variable: 'PORT', message: expect.stringMatching(/at most 65535/) });
    expect(issuesOf({ DOTBASE_MAX_ACTIVE_GENERATIONS: '0' })[0]?.variable).toBe('DOTBASE_MAX_ACTIVE_GENERATIONS');
  });

  it('never repeats a secret value in its messages', () => {
    const secret = 'short-secret-value';
    const issues = issuesOf({ DOTBASE_SECRET: secret, DOTBASE_API_KEYS: `backend:${secret.slice(0, 10)}`, TELEGRAM_BOT_TOKEN: secret });
    expect(issues.map((issue) => issue.variable).sort()).toEqual(['DOTBASE_API_KEYS', 'DOTBASE_SECRET', 'TELEGRAM_BOT_TOKEN']);
    for (const issue of issues) expect(issue.message).not.toContain(secret.slice(0, 10));
  });

  it('refuses malformed or duplicate API key pairs', () => {
    expect(issuesOf({ DOTBASE_API_KEYS: 'no-colon-here-0123456789' })[0]?.variable).toBe('DOTBASE_API_KEYS');
    expect(issuesOf({ DOTBASE_API_KEYS: 'a:9f3ac27be01d54e8,a:4be8d10f7a93c25e' })[0]?.message).toMatch(/appears twice/);
  });

  it('refuses API-key users named like another kind of user (local, telegram), in any case', () => {
    for (const user of ['telegram', 'Telegram', 'local', 'LOCAL']) {
      const issue = issuesOf({ DOTBASE_API_KEYS: `${user}:9f3ac27be01d54e8a6c1` })[0];
      expect(issue, user).toMatchObject({ variable: 'DOTBASE_API_KEYS', message: expect.stringMatching(/reserved/) });
    }
  });

  it('refuses API keys and secrets that are plainly not random, without repeating them', () => {
    for (const key of ['aaaaaaaaaaaaaaaaaaaa', '1234567890123456', 'abababababababab', 'abcdefghijklmnopqrst']) {
      const issue = issuesOf({ DOTBASE_API_KEYS: `backend:${key}` })[0];
      expect(issue, key).toMatchObject({ variable: 'DOTBASE_API_KEYS', message: expect.stringMatching(/not random/) });
      expect(issue?.message).not.toContain(key);
    }
    for (const secret of ['x'.repeat(64), 'ab'.repeat(32), 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH', 'Zq3vN8rT1xWk5LmP0aYc7HdE2sJgB9u']) {
      const issue = issuesOf({ DOTBASE_SECRET: secret })[0];
      expect(issue, secret).toMatchObject({ variable: 'DOTBASE_SECRET', message: expect.stringMatching(/32 random bytes/) });
    }
    expect(loadConfig({ DOTBASE_SECRET: 'Zq3vN8rT1xWk5LmP0aYc7HdE2sJgB9uF4oRiQ6nVtXw' }).secret).toBeDefined();
  });

  it('refuses to listen beyond loopback without authentication, unless explicitly allowed', () => {
    expect(issuesOf({ HOST: '0.0.0.0' })[0]).toMatchObject({ variable: 'HOST', message: expect.stringMatching(/no authentication/) });
    expect(loadConfig({ HOST: '0.0.0.0', DOTBASE_ALLOW_UNAUTHENTICATED: 'true' }).allowUnauthenticated).toBe(true);
    expect(loadConfig({ HOST: '0.0.0.0', DOTBASE_API_KEYS: 'backend:9f3ac27be01d54e8' }).host).toBe('0.0.0.0');
    for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', '::1', '[::1]']) expect(loadConfig({ HOST: host }).host).toBe(host);
    expect(issuesOf({ HOST: '::' })[0]?.variable).toBe('HOST');
  });

  it('wants the bot token when an allowlist is set', () => {
    expect(issuesOf({ TELEGRAM_ALLOWED_USERNAMES: 'alice' })[0]?.variable).toBe('TELEGRAM_ALLOWED_USERNAMES');
  });
});
