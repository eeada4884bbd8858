import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What `contextworker dev` remembers between starts, under `PROJECT_DIR/.contextworker/`. */
export interface DevState {
  temporalPort?: number;
  uiPort?: number;
  feedPort?: number;
}

export function devDataDir(projectDir: string): string {
  return join(projectDir, '.contextworker');
}

const stateFile = (projectDir: string) => join(devDataDir(projectDir), 'dev.json');

const isPort = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0 && (value as number) < 65536;

/** The remembered ports; a missing or unreadable file just means none are remembered. */
export function readDevState(projectDir: string): DevState {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(stateFile(projectDir), 'utf8'));
  } catch {
    return {};
  }
  const state: DevState = {};
  if (raw && typeof raw === 'object') {
    for (const key of ['temporalPort', 'uiPort', 'feedPort'] as const) {
      const value = (raw as Record<string, unknown>)[key];
      if (isPort(value)) state[key] = value;
    }
  }
  return state;
}

export function writeDevState(projectDir: string, state: DevState): void {
  mkdirSync(devDataDir(projectDir), { recursive: true });
  writeFileSync(stateFile(projectDir), JSON.stringify(state, null, 2) + '\n');
}
