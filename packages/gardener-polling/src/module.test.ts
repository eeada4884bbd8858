import { describe, expect, it } from 'vitest';
import type { ScheduleContext } from '@contextworker/registry';
import { gardenerPollingModule } from './module.js';

describe('gardener-polling module', () => {
  it('declares a 15-minute sweep per tenant and a workflows entry', async () => {
    expect(gardenerPollingModule.name).toBe('gardener-polling');
    expect(gardenerPollingModule.workflowsPath).toMatch(/workflows\.(ts|js)$/);
    const schedules = await gardenerPollingModule.schedules?.({ tenantId: 'acme' } as ScheduleContext);
    expect(schedules).toEqual([
      {
        scheduleId: 'gardener-acme',
        workflowType: 'GardenerWorkflow',
        args: [{ tenantId: 'acme' }],
        spec: { interval: '15m' },
        note: 'Enrichment sweep of tenant acme',
      },
    ]);
  });
});
