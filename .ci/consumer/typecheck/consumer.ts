// (e) What an app writes against the public types, type-checked with strict settings under NodeNext and Bundler
// resolution. It is never run: it only has to compile.
import { createDotbase, defineModel, noImages, unified, type GenerationRecord, type ModelDefinition } from '@dotbase/core';
import { fsStorage, sharpImageTools } from '@dotbase/core/node';
import { describeGenerationStoreContract } from '@dotbase/core/testing';
import { createServer, startServer, type Authenticator, type RunningServer } from '@dotbase/server';
import { describeAuthenticatorContract } from '@dotbase/server/testing';
import { startSimulator, type RunningSimulator } from '@dotbase/simulator';
import { DotbaseStudio as DotbaseStudioElement, ApiClient, type Generation } from '@dotbase/widget';
import { defineDotbaseStudio } from '@dotbase/widget/dotbase-studio';
import '@dotbase/widget/define';
import { DotbaseStudio } from '@dotbase/widget/react';
import { Hono } from 'hono';
import * as React from 'react';
import { z } from 'zod';

// a custom model, its settings typed from the app's own zod
export const myModel = defineModel({
  id: 'my-model',
  name: 'My model',
  description: 'An official model the seed does not list',
  speed: 2,
  quality: 3,
  route: { kind: 'official', slug: 'acme/my-model' },
  actions: { create: noImages },
  prompt: { create: 'required' },
  settings: z.strictObject({ steps: z.int().min(1).max(50).default(20), seed: unified.seed }),
  toInput: ({ prompt, settings }) => ({ prompt, num_inference_steps: settings.steps, seed: settings.seed }),
  output: 'one',
});
const models: ModelDefinition[] = [myModel];

// the API mounted in the app's own Hono app, with the app's own hono
const proxyHeader: Authenticator = {
  name: 'proxy-header',
  async authenticate(request) {
    const user = request.headers.get('x-forwarded-user');
    return user ? { id: user, username: user, is_admin: false } : null;
  },
};
const dotbase = createDotbase({ tokens: ['r8_a'], storage: fsStorage('./.data'), imageTools: sharpImageTools(), models });
const app = new Hono();
app.route('/dotbase', createServer({ dotbase, mode: 'replicate', basePath: '/dotbase', auth: { secret: 's'.repeat(43), authenticators: [proxyHeader] } }));

export async function run(): Promise<string | undefined> {
  const simulator: RunningSimulator = await startSimulator({ tokens: ['r8_a'] });
  const server: RunningServer = await startServer({ env: { PORT: '0' } });
  const record: GenerationRecord = await dotbase.service.create('user-1', { action: 'create', model_id: 'my-model', prompt: 'a fox' });
  await server.close();
  await simulator.close();
  return record.output_keys[0];
}

// the element, its typed properties and events, and the React wrapper
defineDotbaseStudio();
const element: DotbaseStudioElement = document.createElement('dotbase-studio');
element.endpoint = 'https://images.example.com';
element.getToken = async () => 'token';
element.addEventListener('dotbase-generation-complete', (event) => {
  const generation: Generation = event.detail.generation;
  console.log(generation.id);
});
export const client = new ApiClient({ endpoint: 'https://images.example.com' });
export const view = React.createElement(DotbaseStudio, { endpoint: 'https://images.example.com', onGenerationComplete: (event) => console.log(event.detail.generation.output_urls) });

// contract suites for plug points of your own
export const contracts = [describeGenerationStoreContract, describeAuthenticatorContract];
