/**
 * Gardener polling for ContextWorker: the worker module of the periodic sweep that classifies the
 * products still waiting for enrichment, and GardenerWorkflow's contract.
 *
 * @example
 * ```ts
 * import { enrichmentModule } from '@contextworker/enrichment';
 * import { gardenerPollingModule } from '@contextworker/gardener-polling';
 *
 * // The gardener runs the enrichment module's activities: compose both.
 * const worker = await composeWorker({ config, modules: [enrichmentModule, gardenerPollingModule], connection, logger });
 * ```
 *
 * @module
 */
export { createGardenerPollingModule, gardenerPollingModule, DEFAULT_GARDENER_INTERVAL } from './module.js';
export { INVALID_GARDENER_INPUT } from './workflow/gardener-types.js';
export type * from './workflow/gardener-types.js';
