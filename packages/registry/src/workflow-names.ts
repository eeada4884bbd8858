import { pathToFileURL } from 'node:url';
import { ModuleLoadError } from './errors.js';

/**
 * Lists the workflow functions a sandbox-safe workflows entry exports.
 * Importing it in Node is safe: workflow APIs only need the sandbox when called.
 */
export async function readWorkflowNames(workflowsPath: string): Promise<string[]> {
  let exported: Record<string, unknown>;
  try {
    exported = (await import(pathToFileURL(workflowsPath).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ModuleLoadError(workflowsPath, `its workflows entry failed to import (${(error as Error).message})`, { cause: error });
  }
  return Object.entries(exported)
    .filter(([name, value]) => typeof value === 'function' && name !== 'default' && !name.startsWith('_'))
    .map(([name]) => name)
    .sort();
}
