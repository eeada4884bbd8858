// No container engine runs here: these tests check what can be checked without one. The compose file
// and Dockerfile parse and say what they must; the commands they run exist; and the image's build
// steps (pnpm deploy, prebuilt bundle, the entrypoint) work when run directly.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_VARIABLES } from '@contextworker/core-temporal';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const compose = parse(readFileSync(join(root, 'docker/docker-compose.yml'), 'utf8')) as {
  services: Record<string, { image?: string; command?: string[]; environment?: Record<string, string>; deploy?: { replicas?: number }; build?: { dockerfile?: string } }>;
};
const dockerfile = readFileSync(join(root, 'docker/Dockerfile'), 'utf8');

// The final stage's ENV and ENTRYPOINT, as the container would get them.
function imageRuntime(): { env: Record<string, string>; entrypoint: string[] } {
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const envInstruction = /^ENV ((?:.*\\\n)*.*)$/m.exec(finalStage)?.[1] ?? '';
  const env: Record<string, string> = {};
  for (const [, name, quoted, bare] of envInstruction.replace(/\\\n/g, ' ').matchAll(/(\w+)=(?:"([^"]*)"|(\S+))/g)) env[name!] = quoted ?? bare!;
  const entrypoint = JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(finalStage)?.[1] ?? '[]') as string[];
  return { env, entrypoint };
}

describe('docker-compose.yml', () => {
  it('has PostgreSQL, Temporal on PostgreSQL, its UI, a migration step and the worker at 3 replicas', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['migrate', 'postgresql', 'temporal', 'temporal-ui', 'worker']);
    expect(compose.services.temporal?.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(compose.services.worker?.deploy?.replicas).toBe(3);
    expect(compose.services.migrate?.build?.dockerfile).toBe('docker/Dockerfile');
  });

  it('gives the worker only variables the configuration knows, and valid values', () => {
    const environment = compose.services.worker?.environment ?? {};
    for (const name of Object.keys(environment)) expect(CONFIG_VARIABLES).toContain(name);
    expect(environment).toMatchObject({ TEMPORAL_HOST: 'temporal:7233', DATABASE_URL: expect.stringMatching(/^postgres:\/\/.+@postgresql:5432\//) });
  });

  it('runs commands the CLI has', async () => {
    for (const service of ['migrate', 'worker']) {
      const command = compose.services[service]?.command ?? [];
      const help = await runCli([...command, '--help'], {});
      expect(help.code, `${service}: contextworker ${command.join(' ')}`).toBe(0);
    }
  });
});

describe('Dockerfile', () => {
  const deployDir = mkdtempSync(join(tmpdir(), 'cw-image-'));
  afterAll(() => rmSync(deployDir, { recursive: true, force: true }));

  it('is multi-stage, runs as a non-root user, and checks /healthz', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
    const { entrypoint } = imageRuntime();
    expect(entrypoint[0]).toBe('node');
    expect(entrypoint.at(-1)).toBe('dist/cli.js');
  });

  it("builds the image's app the way the Dockerfile does, and the entrypoint runs with the prebuilt bundle", () => {
    const app = join(deployDir, 'app');
    execFileSync('pnpm', ['--filter', '@contextworker/worker', 'deploy', '--prod', '--legacy', app], { cwd: root, stdio: 'pipe' });
    expect(existsSync(join(app, 'dist/cli.js'))).toBe(true);
    expect(existsSync(join(app, 'src'))).toBe(false);
    const bundle = join(app, 'workflow-bundle/workflows.js');
    execFileSync(process.execPath, ['dist/cli.js', 'bundle', '--out', bundle], { cwd: app, env: { ...process.env, PROJECT_DIR: app }, stdio: 'pipe' });
    const manifest = JSON.parse(readFileSync(bundle.replace(/\.js$/, '.manifest.json'), 'utf8')) as { modules: { name: string }[] };
    expect(manifest.modules.map((m) => m.name).sort()).toEqual(['enrichment', 'gardener-polling', 'harvester']);
    // The entrypoint as the image runs it: its node flags, and its environment with the app's paths here.
    const { env, entrypoint } = imageRuntime();
    expect(env).toMatchObject({ NODE_OPTIONS: expect.any(String), MALLOC_ARENA_MAX: '2' });
    const imageEnv = { ...process.env, ...env, PROJECT_DIR: app, WORKER_WORKFLOW_BUNDLE: bundle };
    const listed = execFileSync(process.execPath, [...entrypoint.slice(1), 'modules', '--json'], { cwd: app, env: imageEnv, encoding: 'utf8' });
    expect((JSON.parse(listed) as { name: string }[]).map((m) => m.name).sort()).toEqual(['enrichment', 'gardener-polling', 'harvester']);
  });
});
