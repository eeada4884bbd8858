import { defineConfig } from 'vitest/config';
import { workspaceSourceAliases } from '@contextworker/vitest-config';

const alias = workspaceSourceAliases(import.meta.dirname);

// The Temporal native bridge misbehaves under worker threads: every project uses forks.
export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['{packages,apps,tooling}/*/src/**/*.test.ts'],
          pool: 'forks',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['{packages,apps,tooling}/*/test/**/*.test.ts'],
          pool: 'forks',
          poolOptions: { forks: { maxForks: 2, minForks: 1 } },
          globalSetup: ['./tooling/test-utils/src/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
