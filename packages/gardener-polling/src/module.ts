import { defineModule } from '@contextworker/registry';

/** Gardener polling as a worker module; its workflow and schedule register here as they are built. */
export const gardenerPollingModule = defineModule({
  name: 'gardener-polling',
  description: 'Periodic sweep for products whose enrichment is still pending',
});

export default gardenerPollingModule;
