import { createHash } from 'node:crypto';
import { CREATE_MODELS } from './create.js';
import { EDIT_MODELS } from './edit.js';
import { genericModel } from './generic.js';
import { ideogramV3Turbo } from './ideogram.js';
import { REMOVE_BG_MODELS } from './remove-bg.js';
import type { CatalogModel } from './types.js';
import { UPSCALE_MODELS } from './upscale.js';

/** Every model the simulator knows: the 17 Replicate slugs behind dotbase's 19 seed models. */
export const CATALOG_MODELS: readonly CatalogModel[] = [...CREATE_MODELS, ideogramV3Turbo, ...EDIT_MODELS, ...UPSCALE_MODELS, ...REMOVE_BG_MODELS];

/** Official models hide their versions on Replicate; the simulator still gives each a stable 64-hex id. */
export function versionIdOf(model: CatalogModel): string {
  return model.route.kind === 'version' ? model.route.version : createHash('sha256').update(model.slug).digest('hex');
}

export interface Catalog {
  /** A model callable by name (`POST /models/{owner}/{name}/predictions`); community models are not. */
  official(slug: string): CatalogModel | undefined;
  /** Any model by name, for `GET /models/{owner}/{name}`. */
  bySlug(slug: string): CatalogModel | undefined;
  /** `version` as sent to `POST /predictions`: a 64-hex id or `owner/name:id`. */
  byVersion(version: string): CatalogModel | undefined;
}

export function createCatalog(options: { acceptUnknownModels: boolean; models?: readonly CatalogModel[] }): Catalog {
  const models = options.models ?? CATALOG_MODELS;
  const bySlug = new Map(models.map((model) => [model.slug, model]));
  const byVersion = new Map(models.map((model) => [versionIdOf(model), model]));

  function standIn(slug: string): CatalogModel | undefined {
    return options.acceptUnknownModels && /^[\w.-]+\/[\w.-]+$/.test(slug) ? genericModel(slug) : undefined;
  }

  return {
    official(slug) {
      const model = bySlug.get(slug);
      if (model) return model.route.kind === 'official' ? model : undefined;
      return standIn(slug);
    },
    bySlug: (slug) => bySlug.get(slug) ?? standIn(slug),
    byVersion(version) {
      const colon = version.indexOf(':');
      if (colon === -1) return byVersion.get(version);
      const model = byVersion.get(version.slice(colon + 1));
      return model?.slug === version.slice(0, colon) ? model : undefined;
    },
  };
}
