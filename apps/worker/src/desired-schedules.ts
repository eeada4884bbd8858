import { createJsonLogger, type WorkerConfig } from '@contextworker/core-temporal';
import { createModuleContext, type DefaultSchedule } from '@contextworker/registry';
import { collectModuleSchedules, defaultSchedules, mergeSchedules } from '@contextworker/schedules';
import { findModules } from './find-modules.js';

/**
 * The tenant's desired schedules: the built-in defaults, overlaid with what the discovered modules
 * declare (the harvester's one per supplier, the gardener's sweep). `resources` are handed to the
 * modules as in a running worker, e.g. the process's one embedded catalog.
 */
export async function desiredSchedules(config: WorkerConfig, resources?: Readonly<Record<string, unknown>>): Promise<DefaultSchedule[]> {
  const modules = (await findModules(config)).map((entry) => entry.module);
  const handle = createModuleContext(config, createJsonLogger({ level: 'WARN' }), resources);
  try {
    const declared = await collectModuleSchedules(modules, { ...handle.context, tenantId: config.tenantId });
    const defaults = defaultSchedules({ tenantId: config.tenantId, suppliers: [], taskQueue: config.worker.taskQueue });
    return mergeSchedules(defaults, declared);
  } finally {
    await handle.dispose();
  }
}
