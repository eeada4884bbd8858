// Workflow histories as text, read through the Temporal client, so a test can
// grep everything a history holds: inputs, results, failures and their causes.
import type { Client } from '@temporalio/client';

// Payload data are bytes (JSON inside); decode them so secrets in them are visible to a search.
function replacer(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : value;
}

/** The full history of each workflow id (latest run), as one JSON text per workflow. */
export async function readHistories(client: Client, workflowIds: readonly string[]): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const workflowId of workflowIds) {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    texts.set(workflowId, JSON.stringify(history, replacer));
  }
  return texts;
}
