import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../src/index.js';
import { api, runModel, startFastSimulator } from './helpers.js';

interface ModelJson {
  owner: string;
  name: string;
  is_official: boolean;
  latest_version: { id: string; openapi_schema: { components: { schemas: { Input: { properties: Record<string, Record<string, unknown>> } } } } };
}

describe('models API', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startFastSimulator({ outputScale: 0.05 });
  });
  afterAll(() => sim.close());

  it('describes official and community models with their input schema', async () => {
    const flux = (await (await api(sim, '/models/black-forest-labs/flux-schnell')).json()) as ModelJson;
    expect(flux).toMatchObject({ owner: 'black-forest-labs', name: 'flux-schnell', is_official: true });
    expect(flux.latest_version.id).toMatch(/^[0-9a-f]{64}$/);
    expect(flux.latest_version.openapi_schema.components.schemas.Input.properties.prompt?.type).toBe('string');
    const esrgan = (await (await api(sim, '/models/nightmareai/real-esrgan')).json()) as ModelJson;
    expect(esrgan).toMatchObject({ is_official: false, latest_version: { id: 'b3ef194191d13140337468c916c2c5b96dd0cb06dffc032a022a31807f6a5ea8' } });
    expect(esrgan.latest_version.openapi_schema.components.schemas.Input.properties.scale).toMatchObject({ type: 'number', maximum: 10, default: 4 });
    const version = await api(sim, `/models/nightmareai/real-esrgan/versions/${esrgan.latest_version.id}`);
    expect(version.status).toBe(200);
    expect((await api(sim, `/models/nightmareai/real-esrgan/versions/${'0'.repeat(64)}`)).status).toBe(404);
    expect((await api(sim, '/models/acme/nothing')).status).toBe(404);
  });

  it('runs unknown official models as a generic text-to-image model when asked to', async () => {
    const lenient = await startFastSimulator({ acceptUnknownModels: true, outputScale: 0.05 });
    try {
      const done = await runModel(lenient, 'acme/brand-new-model', { prompt: 'x', some_new_field: 3 });
      expect(done.status).toBe('succeeded');
      expect(typeof done.output).toBe('string');
    } finally {
      await lenient.close();
    }
  });
});

describe('cli', () => {
  it('starts a simulator with the given tokens and prints its URL', async () => {
    const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
    const child = spawn(tsx, [cli, '--port', '0', '--tokens', 'a,b', '--processing-ms', '50'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening: (http:\/\/\S+\/v1)/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`cli exited with ${code}`)));
      });
      const fetchWith = (token: string) => fetch(`${url}/predictions`, { headers: { authorization: `Bearer ${token}` } });
      expect((await fetchWith('a')).status).toBe(200);
      expect((await fetchWith('c')).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
