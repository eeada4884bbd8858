import { defineModule } from '@contextworker/registry';

/**
 * The harvester as a worker module. Its workflows and activities register here
 * as the harvest pipeline is built.
 */
export const harvesterModule = defineModule({
  name: 'harvester',
  description: 'Supplier feed harvesting: download, parse with a supplier transformer, store',
});

export default harvesterModule;
