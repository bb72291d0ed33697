import type { ModelDefinition } from '../types.js';
import { backgroundRemover } from './background-remover.js';
import { birefnet } from './birefnet.js';
import { briaRemoveBackground } from './bria-remove-background.js';
import { clarityUpscaler } from './clarity-upscaler.js';
import { fluxFillPro } from './flux-fill-pro.js';
import { fluxKontextPro } from './flux-kontext-pro.js';
import { fluxSchnell } from './flux-schnell.js';
import { ideogramV3Turbo } from './ideogram-v3-turbo.js';
import { imagen4 } from './imagen-4.js';
import { multiImageKontext } from './multi-image-kontext.js';
import { nanoBanana } from './nano-banana.js';
import { realEsrgan } from './real-esrgan.js';
import { recraftCrispUpscale } from './recraft-crisp-upscale.js';
import { recraftV3 } from './recraft-v3.js';
import { seedream4 } from './seedream-4.js';
import { sdxlLightning } from './sdxl-lightning.js';
import { stableDiffusion } from './stable-diffusion.js';

/**
 * The seed's 19 entries as 17 models (Nano Banana and SeeDream 4 serve both create and edit), in the order the
 * product lists them. Adding a model: one file in this folder and one line here. Community models carry a pinned
 * version id in their file; docs/models.md ("Version pins") says how to move one.
 */
export const seedModels: readonly ModelDefinition[] = [
  sdxlLightning,
  fluxSchnell,
  stableDiffusion,
  nanoBanana,
  seedream4,
  recraftV3,
  imagen4,
  ideogramV3Turbo,
  fluxKontextPro,
  multiImageKontext,
  fluxFillPro,
  realEsrgan,
  clarityUpscaler,
  recraftCrispUpscale,
  backgroundRemover,
  birefnet,
  briaRemoveBackground,
];
