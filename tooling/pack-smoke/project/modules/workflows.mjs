// Sandbox-safe: bundled by the registry together with the installed packages' workflows.
import { proxyActivities } from '@temporalio/workflow';

const { greet } = proxyActivities({ startToCloseTimeout: '1 minute' });

export async function SmokeWorkflow(name) {
  return await greet(name);
}
