/**
 * Gardener polling for ContextWorker: the worker module of the periodic sweep
 * for products still waiting for enrichment.
 *
 * @example
 * ```ts
 * import { gardenerPollingModule } from '@contextworker/gardener-polling';
 *
 * console.log(gardenerPollingModule.name); // 'gardener-polling'
 * ```
 *
 * @module
 */
export { gardenerPollingModule } from './module.js';
export type { GardenerInput, GardenerResult } from './workflows.js';
