// The reference for orchestration overhead: a workflow with one no-op activity.
import { proxyActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '1 minute' });

export async function BareWorkflow(): Promise<void> {
  await noop();
}
