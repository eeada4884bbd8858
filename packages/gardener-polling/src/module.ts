import { defineModule, siblingModulePath, type DefaultSchedule, type WorkerModule } from '@contextworker/registry';

/** How often each tenant's sweep runs by default. */
export const DEFAULT_GARDENER_INTERVAL = '15m';

/**
 * Gardener polling as a worker module: GardenerWorkflow and one `gardener-<tenant>` schedule every
 * 15 minutes. It registers no activities of its own: it runs the `enrichment` module's claim and
 * classify activities by name, so deploy both modules together.
 */
export function createGardenerPollingModule(): WorkerModule {
  return defineModule({
    name: 'gardener-polling',
    description: 'Periodic sweep that classifies products whose enrichment is still pending',
    workflowsPath: siblingModulePath(import.meta.url, 'workflows'),
    schedules: (context): DefaultSchedule[] => [
      {
        scheduleId: `gardener-${context.tenantId}`,
        workflowType: 'GardenerWorkflow',
        args: [{ tenantId: context.tenantId }],
        spec: { interval: DEFAULT_GARDENER_INTERVAL },
        note: `Enrichment sweep of tenant ${context.tenantId}`,
      },
    ],
  });
}

export const gardenerPollingModule = createGardenerPollingModule();

export default gardenerPollingModule;
