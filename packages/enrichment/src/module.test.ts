import { describe, expect, it } from 'vitest';
import type { ModuleContext } from '@contextworker/registry';
import { ClassifierConfigError } from './classifiers/classifier-config.js';
import { createEnrichmentModule } from './module.js';
import { ENRICHMENT_ACTIVITY_NAMES } from './workflow/enrichment-types.js';

const context = (routerUrl?: string) =>
  ({ config: { tenantId: 'acme', ...(routerUrl ? { routerUrl } : {}) }, resource: () => Promise.reject(new Error('no database in unit tests')) }) as unknown as ModuleContext;

describe('enrichment module', () => {
  it('registers the workflow and the activities the gardener runs by name', async () => {
    const module = createEnrichmentModule({ env: {} });
    expect(module.name).toBe('enrichment');
    expect(module.workflowsPath).toMatch(/workflows\.(ts|js)$/);
    expect(Object.keys(await module.activities!(context())).sort()).toEqual([...ENRICHMENT_ACTIVITY_NAMES].sort());
  });

  it('refuses to start with a bad classifier configuration, listing every problem', async () => {
    const module = createEnrichmentModule({ env: { OPENAI_BASE_URL: 'not a url', CLASSIFIER_TIMEOUT_MS: '0' } });
    await expect(async () => module.activities!(context())).rejects.toThrow(ClassifierConfigError);
    await expect(async () => module.activities!(context())).rejects.toThrow(/OPENAI_MODEL: required[\s\S]*OPENAI_BASE_URL: must be/);
    // ROUTER_URL of the worker configuration wins over the chat endpoint.
    expect(() => createEnrichmentModule({ env: { OPENAI_BASE_URL: 'https://api.example.com/v1' } }).activities!(context('http://router.local/classify'))).not.toThrow();
  });
});
