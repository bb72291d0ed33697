import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, startServer, type RunningServer } from '@dotbase/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/errors.js';
import { ApiClient } from '../src/api/client.js';
import type { JsonSchema, ModelInfo } from '../src/api/types.js';
import { russianIssue } from '../src/i18n/issues-ru.js';

/**
 * Every kind of validation issue the real server emits for the studio's requests, collected by sending it wrong
 * requests for every model, must come out of the Russian translation in Russian: a message of a shape the
 * translation does not know (a server wording changed, a model rule added) fails here instead of showing English
 * in the Russian studio.
 */
let server: RunningServer;
let dataDir: string;
let client: ApiClient;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'dotbase-issues-'));
  server = await startServer({
    env: { PORT: '0', HOST: '127.0.0.1', DOTBASE_DATA_DIR: dataDir },
    logger: silentLogger,
    simulator: { timing: { startingMs: 50, processingMs: 100, steps: 2 } },
  });
  client = new ApiClient({ endpoint: server.url });
});
afterAll(async () => {
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Values that break one setting's schema in every way it can be broken. */
function wrongValues(schema: JsonSchema): unknown[] {
  const options = schema.anyOf ?? schema.oneOf ?? [schema];
  const wrong: unknown[] = [{ nested: true }];
  for (const option of options) {
    const type = Array.isArray(option.type) ? option.type[0] : option.type;
    if (option.enum) wrong.push('zzz-not-a-value');
    if (option.const !== undefined) wrong.push('zzz-not-the-value');
    if (type === 'integer') wrong.push(1.5, 'seven');
    if (type === 'number' || type === 'integer') {
      if (option.minimum !== undefined) wrong.push(option.minimum - 1);
      if (option.maximum !== undefined) wrong.push(option.maximum + 1);
      if (option.exclusiveMinimum !== undefined) wrong.push(option.exclusiveMinimum);
      if (option.exclusiveMaximum !== undefined) wrong.push(option.exclusiveMaximum);
      if (option.multipleOf !== undefined) wrong.push((option.minimum ?? 0) + option.multipleOf / 2);
    }
    if (type === 'boolean') wrong.push('yes');
    if (type === 'string' && !option.enum) wrong.push(42);
  }
  return wrong;
}

async function issuesOf(body: Record<string, unknown>): Promise<string[]> {
  try {
    const created = await client.createGeneration(body as never);
    await client.cancelGeneration(created.id).catch(() => undefined);
    return [];
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'invalid_input') return [];
    const issues = (error.details as { issues?: { message: string }[] } | undefined)?.issues ?? [];
    return issues.map((issue) => issue.message);
  }
}

/** A Latin word of three letters or more that is not a model or brand name left in a Russian sentence. */
function englishWords(text: string, names: Set<string>): string[] {
  return (text.match(/\b[A-Za-z][A-Za-z0-9]{2,}\b/g) ?? []).filter((word) => !names.has(word.toLowerCase()));
}

describe('server validation issues in Russian', () => {
  it('translates every issue the server emits for wrong settings, inputs and combinations of every model', async () => {
    const models = (await client.request<{ items: ModelInfo[] }>('GET', '/api/models/list')).items;
    const messages = new Set<string>();
    const collect = async (body: Record<string, unknown>) => (await issuesOf(body)).forEach((message) => messages.add(message));
    const image = 'https://example.com/a.png';
    for (const model of models) {
      const base = { action: model.action, model_id: model.id, ...(model.inputs.prompt === 'none' ? {} : { prompt: 'a fox' }) };
      const neededImages = Array.from({ length: model.inputs.images.min }, () => image);
      for (const [name, schema] of Object.entries(model.settings_schema.properties ?? {})) {
        for (const wrong of wrongValues(schema)) await collect({ ...base, input_images: neededImages, settings: { [name]: wrong } });
      }
      await collect({ ...base, input_images: neededImages, settings: { no_such_setting: 1 } });
      await collect({ ...base, input_images: Array.from({ length: model.inputs.images.max + 1 }, () => image), settings: {} });
      if (model.inputs.images.min > 0) await collect({ ...base, settings: {} });
      if (!model.inputs.mask) await collect({ ...base, input_images: neededImages, mask: image, settings: {} });
      if (model.inputs.mask_required) await collect({ ...base, input_images: neededImages, settings: {} });
      await collect({ ...base, prompt: model.inputs.prompt === 'none' ? 'a fox' : undefined, input_images: neededImages, settings: {} });
      await collect({ ...base, input_images: [...neededImages.slice(1), 'uploads/AAAAAAAAAAAAAAAAAAAAAA.png'], settings: {} });
    }
    // the models' own rules about combinations
    const combos: Record<string, unknown>[] = [
      { action: 'create', model_id: 'recraft-v3', prompt: 'x', settings: { size: '1024x1024', aspect_ratio: '1:1' } },
      { action: 'create', model_id: 'seedream-4', prompt: 'x', settings: { aspect_ratio: 'match_input_image' } },
      { action: 'create', model_id: 'seedream-4', prompt: 'x', settings: { size: 'custom', aspect_ratio: '1:1' } },
      { action: 'create', model_id: 'seedream-4', prompt: 'x', settings: { size: '2K', width: 1024 } },
      { action: 'edit', model_id: 'seedream-4', prompt: 'x', input_images: Array(14).fill(image), settings: { max_images: 2 } },
      { action: 'create', model_id: 'nano-banana', prompt: 'x', settings: { aspect_ratio: 'match_input_image' } },
      { action: 'create', model_id: 'stable-diffusion', prompt: 'x', settings: { prompt_strength: 0.5 } },
      { action: 'edit', model_id: 'stable-diffusion', prompt: 'x', input_images: [image], settings: { aspect_ratio: '1:1' } },
      { action: 'create', model_id: 'sdxl-lightning', prompt: 'x', settings: { width: 1024, aspect_ratio: '1:1' } },
      { action: 'create', model_id: 'ideogram-v3-turbo', prompt: 'x', settings: { resolution: '1024x1024', aspect_ratio: '1:1' } },
      { action: 'create', model_id: 'ideogram-v3-turbo', prompt: 'x', settings: { style_type: 'Design', style_preset: 'Bauhaus' } },
      { action: 'edit', model_id: 'ideogram-v3-turbo', prompt: 'x', input_images: [image], settings: {} },
      { action: 'edit', model_id: 'ideogram-v3-turbo', prompt: 'x', input_images: [image], mask: image, settings: { aspect_ratio: '1:1' } },
      { action: 'edit', model_id: 'flux-fill-pro', prompt: 'x', input_images: [image], settings: {} },
      { action: 'edit', model_id: 'flux-fill-pro', prompt: 'x', input_images: [image], mask: image, settings: { outpaint: 'Zoom out 2x' } },
      { action: 'create', model_id: 'flux-schnell', prompt: 'x'.repeat(20_000), settings: {} },
      { action: 'create', model_id: 'flux-schnell', prompt: 'x', input_images: ['ftp://example.com/a.png'], settings: {} },
    ];
    for (const body of combos) await collect(body);
    // the request's own fields, wrong in each way the server's request schema words in zod's English
    for (const wrong of [
      { prompt: 42 },
      { model_id: '' },
      { model_id: 'x'.repeat(101) },
      { input_images: [''] },
      { input_images: 'a.png' },
      { input_images: Array(17).fill(image) },
      { mask: 5 },
      { settings: 'x' },
      { action: 'paint' },
      { colour: 'red' },
    ]) {
      await collect({ action: 'create', model_id: 'flux-schnell', prompt: 'x', settings: {}, ...wrong });
    }

    // model names, file formats, and what the requests themselves sent (an upload id, an unknown key)
    const names = new Set(
      models.flatMap((model) => model.name.toLowerCase().split(/[^a-z0-9]+/)).concat(['https', 'png', 'jpeg', 'webp', 'ddim', 'pndm', 'dpm', 'solver', 'c4d', 'hdr', 'uploads', 'aaaaaaaaaaaaaaaaaaaaaa', 'colour', 'no_such_setting']),
    );
    const untranslated: string[] = [];
    const english: Record<string, string> = {};
    for (const message of messages) {
      const russian = russianIssue(message);
      if (russian === undefined) untranslated.push(message);
      else if (englishWords(russian, names).length > 0) english[message] = russian;
    }
    // dozens of distinct wordings: settings of every kind, inputs, the models' rules, the request schema
    expect(messages.size).toBeGreaterThan(60);
    expect(untranslated).toEqual([]);
    expect(english).toEqual({});
  }, 120_000);

  it('leaves a message of no known shape to the server text', () => {
    expect(russianIssue('something entirely new happened')).toBeUndefined();
    expect(russianIssue('must be at least 1')).toBe('Не меньше 1.');
    expect(russianIssue('must be one of: match_input_image, 1:1')).toBe('Допустимые значения: Как у исходного; 1:1.');
  });
});
