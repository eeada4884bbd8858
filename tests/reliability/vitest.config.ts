import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { workspaceSourceAliases } from '@contextworker/vitest-config';

// The quick subset (RELIABILITY_QUICK=1, `pnpm test:reliability:quick`): the cases that need
// neither a 200k feed, nor a 20 s outage, nor a server restart, nor the 50-supplier load.
const QUICK = ['test/corpus.test.ts', 'test/feed-faults.test.ts', 'test/ssrf.test.ts', 'test/secrets.test.ts', 'test/tenant-isolation.test.ts'];
const quick = process.env.RELIABILITY_QUICK === '1' || process.env.RELIABILITY_QUICK === 'true';

export default defineConfig({
  resolve: { alias: workspaceSourceAliases(fileURLToPath(new URL('../..', import.meta.url))) },
  test: {
    root: import.meta.dirname,
    include: quick ? QUICK : ['test/**/*.test.ts'],
    // The Temporal native bridge needs forks; one file at a time, because the cases kill, stop and
    // load real servers and processes on a small machine, and their figures mean more alone.
    pool: 'forks',
    fileParallelism: false,
    globalSetup: [fileURLToPath(import.meta.resolve('@contextworker/test-utils/global-setup'))],
    // Generous: the machine is shared. Every wait inside a test has its own, shorter bound.
    testTimeout: 600_000,
    hookTimeout: 300_000,
    reporters: ['default'],
  },
});
