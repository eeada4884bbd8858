import { defineModule } from '@contextworker/registry';

/** Enrichment as a worker module; its workflow and classify activity register here as they are built. */
export const enrichmentModule = defineModule({
  name: 'enrichment',
  description: 'AI classification of products in batches against a fixed taxonomy',
});

export default enrichmentModule;
