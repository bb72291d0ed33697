import type { ModelSummary } from '@dotbase/core';
import { sampleImage, sampleMask } from '../images.js';
import { upload, waitForTerminal, type TestServer } from '../helpers.js';

/** Credentials of the server under test; keys are 16+ characters as the config demands. */
export const KEYS = {
  admin: 'fuzz-admin-key-0123456789abcdef',
  user: 'fuzz-user-key-0123456789abcdef',
  victim: 'fuzz-victim-key-0123456789abcdef',
} as const;
export const BOT_TOKEN = '424242:FUZZ-bot-token-0123456789abcdefghij';
export const SERVER_SECRET = 'fuzz-Hq8ZrW2kVx7NpL4cT9mB1sYd6gJ3fA0uE5oKiX';
export const SHOP_ORIGIN = 'https://shop.example';
/** On the allowlist: a correctly signed sign-in for this name would succeed, so the fuzz never signs it. */
export const ALLOWED_TELEGRAM_USER = 'alice';

/** Small limits make "over the limit" cheap to send; the rate limit is out of the way so 429s hide nothing. */
export const FUZZ_LIMITS = { maxUploadBytes: 256 * 1024, maxUploadPixels: 4_000_000, maxPromptLength: 4000, maxJsonBytes: 64 * 1024 } as const;

export const FUZZ_ENV: Record<string, string> = {
  DOTBASE_API_KEYS: `fuzzadmin:${KEYS.admin},fuzzuser:${KEYS.user},victim:${KEYS.victim}`,
  DOTBASE_ADMINS: 'fuzzadmin',
  TELEGRAM_BOT_TOKEN: BOT_TOKEN,
  TELEGRAM_ALLOWED_USERNAMES: ALLOWED_TELEGRAM_USER,
  DOTBASE_SECRET: SERVER_SECRET,
  DOTBASE_CORS_ORIGINS: SHOP_ORIGIN,
  DOTBASE_RATE_LIMIT_PER_MINUTE: '1000000',
  DOTBASE_MAX_ACTIVE_GENERATIONS: '100000',
  DOTBASE_MAX_UPLOAD_BYTES: String(FUZZ_LIMITS.maxUploadBytes),
  DOTBASE_MAX_UPLOAD_PIXELS: String(FUZZ_LIMITS.maxUploadPixels),
  DOTBASE_MAX_PROMPT_LENGTH: String(FUZZ_LIMITS.maxPromptLength),
};

/** What the generators build on: real ids of this server, so mutations differ from a valid request in one way. */
export interface Fixture {
  models: ModelSummary[];
  /** The fuzzing user's own uploads: two images (some models take two) and a mask. */
  own: { images: [string, string]; mask: string };
  /** Another user's upload, generation and output: must stay invisible to the fuzzing user. */
  victim: { upload: string; generation: string; output: string };
  /** A valid embed token for `SHOP_ORIGIN`: works only with that Origin, and can never mint tokens. */
  embedToken: string;
  webhookSecret: string;
  png: Uint8Array;
}

async function mustUpload(server: TestServer, bytes: Uint8Array, token: string): Promise<string> {
  const answer = await upload(server, bytes, { token });
  if (answer.status !== 201) throw new Error(`fixture upload failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.id as string;
}

/** Uploads, a finished generation of another user, an embed token and the model list, through the real API. */
export async function prepareFixture(server: TestServer): Promise<Fixture> {
  const png = await sampleImage('png', 64, 64);
  const [first, second, mask, victimUpload] = await Promise.all([
    mustUpload(server, png, KEYS.user),
    mustUpload(server, await sampleImage('jpeg', 64, 64), KEYS.user),
    mustUpload(server, await sampleMask(64, 64), KEYS.user),
    mustUpload(server, png, KEYS.victim),
  ]);
  const created = await server.json('POST', '/api/generations/create', { token: KEYS.victim, body: { action: 'create', model_id: 'flux-schnell', prompt: 'victim' } });
  if (created.status !== 201) throw new Error(`fixture create failed: ${created.status} ${JSON.stringify(created.body)}`);
  const done = await waitForTerminal(server, created.body.id, KEYS.victim);
  const output = new URL(done.output_urls[0] as string).pathname.replace(/^\/files\//, '');
  const minted = await server.json('POST', '/api/auth/embed-tokens', { token: KEYS.admin, body: { user_id: 'end-user', origins: [SHOP_ORIGIN] } });
  if (minted.status !== 201) throw new Error(`fixture embed token failed: ${minted.status}`);
  const models = await server.json<{ items: ModelSummary[] }>('GET', '/api/models/list', { token: KEYS.user });
  return {
    models: models.body.items,
    own: { images: [first, second], mask },
    victim: { upload: victimUpload, generation: created.body.id as string, output },
    embedToken: minted.body.token as string,
    webhookSecret: server.simulator?.webhookSecret ?? '',
    png,
  };
}

/**
 * A request each model accepts as it is: the fuzz mutates exactly one thing of it, so a refusal is about that
 * thing. `fuzz.test.ts` checks that every one of these really is accepted.
 */
export function validCreateBody(summary: ModelSummary, fixture: Fixture): Record<string, unknown> {
  const images = [fixture.own.images[0], fixture.own.images[1]].slice(0, summary.inputs.images.min);
  return {
    action: summary.action,
    model_id: summary.id,
    ...(summary.inputs.prompt === 'none' ? {} : { prompt: 'a lighthouse in fog' }),
    ...(images.length > 0 ? { input_images: images } : {}),
    // a model that takes a mask with its input image inpaints with one (FLUX Fill Pro needs it unless it outpaints)
    ...(summary.inputs.mask && summary.inputs.images.min > 0 ? { mask: fixture.own.mask } : {}),
  };
}
