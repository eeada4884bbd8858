import { describe, expect, it } from 'vitest';
import { DuplicateRegistrationError } from './errors.js';
import { WorkerRegistry } from './worker-registry.js';

const noop = async () => undefined;

describe('WorkerRegistry', () => {
  it('merges activities and workflows of several modules and says who registered what', () => {
    const registry = new WorkerRegistry()
      .addActivities('harvester', { downloadFeed: noop, storeProducts: noop })
      .addActivities('enrichment', { classifyProducts: noop })
      .addWorkflows('harvester', '/x/harvester.js', ['HarvestWorkflow'])
      .addWorkflows('enrichment', '/x/enrichment.js', ['EnrichmentWorkflow']);
    expect(Object.keys(registry.activities).sort()).toEqual(['classifyProducts', 'downloadFeed', 'storeProducts']);
    expect(registry.describe().workflows).toEqual({ HarvestWorkflow: 'harvester', EnrichmentWorkflow: 'enrichment' });
    expect(registry.workflowSources.map((s) => s.path)).toEqual(['/x/harvester.js', '/x/enrichment.js']);
  });

  it('refuses an activity name claimed by another module, and keeps the first registration intact', () => {
    const registry = new WorkerRegistry().addActivities('harvester', { storeProducts: noop });
    const attempt = () => registry.addActivities('catalog-sync', { other: noop, storeProducts: noop });
    expect(attempt).toThrow(DuplicateRegistrationError);
    expect(attempt).toThrow('Activity "storeProducts" is registered by both module "harvester" and module "catalog-sync"');
    expect(Object.keys(registry.activities)).toEqual(['storeProducts']);
  });

  it('refuses a workflow name claimed by another module', () => {
    const registry = new WorkerRegistry().addWorkflows('harvester', '/a.js', ['HarvestWorkflow']);
    expect(() => registry.addWorkflows('fork', '/b.js', ['HarvestWorkflow'])).toThrow(
      'Workflow "HarvestWorkflow" is registered by both module "harvester" and module "fork"',
    );
    expect(registry.workflowSources).toHaveLength(1);
  });
});
