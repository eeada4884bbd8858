import type { Command } from 'commander';
import { createJsonLogger } from '@contextworker/core-temporal';
import { createModuleContext, registerModules } from '@contextworker/registry';
import { findModules } from '../find-modules.js';
import { loadConfig } from '../load-config.js';

export function registerModulesCommand(program: Command): void {
  program
    .command('modules')
    .description('list the discovered worker modules with their workflows and activities')
    .option('--json', 'print JSON')
    .option('--project-dir <dir>', 'project directory (PROJECT_DIR)')
    .action(async (flags: { json?: boolean; projectDir?: string }) => {
      const config = loadConfig({ ...(flags.projectDir ? { projectDir: flags.projectDir } : {}) });
      const discovered = await findModules(config);
      const handle = createModuleContext(config, createJsonLogger({ level: 'WARN' }));
      try {
        const rows = [];
        for (const entry of discovered) {
          const registry = await registerModules([entry.module], handle.context);
          const described = registry.describe();
          rows.push({ name: entry.module.name, source: entry.source, workflows: Object.keys(described.workflows), activities: Object.keys(described.activities) });
        }
        if (flags.json) {
          process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
          return;
        }
        for (const row of rows) {
          process.stdout.write(`${row.name}  (${row.source})\n  workflows:  ${row.workflows.join(', ') || '-'}\n  activities: ${row.activities.join(', ') || '-'}\n`);
        }
        if (rows.length === 0) process.stdout.write('No worker modules found.\n');
      } finally {
        await handle.dispose();
      }
    });
}
