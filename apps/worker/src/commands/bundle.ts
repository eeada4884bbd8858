import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createJsonLogger } from '@contextworker/core-temporal';
import { createModuleContext, registerModules, writePrebuiltBundle } from '@contextworker/registry';
import { defaultBundlePath, findModules } from '../find-modules.js';
import { loadConfig } from '../load-config.js';

interface BundleFlags {
  out?: string;
  modules?: string[];
  projectDir?: string;
}

export function registerBundleCommand(program: Command): void {
  program
    .command('bundle')
    .description('prebuild the workflow bundle of the discovered modules for production start-up')
    .option('--out <file>', 'where to write it (default: PROJECT_DIR/.contextworker/workflow-bundle.js)')
    .option('--modules <names...>', 'bundle only these modules')
    .option('--project-dir <dir>', 'project directory (PROJECT_DIR)')
    .action(async (flags: BundleFlags) => {
      const config = loadConfig({ ...(flags.projectDir ? { projectDir: flags.projectDir } : {}) });
      const logger = createJsonLogger({ level: config.worker.logLevel });
      const modules = (await findModules(config, flags.modules)).map((entry) => entry.module);
      const handle = createModuleContext(config, logger);
      try {
        const registry = await registerModules(modules, handle.context);
        const outFile = resolve(flags.out ?? defaultBundlePath(config));
        const manifest = await writePrebuiltBundle({ sources: registry.workflowSources, outFile });
        process.stdout.write(
          `Wrote ${outFile} (@temporalio/worker ${manifest.sdkVersion}; modules: ${manifest.modules.map((m) => m.name).join(', ') || 'none'})\n`,
        );
      } finally {
        await handle.dispose();
      }
    });
}
