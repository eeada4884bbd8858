/**
 * The ContextWorker module contract, module discovery, and the composition of
 * one Temporal worker from several packages' workflows and activities.
 *
 * @example
 * ```ts
 * // In a feature package: src/module.ts, declared in package.json as
 * // "contextworker": { "module": "./dist/module.js" }
 * import { defineModule } from '@contextworker/registry';
 *
 * export default defineModule({
 *   name: 'harvester',
 *   workflowsPath: new URL('./workflows.js', import.meta.url).href,
 *   activities: (ctx) => createHarvestActivities(ctx),
 * });
 * ```
 *
 * @module
 */
export {
  defineModule,
  HOST_TASK_QUEUE_ACTIVITY,
  isWorkerModule,
  type ActivityFunction,
  type ActivityMap,
  type DefaultSchedule,
  type ModuleContext,
  type ScheduleContext,
  type WorkerModule,
} from './module.js';
export { WorkerRegistry, type WorkflowSourceEntry } from './worker-registry.js';
export { discoverModules, selectModules, type DiscoverOptions, type DiscoveredModule } from './discovery.js';
export { readWorkflowNames } from './workflow-names.js';
export { bundleModuleWorkflows, renderWorkflowsEntry, workerSdkVersion } from './workflow-bundle.js';
export { bundleManifestPath, verifyPrebuiltBundle, writePrebuiltBundle, type BundleManifest } from './prebuilt-bundle.js';
export { createModuleContext, scopedLogger, type ModuleContextHandle } from './module-context.js';
export { composeWorker, registerModules, type ComposeWorkerOptions, type ComposedWorker } from './compose-worker.js';
export { siblingModulePath } from './sibling-path.js';
export { BundleMismatchError, DuplicateRegistrationError, ModuleLoadError, UnknownModuleError } from './errors.js';
