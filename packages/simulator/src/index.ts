/**
 * A Replicate-compatible HTTP simulator: `startSimulator()` serves the Replicate API on loopback with synthetic
 * images, so the real SDK (and dotbase) run offline, for free.
 *
 * @module @dotbase/simulator
 */
export { startSimulator, type RunningSimulator } from './start.js';
export type { SimulatorOptions } from './options.js';
export type { ImageFetch } from './images/load.js';
export type { FaultRule, FaultKind } from './http/faults.js';
export type { SimulatorStats, RequestCounts } from './stats.js';
export type { PredictionJson, PredictionStatus, WebhookEvent } from './predictions/types.js';
export { signWebhook } from './webhooks/sign.js';
export { CATALOG_MODELS, versionIdOf } from './catalog/index.js';
export type { CatalogModel } from './catalog/types.js';
export { FAIL_TRIGGER } from './routes/create-prediction.js';
export { SIMULATED_LOG_LINE } from './predictions/lifecycle.js';
