// Worker-module packages made at test time in a temp dir: a deployment
// package.json, node_modules with module packages, and a local modules/ dir.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const require = createRequire(import.meta.url);

export interface FixtureModule {
  /** Module name; also used to name its workflow and activity. */
  name: string;
  /** npm package name; omit for the local PROJECT_DIR module. */
  packageName?: string;
  /** Whether its package.json declares the module (default true). */
  declares?: boolean;
  /** Extra workflow names to export (for clash tests). */
  extraWorkflows?: string[];
  /** Activity names (default [`${camel}Activity`]). */
  activities?: string[];
  /** Adds a host activity and a `${camel}HostWorkflow` that runs it on the worker's own queue. */
  host?: boolean;
}

export function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function workflowsSource(module: FixtureModule): string {
  const activity = module.activities?.[0] ?? `${camel(module.name)}Activity`;
  const extra = (module.extraWorkflows ?? []).map((wf) => `export async function ${wf}() { return '${module.name}'; }`).join('\n');
  return `import { proxyActivities } from '@temporalio/workflow';
const acts = proxyActivities({ startToCloseTimeout: '30s' });
export async function ${camel(module.name)}Workflow(input) { return acts.${activity}(input); }
${extra}
${module.host ? hostWorkflowSource(module) : ''}`;
}

function hostWorkflowSource(module: FixtureModule): string {
  const name = camel(module.name);
  return `export async function ${name}HostWorkflow(input) {
  const hostTaskQueue = await acts.resolveHostTaskQueue();
  const host = proxyActivities({ taskQueue: hostTaskQueue, startToCloseTimeout: '30s' });
  return { hostTaskQueue, result: await host.${name}HostActivity(input) };
}
`;
}

function moduleSource(module: FixtureModule): string {
  const activities = module.activities ?? [`${camel(module.name)}Activity`];
  const body = activities
    .map((a) => `${a}: async (input) => ({ module: '${module.name}', activity: '${a}', input, pid: process.pid, tenant: ctx.config.tenantId })`)
    .join(',\n    ');
  return `export default {
  name: '${module.name}',
  workflowsPath: new URL('./workflows.mjs', import.meta.url).href,
  activities: (ctx) => ({
    ${body}
  }),${
    module.host
      ? `
  hostActivities: (ctx) => ({
    ${camel(module.name)}HostActivity: async (input) => ({ input, pid: process.pid, hostTaskQueue: ctx.hostTaskQueue }),
  }),`
      : ''
  }
};
`;
}

/** Lays out a deployment with the given modules; returns its directory and manifest path. */
export function makeDeployment(modules: FixtureModule[]): { root: string; manifest: string; projectDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'cw-deployment-'));
  // Installed deployments have @temporalio/workflow in node_modules; link ours.
  const workflowPackage = resolve(dirname(require.resolve('@temporalio/workflow')), '..');
  mkdirSync(join(root, 'node_modules', '@temporalio'), { recursive: true });
  symlinkSync(workflowPackage, join(root, 'node_modules', '@temporalio', 'workflow'), 'dir');

  const dependencies: Record<string, string> = {};
  for (const module of modules) {
    const dir = module.packageName ? join(root, 'node_modules', module.packageName) : join(root, 'modules');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'workflows.mjs'), workflowsSource(module));
    const entry = module.packageName ? 'module.mjs' : 'index.mjs';
    writeFileSync(join(dir, entry), moduleSource(module));
    if (module.packageName) {
      dependencies[module.packageName] = '1.0.0';
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({
          name: module.packageName,
          version: '1.0.0',
          type: 'module',
          ...(module.declares === false ? {} : { contextworker: { module: './module.mjs' } }),
        }),
      );
    }
  }
  const manifest = join(root, 'package.json');
  writeFileSync(manifest, JSON.stringify({ name: 'deployment', private: true, dependencies }));
  return { root, manifest, projectDir: root };
}
