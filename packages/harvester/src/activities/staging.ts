import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Staged files live on the worker that downloaded them (its host task queue
// routes the next steps back here); one directory per harvest run.
const STAGING_ROOT = join(tmpdir(), 'contextworker-staging');

export function stagingDir(harvestRunId: string): string {
  if (!/^[0-9a-f-]{8,64}$/i.test(harvestRunId)) throw new Error(`Not a harvest run id: ${harvestRunId}`);
  return join(STAGING_ROOT, harvestRunId);
}

export async function ensureStagingDir(harvestRunId: string): Promise<string> {
  const dir = stagingDir(harvestRunId);
  await mkdir(dir, { recursive: true });
  return dir;
}

export async function discardStagingDir(harvestRunId: string): Promise<void> {
  await rm(stagingDir(harvestRunId), { recursive: true, force: true });
}
