// The bench measures the worker as the image runs it: its memory settings must be the Dockerfile's.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IMAGE_NODE_OPTIONS, imageEnv } from './args.js';

const dockerfile = readFileSync(new URL('../../../docker/Dockerfile', import.meta.url), 'utf8');
const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

describe("the bench's worker settings", () => {
  it("are the image's node flags: its NODE_OPTIONS and the flags its entrypoint passes to node", () => {
    const nodeOptions = /NODE_OPTIONS="([^"]*)"/.exec(finalStage)?.[1]?.split(/\s+/) ?? [];
    const entrypoint = JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(finalStage)?.[1] ?? '[]') as string[];
    const entrypointFlags = entrypoint.slice(1).filter((arg) => arg.startsWith('--'));
    expect(nodeOptions.length + entrypointFlags.length).toBeGreaterThan(0);
    expect([...IMAGE_NODE_OPTIONS].sort()).toEqual([...nodeOptions, ...entrypointFlags].sort());
  });

  it("use the image's MALLOC_ARENA_MAX unless the environment sets one", () => {
    const arenas = /MALLOC_ARENA_MAX=(\S+)/.exec(finalStage)?.[1];
    expect(arenas).toBeDefined();
    const saved = process.env['MALLOC_ARENA_MAX'];
    delete process.env['MALLOC_ARENA_MAX'];
    try {
      expect(imageEnv().MALLOC_ARENA_MAX).toBe(arenas);
    } finally {
      if (saved !== undefined) process.env['MALLOC_ARENA_MAX'] = saved;
    }
  });
});
